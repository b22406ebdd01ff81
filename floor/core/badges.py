"""Reissuing a badge (SPEC 10.6): a new code for a person; the old one stops working at once.

A badge is who someone is, not a secret, but a lost or copied one must be retired: the person gets a new code,
the old one names nobody from the next scan on (the change bumps the master-data version, so every process's
catalog forgets it), and every station where that person was badged in forgets them, so they badge in again.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from floor.core import audit, changes
from floor.core.scanning.context import Reject
from floor.core.workorders.tags import refuse_if_tag, tag_forms, tag_registry
from floor.models import StationSession
from floor.models.master import User

# Letters and digits a person can read off a label without confusing them (no 0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_badge_code(session: Session) -> str:
    """A fresh random badge code no one has."""
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(User.id).where(User.badge == code)) is None and not tag_registry(
            session, tag_forms(code)
        ):
            return code


def _valid(code: str) -> str:
    text = code.strip()
    if not (4 <= len(text) <= 64 and text.isascii() and all(c.isalnum() or c in "-_" for c in text)):
        raise Reject("bad_badge_code")
    return text


def reissue_badge(session: Session, user: User, *, actor: str, new: str | None = None) -> str:
    """Give `user` a new badge code (`new`, else a random one) and retire the old one; returns the new code.

    Stations where the person was badged in forget them. Audited under `actor`, without either code.
    """
    code = new_badge_code(session) if new is None else _valid(new)
    if new is not None:
        refuse_if_tag(session, code)  # `code_is_tag`: a badge that is a tag's code would select the tag's job
    if code != user.badge and session.scalar(select(User.id).where(User.badge == code)) is not None:
        raise Reject("badge_taken", badge=code[:64])
    user.badge = code
    session.flush()  # the master-data version moves with the row (floor.core.catalog)
    result = session.execute(update(StationSession).where(StationSession.actor_id == user.id).values(actor_id=None))
    dropped = int(getattr(result, "rowcount", 0) or 0)
    changes.publish(session, changes.MASTER)
    audit.record(session, actor, "reissue_badge", f"user:{user.id}", name=user.name, stations_cleared=dropped)
    return code
