"""A supervisor's badge unlocked on this kiosk for a few minutes (stocktake variance, admin pages).

Held in the signed Flask session; the time is the one clock. Which role may unlock what
is the role table's: the caller names the action.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import session as web_session
from sqlalchemy import select

from floor import clock
from floor.http.app import floor_app
from floor.models import User

UNLOCK_MINUTES = 15
_KEY = "kiosk_supervisor"


def unlock(user: User) -> None:
    """Remember this person on this kiosk for UNLOCK_MINUTES."""
    until = clock.now() + timedelta(minutes=UNLOCK_MINUTES)
    web_session[_KEY] = {"badge": user.badge, "role": user.role, "name": user.name, "until": until.timestamp()}


def lock() -> None:
    """Forget the unlocked person."""
    web_session.pop(_KEY, None)


def unlocked() -> dict[str, Any] | None:
    """The person unlocked on this kiosk (badge, role, name) while the unlock lasts, else None.

    The badge must still be that person's, active, in that role: a reissued badge (SPEC 10.6), a deactivated
    person or a changed role ends the unlock at once.
    """
    held = web_session.get(_KEY)
    if not held or float(held.get("until", 0)) < clock.now().timestamp():
        return None
    with floor_app().db.reading() as s:
        user = s.scalar(select(User).where(User.badge == str(held.get("badge", ""))))
        if user is None or not user.active or user.role != held.get("role"):
            web_session.pop(_KEY, None)
            return None
    return held


def unlocked_may(action: str) -> bool:
    """Whether the unlocked person's role may do `action` (the role table decides)."""
    held = unlocked()
    return held is not None and floor_app().cfg.role_table().may(str(held.get("role")), action)
