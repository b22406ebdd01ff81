"""Complaints (SPEC 10.5): intake, steps in order with who/when/note, deadlines, overdue, monthly statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.aftersales import complaints
from floor.core.aftersales.errors import AftersalesError
from floor.core.aftersales.settings import AftersalesSettings
from floor.models import AuditEntry, Complaint, WorkOrder
from tests.aftersales_factories import EVERY_DAY, deliver, receive
from tests.repair_factories import ROLES, person


def _open(db, category="quality", text="The noise is back", channel="phone", badge="ADV1", wo=None):
    with db.writing() as s:
        wo_id = s.scalar(select(WorkOrder.id).where(WorkOrder.number == wo)) if wo else None
        c = complaints.open_complaint(
            s,
            complaints.Intake(channel, category, text, work_order_id=wo_id),
            person(db, badge),
            f"U:{badge}",
            clock.now(),
            roles=ROLES,
            settings=EVERY_DAY,
        )
        return c.id


def _step(db, cid, name, note="done", badge="ADV1", to=None):
    with db.writing() as s:
        c = complaints.get(s, cid, lock=True)
        complaints.step(
            s,
            c,
            name,
            note,
            person(db, badge),
            f"U:{badge}",
            clock.now(),
            roles=ROLES,
            to=person(db, to) if to else None,
        )
        return c.status


def test_a_complaint_runs_to_closure_within_its_deadlines(garage, pinned_clock):
    """GIVEN a complaint on a delivered job WHEN it is assigned, answered the next day, resolved and closed by a
    supervisor THEN each step is kept with who, when and the note, it is on time, and counted in the month's stats."""
    receive(garage, "4001")
    deliver(garage, "4001")
    cid = _open(garage, wo="4001")
    opened = clock.now()
    with garage.reading() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.vehicle_id is not None and c.customer_id is not None
        assert abs(c.respond_by - (opened + timedelta(hours=48))) < timedelta(seconds=5)
        assert abs(c.resolve_by - (opened + timedelta(days=7))) < timedelta(seconds=5)
    assert _step(garage, cid, "assign", "Please call back", to="F001") == "assigned"
    pinned_clock.advance(timedelta(days=1))
    assert _step(garage, cid, "respond", "Called, booked in") == "responded"
    pinned_clock.advance(timedelta(days=2))
    assert _step(garage, cid, "resolve", "Mount replaced under warranty") == "resolved"
    assert _step(garage, cid, "close", "Customer satisfied", badge="SUP1") == "closed"
    with garage.reading() as s:
        steps = complaints.steps_of(s, cid)
        assert [(x["step"], x["by"], x["note"]) for x in steps] == [
            ("open", "Liu Yang (advisor)", "The noise is back"),
            ("assigned", "Liu Yang (advisor)", "Please call back"),
            ("responded", "Liu Yang (advisor)", "Called, booked in"),
            ("resolved", "Liu Yang (advisor)", "Mount replaced under warranty"),
            ("closed", "Chen Jie (supervisor)", "Customer satisfied"),
        ]
        assert steps[1]["to"] == "Zhao Gang"
        c = s.get(Complaint, cid)
        assert c is not None and complaints.on_time(c) and complaints.overdue(c, clock.now()) == []
        stats = complaints.monthly(s, opened - timedelta(days=40), clock.now() + timedelta(days=1), EVERY_DAY)
        assert [(r["category"], r["complaints"], r["closed"], r["on_time_share"]) for r in stats] == [
            ("quality", 1, 1, 1.0)
        ]
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"open_complaint", "complaint_assign", "complaint_respond", "complaint_close"} <= actions


def test_a_complaint_not_answered_in_48_hours_is_overdue(garage, pinned_clock):
    """GIVEN a complaint WHEN 49 hours pass without an answer THEN it is overdue (respond) and listed as an alert;
    answered late it is not on time."""
    cid = _open(garage)
    pinned_clock.advance(timedelta(hours=49))
    with garage.reading() as s:
        alerts = complaints.listing(s, None, clock.now(), overdue_only=True)
        assert [(a["id"], a["overdue"]) for a in alerts] == [(cid, ["respond"])]
    _step(garage, cid, "respond", "Sorry, called back")
    _step(garage, cid, "resolve", "Refunded the diagnosis")
    with garage.reading() as s:
        c = s.get(Complaint, cid)
        assert c is not None and not complaints.on_time(c)
        assert complaints.kpis(s, clock.now() - timedelta(days=5), clock.now())["complaints_on_time"] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"text": "  "}, "text"), ({"category": "weather"}, "category"), ({"channel": "pigeon"}, "channel")],
)
def test_bad_intake_is_refused(garage, kwargs, field):
    """GIVEN empty text, an unknown category or channel THEN bad_complaint_field naming it, nothing written."""
    with pytest.raises(AftersalesError) as err:
        _open(garage, **kwargs)
    assert (err.value.code, err.value.params["field"]) == ("bad_complaint_field", field)
    with garage.reading() as s:
        assert s.scalars(select(Complaint)).all() == []


def test_steps_out_of_order_are_refused(garage):
    """GIVEN a complaint THEN it cannot be resolved before it is answered, nor closed before resolved; a closed one
    cannot be reassigned; an empty note is refused; a technician may not open one."""
    cid = _open(garage)
    for name in ("resolve", "close"):
        with pytest.raises(AftersalesError) as err:
            _step(garage, cid, name, badge="SUP1")
        assert err.value.code == "complaint_step_order"
    with pytest.raises(AftersalesError) as err:
        _step(garage, cid, "respond", note="")
    assert err.value.code == "bad_complaint_field"
    _step(garage, cid, "respond")
    _step(garage, cid, "resolve")
    with pytest.raises(AftersalesError) as err:
        _step(garage, cid, "close", badge="ADV1")
    assert err.value.code == "role_denied"
    _step(garage, cid, "close", badge="SUP1")
    with pytest.raises(AftersalesError) as err:
        _step(garage, cid, "assign", to="F001")
    assert err.value.code == "complaint_step_order"
    with pytest.raises(AftersalesError) as err:
        _open(garage, badge="T001")
    assert err.value.code == "role_denied"


def test_deadlines_follow_the_site_time_zone_and_working_days():
    """GIVEN Shanghai, Monday to Friday WHEN a complaint opens Friday 10:00 local THEN it is answered by Monday 10:00
    (48 hours lands on Sunday) and resolved by 7 working days later, the Tuesday after next."""
    settings = AftersalesSettings(timezone="Asia/Shanghai")
    opened = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    respond_by, resolve_by = complaints.deadlines(opened, settings)
    assert respond_by == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    assert resolve_by == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
