"""The one rule that keeps someone in charge: the last active supervisor stays a supervisor.

Every way a person's role or active flag changes (the users CSV, `POST /api/users`, the kiosk's
admin page) goes through `floor.core.master.Importer.user`, which asks `keep_a_supervisor` first.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.scanning.context import Reject
from floor.models import User

SUPERVISOR = "supervisor"


class SupervisorError(Reject):
    """Refused: the change would leave the site without an active supervisor (code `last_supervisor`)."""


def keep_a_supervisor(session: Session, user: User, role: str, active: bool) -> None:
    """Refuse to make `user` (as stored now) anything but an active supervisor when nobody else is one.

    Call before the new `role` and `active` are set on the user. A new person, or one who is not an
    active supervisor now, passes; so does a change that keeps them an active supervisor.
    """
    if user.id is None or user.role != SUPERVISOR or user.active is False:
        return
    if role == SUPERVISOR and active:
        return
    others = session.scalar(
        select(func.count()).select_from(User).where(User.role == SUPERVISOR, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise SupervisorError("last_supervisor", name=user.name)
