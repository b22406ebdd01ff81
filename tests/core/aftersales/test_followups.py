"""Follow-up calls (SPEC 10.5): a delivered job's call, retries on working days, expiry, a low score's complaint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.aftersales import followups
from floor.core.aftersales.errors import AftersalesError
from floor.core.aftersales.settings import AftersalesSettings
from floor.models import Complaint, Followup, FollowupCall, Vehicle
from tests.aftersales_factories import EVERY_DAY, deliver, open_due, receive
from tests.repair_factories import ROLES, VIN, person


def _followup(db) -> Followup:
    with db.reading() as s:
        fu = s.scalar(select(Followup))
        assert fu is not None
        s.expunge(fu)
        return fu


def _call(db, fu_id, reached, score=None, note=None, badge="ADV1", settings=EVERY_DAY):
    with db.writing() as s:
        fu = followups.get(s, fu_id, lock=True)
        done = followups.log_call(
            s, fu, reached, score, note, person(db, badge), f"U:{badge}", clock.now(), roles=ROLES, settings=settings
        )
        return done.followup.status, done.followup.attempts, done.complaint.id if done.complaint else None


def test_a_delivered_job_produces_its_followup_due_three_days_later(garage):
    """GIVEN a job delivered now WHEN the follow-ups are opened THEN it has one, due 3 days after delivery, open, no
    attempts; opening again opens nothing more; the vehicle's next service is not the delivery's to set (the invoice
    sets it, and this job had none)."""
    receive(garage, "3001", concern="Brakes squeal")
    deliver(garage, "3001")
    delivered = clock.now()
    assert open_due(garage) == 1
    assert open_due(garage) == 0
    fu = _followup(garage)
    assert fu.status == "open" and fu.attempts == 0
    assert abs(fu.due_at - (delivered + timedelta(days=3))) < timedelta(seconds=5)
    with garage.reading() as s:
        rows = followups.listing(s, "open", clock.now(), EVERY_DAY)
        car = s.scalar(select(Vehicle).where(Vehicle.vin == VIN))
        assert car is not None
        assert (car.next_service_at, car.next_service_km) == (None, None)
    assert [(r["workorder"], r["phone"], r["work"]) for r in rows] == [("3001", "138 0000 0001", ["Brakes squeal"])]


def test_a_job_not_delivered_has_no_followup(garage):
    """GIVEN a job received but not delivered THEN no follow-up is opened."""
    receive(garage, "3002")
    assert open_due(garage) == 0


def test_a_call_not_reached_is_tried_the_next_working_day_up_to_the_attempts(garage, pinned_clock):
    """GIVEN [site] working days Monday to Friday and a follow-up WHEN a call on a Friday does not reach the customer
    THEN it is due again on Monday morning; the third unanswered call fails it and a fourth is refused."""
    weekdays = AftersalesSettings()
    receive(garage, "3003")
    deliver(garage, "3003")
    open_due(garage, weekdays)
    fu = _followup(garage)
    now = clock.now()
    pinned_clock.advance(timedelta(days=(4 - now.weekday()) % 7 or 7))  # to the next Friday
    assert clock.now().isoweekday() == 5
    assert _call(garage, fu.id, False, settings=weekdays) == ("open", 1, None)
    again = _followup(garage).due_at
    assert again.isoweekday() == 1 and again.hour == 9 and again > clock.now()
    assert _call(garage, fu.id, False, settings=weekdays) == ("open", 2, None)
    assert _call(garage, fu.id, False, settings=weekdays) == ("failed", 3, None)
    with pytest.raises(AftersalesError) as err:
        _call(garage, fu.id, True, 9, settings=weekdays)
    assert err.value.code == "followup_closed"
    with garage.reading() as s:
        assert len(s.scalars(select(FollowupCall)).all()) == 3


def test_a_followup_expires_after_fifteen_days(garage, pinned_clock):
    """GIVEN a follow-up never reached WHEN 15 days have passed since delivery THEN it is failed and takes no call."""
    receive(garage, "3004")
    deliver(garage, "3004")
    open_due(garage)
    pinned_clock.advance(timedelta(days=15, minutes=1))
    open_due(garage)
    fu = _followup(garage)
    assert fu.status == "failed"
    with pytest.raises(AftersalesError) as err:
        _call(garage, fu.id, True, 10)
    assert err.value.code == "followup_closed"


def test_a_low_score_opens_a_complaint_linked_to_the_job(garage):
    """GIVEN a follow-up WHEN the customer is reached and scores 6 THEN it is done and a complaint on the job opens,
    with the job's vehicle and customer; a score of 7 opens none."""
    receive(garage, "3005")
    deliver(garage, "3005")
    open_due(garage)
    fu = _followup(garage)
    status, attempts, complaint_id = _call(garage, fu.id, True, 6, "Waited too long")
    assert (status, attempts) == ("done", 1) and complaint_id is not None
    with garage.reading() as s:
        c = s.get(Complaint, complaint_id)
        assert c is not None
        assert (c.channel, c.work_order_id, c.followup_id) == ("followup", fu.work_order_id, fu.id)
        assert c.vehicle_id is not None and c.customer_id is not None
        kpi = followups.kpis(s, clock.now() - timedelta(days=1), clock.now() + timedelta(days=1))
        assert kpi["csi"] == 6.0 and kpi["followup_rate"] == 1.0


@pytest.mark.parametrize("score", [-1, 11, 7.5, "9", True])
def test_a_score_outside_0_to_10_is_refused(garage, score):
    """GIVEN a follow-up WHEN a score outside 0-10 (or not a whole number) is logged THEN bad_score, nothing logged."""
    receive(garage, "3006")
    deliver(garage, "3006")
    open_due(garage)
    fu = _followup(garage)
    with pytest.raises(AftersalesError) as err:
        _call(garage, fu.id, True, score)
    assert err.value.code == "bad_score"
    with pytest.raises(AftersalesError):
        _call(garage, fu.id, False, 8)  # a score without reaching the customer
    assert _followup(garage).attempts == 0


def test_a_technician_may_not_log_a_call(garage):
    """GIVEN a follow-up WHEN a technician logs a call THEN role_denied."""
    receive(garage, "3007")
    deliver(garage, "3007")
    open_due(garage)
    with pytest.raises(AftersalesError) as err:
        _call(garage, _followup(garage).id, True, 9, badge="T001")
    assert err.value.code == "role_denied"


def test_the_call_is_due_on_a_working_day_in_the_site_time_zone():
    """GIVEN Shanghai, Monday to Friday WHEN a job is delivered on a Wednesday 20:00 UTC (Thursday 04:00 local)
    THEN the call is due 3 days later, Sunday local, moved to Monday at the same local time."""
    settings = AftersalesSettings(timezone="Asia/Shanghai")
    delivered = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    due = followups.due_at(delivered, settings)
    assert due == datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 04:00 in Shanghai
