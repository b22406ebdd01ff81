"""THE approver check of the bill (a discount above the limit, a credit note, a release unpaid): one function.

Every place of the bill that needs a supervisor's "yes" calls `check_approver`, which is the PIN check of
SPEC 10.6 (`floor.core.pins.check_approver`): an active person the site's role table allows `act`, not the
person whose work is approved (`four_eyes`), with their PIN (`pin_required`, `pin_not_set`, `bad_pin`,
`pin_locked`: wrong tries count, and outlive the refusal through `floor.application.pins.pin_failures_kept`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from floor.core import pins
from floor.core.authority import RoleTable
from floor.models import User


def check_approver(
    session: Session, approver: object, pin: object, *, doer_id: int | None, act: str, roles: RoleTable
) -> User:
    """The person saying yes to `act` (by badge), allowed by `roles`, not the doer, with their PIN.

    Raises BadgeError, NotAllowed (`role_denied`) or PinError (`four_eyes`, `pin_required`, ...).
    """
    return pins.check_approver(session, str(approver or ""), pin, doer_id=doer_id, act=act, roles=roles)
