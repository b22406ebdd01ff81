"""Counts use cases called directly (no door): approving a count with a supervisor's badge and PIN."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor.application import counts
from floor.config.settings import count_settings
from floor.core.counts.plans import create_count
from floor.core.pins import PinError
from floor.core.results import ScanInput
from floor.models import AuditEntry, CountSession, StockMove, User


@pytest.fixture
def counted(shop, service) -> int:
    """A count of zone B where S001 counted OF-100 as 3 (the book says 4): one variance line."""
    with shop.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    texts = ("U:S001", f"CNT:{count_id}", "L:B-02-01", "Q:3", "P:OF-100")
    results = service.submit("handheld-1", "dev-x", [ScanInput(t.encode(), None, None) for t in texts])
    assert all(r.ok for r in results), results
    return count_id


def test_approve_posts_the_adjustment_and_audits(shop, cfg, counted):
    """GIVEN a counted count WHEN a supervisor approves with badge and PIN
    THEN it is approved with one adjustment, and one audit entry names the supervisor."""
    result = counts.approve(shop, cfg, count_settings(cfg), counted, "U:SUP1", "2468")
    assert result["status"] == "approved" and result["adjustments"] == 1
    with shop.reading() as s:
        assert s.get(CountSession, counted).status == "approved"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "approve_count")).one()
        assert (entry.actor, entry.object) == ("U:SUP1", f"count:{counted}")
        assert s.scalar(select(StockMove.qty).where(StockMove.ref == f"CNT:{counted}")) == -1


def test_wrong_pin_changes_nothing_but_counts_the_try(shop, cfg, counted):
    """GIVEN a counted count WHEN the supervisor gives a wrong PIN THEN `bad_pin`, the count stays open with no
    adjustment nor audit entry, and the wrong try is kept on the person (it outlives the rolled-back write)."""
    with pytest.raises(PinError) as refused:
        counts.approve(shop, cfg, count_settings(cfg), counted, "SUP1", "0000")
    assert refused.value.code == "bad_pin"
    with shop.reading() as s:
        assert s.get(CountSession, counted).status == "open"
        assert s.scalar(select(StockMove.id).where(StockMove.ref == f"CNT:{counted}")) is None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "approve_count")) is None
        assert s.scalar(select(User.pin_failures).where(User.badge == "SUP1")) == 1


def test_the_gate_refuses_first(shop, cfg, counted):
    """GIVEN a door's gate that refuses WHEN approving THEN its refusal stands and the count stays open."""

    def gate(_session: object) -> None:
        raise LookupError("not this door")

    with pytest.raises(LookupError):
        counts.approve(shop, cfg, count_settings(cfg), counted, "SUP1", "2468", gate=gate)
    with shop.reading() as s:
        assert s.get(CountSession, counted).status == "open"
