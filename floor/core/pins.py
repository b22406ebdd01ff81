"""A badge says who, a PIN says yes (SPEC 10.6): PINs, their lockout, and the approver of a privileged act.

- A PIN is 4 to 12 ASCII digits, stored only as a memory-hard hash (`hashlib.scrypt`, a per-user salt, the
  parameters kept beside the hash so they can be raised later without breaking stored PINs).
- `verify_pin` refuses with `pin_required` (none given), `pin_not_set` (the person has none yet), `bad_pin`
  (wrong; the message says how many tries are left) or `pin_locked` (MAX_TRIES wrong tries in a row lock that
  person's privileged acts for LOCK_MINUTES; a supervisor or admin resets it by setting a new PIN).
- `check_approver` is the one check of whoever says yes to an approval: the role table, four eyes (nobody
  approves what they made or counted themselves: `four_eyes`), then the PIN.

A wrong PIN is counted on the person's row in the caller's session. A caller whose transaction is rolled back by
the refusal (the web answers it after the rollback) writes the count again with `record_failure` in a transaction
of its own: it is idempotent (`pin_failures` becomes at least the count the refusal carries).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import audit
from floor.core.authority import BadgeError, NotAllowed, RoleTable, resolve_badge
from floor.core.scanning.context import Reject
from floor.models.master import User

MAX_TRIES = 5
LOCK_MINUTES = 15
MIN_LEN, MAX_LEN = 4, 12
# scrypt's cost: 2**14 × 8 × 128 bytes = 16 MiB of memory per try, about 50 ms on a small box.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN = 2**14, 8, 1, 32
_SCHEME = "scrypt"


class PinError(Reject):
    """A refused PIN (`pin_required`, `pin_not_set`, `bad_pin`, `pin_locked`) or approver (`four_eyes`).

    `user_id` and `failures` say whose wrong tries to record again after a rollback (`record_failure`).
    """

    def __init__(self, code: str, /, *, user_id: int | None = None, failures: int = 0, **params: Any) -> None:
        super().__init__(code, **params)
        self.user_id = user_id
        self.failures = failures


def valid_pin(pin: object) -> str:
    """The PIN as text when it is 4-12 ASCII digits, else Reject `bad_pin_format`."""
    text = pin if isinstance(pin, str) else ""
    if not (MIN_LEN <= len(text) <= MAX_LEN and text.isascii() and text.isdigit()):
        raise Reject("bad_pin_format", min=MIN_LEN, max=MAX_LEN)
    return text


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` (hex) of a PIN; a fresh random salt unless one is given."""
    salt = os.urandom(16) if salt is None else salt
    key = hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=KEY_LEN, maxmem=64 * 1024 * 1024
    )
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def pin_matches(stored: str, pin: str) -> bool:
    """Whether `pin` hashes to `stored` under the parameters stored with it (constant-time compare)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != _SCHEME:
            return False
        got = hashlib.scrypt(
            pin.encode("ascii", "replace"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(key) // 2,
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got.hex(), key)


def set_pin(session: Session, user: User, pin: str, *, actor: str) -> None:
    """Give `user` a new PIN (clears wrong tries and any lock); audited under `actor`, never with the PIN."""
    user.pin_hash = hash_pin(valid_pin(pin))
    user.pin_failures = 0
    user.pin_locked_until = None
    session.flush()
    audit.record(session, actor, "set_pin", f"user:{user.id}", name=user.name)


def _locked(user: User, now: datetime) -> bool:
    return user.pin_locked_until is not None and user.pin_locked_until > now


def _lock_refusal(user: User) -> PinError:
    until = user.pin_locked_until
    shown = until.strftime("%H:%M") if until is not None else "-"
    return PinError("pin_locked", user_id=user.id, name=user.name, tries=MAX_TRIES, until=shown)


def _note_failure(user: User, failures: int, now: datetime) -> None:
    user.pin_failures = max(user.pin_failures or 0, failures)
    if user.pin_failures >= MAX_TRIES and not _locked(user, now):
        user.pin_locked_until = now + timedelta(minutes=LOCK_MINUTES)


def record_failure(session: Session, user_id: int, failures: int, *, now: datetime) -> None:
    """Write a wrong try again after the refused act's transaction rolled back (idempotent)."""
    user = session.get(User, user_id, with_for_update=True)
    if user is not None:
        _note_failure(user, failures, now)


def verify_pin(session: Session, user: User, pin: object, *, now: datetime, action: str = "") -> None:
    """Accept `user`'s PIN or raise PinError; a good PIN clears the wrong tries, a wrong one counts (see module)."""
    if _locked(user, now):
        raise _lock_refusal(user)
    if pin is None or (isinstance(pin, str) and not pin.strip()):
        raise PinError("pin_required", name=user.name, action=action)
    if not user.pin_hash:
        raise PinError("pin_not_set", name=user.name)
    text = pin if isinstance(pin, str) else str(pin)
    if text.isascii() and text.isdigit() and pin_matches(user.pin_hash, text):
        if user.pin_failures or user.pin_locked_until is not None:
            user.pin_failures = 0
            user.pin_locked_until = None
        return
    failures = (user.pin_failures or 0) + 1
    _note_failure(user, failures, now)
    session.flush()
    if failures >= MAX_TRIES:
        exc = _lock_refusal(user)
        exc.failures = failures
        raise exc
    raise PinError(
        "bad_pin", user_id=user.id, failures=failures, name=user.name, left=MAX_TRIES - failures, minutes=LOCK_MINUTES
    )


def find_person(session: Session, who: User | str | int) -> User:
    """The active person named by a User row, a badge (a `U:` scan too) or a user id; BadgeError otherwise."""
    if isinstance(who, User):
        user = who
    elif isinstance(who, int):
        found = session.scalar(select(User).where(User.id == who))
        if found is None:
            raise BadgeError("unknown_badge", f"#{who}")
        user = found
    else:
        return resolve_badge(session, who)
    if not user.active:
        raise BadgeError("inactive_badge", "-", user.name)
    return user


class _Someone(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


def refuse_own_work(approver: _Someone, doer_id: int | Iterable[int | None] | None, act: str) -> None:
    """Four eyes: raise `four_eyes` when the approver is (one of) the people who did the work."""
    doers = {doer_id} if doer_id is None or isinstance(doer_id, int) else set(doer_id)
    if approver.id in doers:
        raise PinError("four_eyes", name=approver.name, action=act)


def check_approver(
    session: Session,
    approver: User | str | int,
    pin: object,
    *,
    doer_id: int | Iterable[int | None] | None,
    act: str,
    roles: RoleTable,
    now: datetime | None = None,
) -> User:
    """THE check of whoever approves `act`: an active person the role table allows, not the doer, with their PIN.

    `doer_id` is the person (or people) who made or counted what is approved. Raises BadgeError, NotAllowed
    (`role_denied`, naming who may) or PinError (`four_eyes`, `pin_required`, `pin_not_set`, `bad_pin`,
    `pin_locked`); returns the approver.
    """
    user = find_person(session, approver)
    if not roles.may(user.role, act):
        raise NotAllowed(act, user.role, user.name, roles.roles_for(act))
    refuse_own_work(user, doer_id, act)
    verify_pin(session, user, pin, now=now or clock.now(), action=act)
    return user
