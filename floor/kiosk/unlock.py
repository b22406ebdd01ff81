"""A supervisor unlocked on this kiosk for a few minutes (stocktake variance, admin pages).

Held in the signed Flask session, which anyone at the station can read (it is signed, not
encrypted): it holds the person's id, the end of the unlock and a seal, never the badge
(SPEC 10.6). The seal is a keyed digest of the id, badge and role as they were at the unlock,
so a reissued badge or a changed role no longer matches it and ends the unlock at once. The
time is the one clock. Which role may unlock what is the role table's: the caller names the action.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from flask import session as web_session

from floor import clock
from floor.http.app import floor_app
from floor.models import User

UNLOCK_MINUTES = 15
_KEY = "kiosk_supervisor"


def _seal(user_id: int, badge: str, role: str) -> str:
    """A digest of who was unlocked, keyed with the app's secret: it tells nothing of the badge without it."""
    key = str(current_app.secret_key or "").encode()
    return hmac.new(key, f"unlock\0{user_id}\0{badge}\0{role}".encode(), hashlib.sha256).hexdigest()


def unlock(user: User) -> None:
    """Remember this person on this kiosk for UNLOCK_MINUTES."""
    until = clock.now() + timedelta(minutes=UNLOCK_MINUTES)
    web_session[_KEY] = {"user": user.id, "until": until.timestamp(), "seal": _seal(user.id, user.badge, user.role)}


def lock() -> None:
    """Forget the unlocked person."""
    web_session.pop(_KEY, None)


def unlocked() -> dict[str, Any] | None:
    """The person unlocked on this kiosk (user_id, badge, role, name) while the unlock lasts, else None.

    The person must still be active with the badge and role they had at the unlock: a reissued badge
    (SPEC 10.6), a deactivated person or a changed role ends the unlock at once. A session of any other
    shape (one from before this form, which held the badge itself) is simply locked.
    """
    held = web_session.get(_KEY)
    if not isinstance(held, dict):
        return None
    user_id, until, seal = held.get("user"), held.get("until"), held.get("seal")
    if (
        not isinstance(user_id, int)
        or not isinstance(until, int | float)
        or not isinstance(seal, str)
        or until < clock.now().timestamp()
    ):
        web_session.pop(_KEY, None)
        return None
    with floor_app().db.reading() as s:
        user = s.get(User, user_id)
        if user is None or not user.active or not hmac.compare_digest(seal, _seal(user.id, user.badge, user.role)):
            web_session.pop(_KEY, None)
            return None
        return {"user_id": user.id, "badge": user.badge, "role": user.role, "name": user.name}


def unlocked_may(action: str) -> bool:
    """Whether the unlocked person's role may do `action` (the role table decides)."""
    held = unlocked()
    return held is not None and floor_app().cfg.role_table().may(str(held["role"]), action)
