"""Kiosk enrolment (SPEC 9.1): one-time, expiring tokens that bind a browser to a station.

Only a token's SHA-256 is stored. Redeeming is one conditional UPDATE (unused and not
expired), so two workers racing for the same URL cannot both win. Time is the one clock.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from floor import clock
from floor.models import KioskEnrolment
from floor.models.base import table_of

TOKEN_BYTES = 24


class EnrolmentError(Exception):
    """An enrolment URL that names nothing (`unknown`), was used (`used`) or ran out (`expired`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(session: Session, station: str, ttl_s: int, created_by: str = "cli") -> str:
    """A new one-time token for a station (the caller has checked the station exists)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    session.add(
        KioskEnrolment(
            token_hash=_hash(token),
            station=station,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_s),
            created_by=created_by[:64],
        )
    )
    session.flush()
    return token


def redeem(session: Session, token: str) -> KioskEnrolment:
    """Use a token once: its enrolment row, or EnrolmentError saying why not."""
    if not token or len(token) > 200:
        raise EnrolmentError("unknown")
    digest = _hash(token)
    now = clock.now()
    table = table_of(KioskEnrolment)
    done = session.execute(
        update(table)
        .where(table.c.token_hash == digest, table.c.used_at.is_(None), table.c.expires_at > now)
        .values(used_at=now)
    )
    row = session.scalar(
        select(KioskEnrolment).where(KioskEnrolment.token_hash == digest).execution_options(populate_existing=True)
    )
    if row is None:
        raise EnrolmentError("unknown")
    if cast(CursorResult[Any], done).rowcount != 1:  # an UPDATE's result is a cursor result
        raise EnrolmentError("used" if row.used_at is not None else "expired")
    return row


def is_active(session: Session, enrolment_id: int, station: str) -> bool:
    """Whether an enrolment a browser's cookie names still exists for that station (deleting the row revokes it)."""
    row = session.get(KioskEnrolment, enrolment_id)
    return row is not None and row.station == station and row.used_at is not None
