"""Use cases of stations (SPEC 9.1): redeem a kiosk's one-time enrolment URL, audited in the same transaction.

The kiosk door hands over the token from the URL and the client's address; the use case redeems it once
(`floor.core.enrolment.redeem`: unknown, used or expired is an `EnrolmentError`) and records who enrolled
which station. The door then binds the browser with its signed cookie.
"""

from __future__ import annotations

from dataclasses import dataclass

from floor.core import enrolment
from floor.core.audit import record
from floor.db import Database


@dataclass(frozen=True)
class Enrolled:
    """A redeemed enrolment: the station the browser is now bound to and the enrolment's id (for the cookie)."""

    station: str
    enrolment_id: int


def redeem_enrolment(db: Database, token: str, remote: str) -> Enrolled:
    """Redeem a one-time enrolment token from the client at `remote` (its address, or `-`), audited as `kiosk.enrol`."""
    with db.writing() as s:
        row = enrolment.redeem(s, token)
        done = Enrolled(row.station, row.id)
        record(s, f"kiosk:{remote}", "kiosk.enrol", done.station, enrolment=done.enrolment_id)
    return done
