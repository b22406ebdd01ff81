"""Demand use cases on one request line called directly (no door): approve, cancel, release, move."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from floor import clock
from floor.application import demand
from floor.core.authority import resolve_badge
from floor.core.demand import rules
from floor.core.demand.lines import DemandError, get_line
from floor.core.pins import PinError
from floor.core.workorders.lookup import job_by_number
from floor.db import Database
from floor.models import AuditEntry, User
from tests.web.demand.helpers import state


def asked(db: Database, cfg: Any, number: str, part_no: str, qty: int, badge: str = "T001") -> int:
    """A request line of `badge` for a job, made through the core (lines worth over 100 await approval)."""
    with db.writing() as s:
        actor = resolve_badge(s, badge)
        asks = rules.resolve_lines(s, [(part_no, qty)])
        wo = job_by_number(s, number)
        made = rules.request_parts(
            s, wo, asks, actor, f"U:{badge}", clock.now(), limit=Decimal(100), table=cfg.role_table()
        )
        return made[0].id


def actions(db: Database, action: str) -> list[tuple[str, str]]:
    """The audit entries of an action: (actor, object)."""
    with db.reading() as s:
        return [
            tuple(r) for r in s.execute(select(AuditEntry.actor, AuditEntry.object).where(AuditEntry.action == action))
        ]


def test_approve_line_with_the_pin(shop, cfg):
    """GIVEN T001's alternator line awaiting approval WHEN SUP1 approves it with the PIN THEN it holds the part
    and the approval is audited as SUP1."""
    line = asked(shop, cfg, "1001", "ALT-300", 1)
    out = demand.approve_line(shop, cfg, line, "SUP1", "2468")
    assert (out["id"], out["part_no"], out["reserved"]) == (line, "ALT-300", 1)
    assert out["status"] != "awaiting_approval"
    assert actions(shop, "approve_request") == [("U:SUP1", f"request:{line}")]


def test_approve_with_a_wrong_pin_changes_nothing_but_counts_the_try(shop, cfg):
    """GIVEN a line awaiting approval WHEN approved with a wrong PIN THEN bad_pin, nothing changed, the try kept."""
    line = asked(shop, cfg, "1001", "ALT-300", 1)
    before = state(shop)
    with pytest.raises(PinError) as refused:
        demand.approve_line(shop, cfg, line, "SUP1", "1357")
    assert refused.value.code == "bad_pin"
    assert state(shop) == before and actions(shop, "approve_request") == []
    with shop.reading() as s:
        assert s.scalar(select(User.pin_failures).where(User.badge == "SUP1")) == 1


def test_cancel_own_line_releases_it(shop, cfg):
    """GIVEN T001's spark plug line holding 2 WHEN T001 cancels it THEN it holds nothing and is cancelled."""
    line = asked(shop, cfg, "1001", "SP-200", 2)
    out = demand.cancel_line(shop, cfg, line, "T001")
    assert (out["reserved"], out["status"]) == (0, "cancelled")


def test_release_needs_the_role_and_releases_part(shop, cfg):
    """GIVEN a line holding 2 WHEN a technician releases THEN role refused, nothing changed; a supervisor
    releases 1 of it THEN it holds 1."""
    line = asked(shop, cfg, "1001", "SP-200", 2)
    before = state(shop)
    with pytest.raises(DemandError) as refused:
        demand.release_line(shop, cfg, line, "T001", 1)
    assert refused.value.code == "role_denied"
    assert state(shop) == before
    assert demand.release_line(shop, cfg, line, "SUP1", 1)["reserved"] == 1


def test_move_holds_to_another_line(shop, cfg):
    """GIVEN two lines of the same part, one holding 2 WHEN a supervisor moves 1 THEN each holds what it should."""
    a = asked(shop, cfg, "1001", "SP-200", 2)
    b = asked(shop, cfg, "1002", "SP-200", 16)
    with shop.reading() as s:
        held_b = demand.line_json(s, get_line(s, b))["reserved"]
    out = demand.move_reservation(shop, cfg, a, b, "SUP1", 1)
    assert (out["from"]["reserved"], out["to"]["reserved"]) == (1, held_b + 1)
