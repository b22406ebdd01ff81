"""The kiosk enrolment use case called directly: one redeem per token, audited in the same write."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor.application.stations import Enrolled, redeem_enrolment
from floor.core import enrolment
from floor.db import Database
from floor.models import AuditEntry, KioskEnrolment


def enrolments_audited(db: Database) -> list[tuple[str, str]]:
    """The `kiosk.enrol` audit entries: (actor, station)."""
    with db.reading() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.object).where(AuditEntry.action == "kiosk.enrol"))
        return [(r.actor, r.object) for r in rows]


def test_a_token_redeems_once_and_is_audited_with_the_client(shop, pinned_clock):
    """GIVEN a fresh token for counter-1 WHEN redeemed from 10.0.0.5 THEN the station and enrolment are returned and
    audited as kiosk:10.0.0.5; WHEN redeemed again THEN `used`, and no second audit entry."""
    with shop.writing() as s:
        token = enrolment.issue(s, "counter-1", 600)
    done = redeem_enrolment(shop, token, "10.0.0.5")
    with shop.reading() as s:
        row = s.scalar(select(KioskEnrolment))
        assert row is not None and done == Enrolled("counter-1", row.id) and row.used_at is not None
    with pytest.raises(enrolment.EnrolmentError) as refused:
        redeem_enrolment(shop, token, "10.0.0.6")
    assert refused.value.code == "used"
    assert enrolments_audited(shop) == [("kiosk:10.0.0.5", "counter-1")]


def test_an_unknown_token_writes_nothing(shop, pinned_clock):
    """GIVEN no token issued WHEN a made-up one is redeemed THEN `unknown` and nothing is audited."""
    with pytest.raises(enrolment.EnrolmentError) as refused:
        redeem_enrolment(shop, "not-a-token", "-")
    assert refused.value.code == "unknown"
    assert enrolments_audited(shop) == []
