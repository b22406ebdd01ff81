"""After-sales use cases called directly (no door): each opens its transaction, asks the door's gate who acts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.application import aftersales
from floor.core.aftersales.errors import AftersalesError
from floor.core.authority import resolve_badge
from floor.core.refusal import Refusal
from floor.db import Database
from floor.models import AuditEntry, Complaint, Followup
from tests.aftersales_factories import deliver, receive
from tests.repair_factories import load_repair_shop


class GateSaidNo(Refusal):
    """The door's own refusal, raised by its gate."""


def audit(db: Database, action: str) -> list[tuple[str, str]]:
    """The audit entries of an action: (actor, object)."""
    with db.reading() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.object).where(AuditEntry.action == action))
        return [(r.actor, r.object) for r in rows]


@pytest.fixture
def delivered(shop: Database, pinned_clock) -> Database:
    """The repair shop with job 7001 delivered three days ago (its follow-up call is due)."""
    load_repair_shop(shop)
    receive(shop, "7001", concern="Brakes squeal")
    deliver(shop, "7001")
    pinned_clock.advance(timedelta(days=3))
    return shop


def test_a_low_score_call_opens_a_complaint_audited_as_the_gate_person(delivered, cfg):
    """GIVEN job 7001's follow-up, opened by the list WHEN ADV1 (the gate's person) logs a reached call scoring 5
    THEN it is done, a complaint is open, and both are audited as U:ADV1 in the same write."""
    rows = aftersales.open_followups(delivered, cfg, "open", clock.now())
    fu = next(r for r in rows if r["workorder"] == "7001")
    seen: list[object] = []

    def gate(session):
        seen.append(session)
        return resolve_badge(session, "ADV1")

    body = aftersales.log_call(delivered, cfg, fu["id"], {"reached": True, "score": 5}, clock.now(), gate=gate)
    assert (body["status"], body["score"], body["workorder"]) == ("done", 5, "7001") and body["complaint"]
    assert len(seen) == 1  # the gate is asked once, inside the use case's transaction
    assert audit(delivered, "followup_call") == [("U:ADV1", f"followup:{fu['id']}")]
    assert audit(delivered, "open_complaint") == [("U:ADV1", f"complaint:{body['complaint']}")]


def test_a_gate_refusal_writes_nothing(delivered, cfg):
    """GIVEN the due follow-up WHEN the gate refuses THEN its refusal comes out and no call is logged or audited."""
    fu = aftersales.open_followups(delivered, cfg, "open", clock.now())[0]

    def gate(session):
        raise GateSaidNo("badge_refused")

    with pytest.raises(GateSaidNo):
        aftersales.log_call(delivered, cfg, fu["id"], {"reached": False}, clock.now(), gate=gate)
    with delivered.reading() as s:
        assert s.get(Followup, fu["id"]).attempts == 0
    assert audit(delivered, "followup_call") == []


def test_complaint_intake_and_a_refused_step_change_nothing(delivered, cfg):
    """GIVEN a complaint taken in by ADV1 on job 7001 WHEN it is assigned to an unknown badge THEN
    `unknown_assignee` (the badge cut short), the complaint still open and only its intake audited."""
    adv1 = lambda s: resolve_badge(s, "ADV1")  # noqa: E731
    data = {"channel": "phone", "category": "quality", "text": "Still squeals", "workorder": "7001"}
    made = aftersales.open_complaint(delivered, cfg, data, clock.now(), gate=adv1)
    assert made["status"] == "open"
    with pytest.raises(AftersalesError) as refused:
        aftersales.complaint_step(
            delivered, cfg, made["id"], "assign", {"to": "NOBODY1", "note": "x"}, clock.now(), gate=adv1
        )
    assert (refused.value.code, refused.value.params["badge"]) == ("unknown_assignee", "NOBO…")
    with delivered.reading() as s:
        assert s.get(Complaint, made["id"]).status == "open"
    assert audit(delivered, "complaint_assign") == []
    assert audit(delivered, "open_complaint") == [("U:ADV1", f"complaint:{made['id']}")]
