"""Comebacks (SPEC 10.5): a car back within 30 days of a delivery is flagged, confirmed or dismissed, and counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.aftersales import comebacks
from floor.core.aftersales.errors import AftersalesError
from floor.core.vehicles.history import vehicle_file
from floor.models import Vehicle
from tests.aftersales_factories import EVERY_DAY, deliver, receive
from tests.repair_factories import OTHER_VIN, ROLES, VIN, job_of, person


def _flag(db, number):
    with db.reading() as s:
        return comebacks.flag_of(s, job_of(s, number), EVERY_DAY)


def _decide(db, number, of, confirmed, badge="ADV1"):
    with db.writing() as s:
        comebacks.decide(
            s,
            job_of(s, number),
            of,
            confirmed,
            None,
            person(db, badge),
            f"U:{badge}",
            clock.now(),
            roles=ROLES,
            settings=EVERY_DAY,
        )


def test_a_returning_car_is_flagged_at_reception_and_counted_once_confirmed(garage, pinned_clock):
    """GIVEN a job with a concern delivered by Li Wei WHEN the car comes back 10 days later THEN reception's check
    names the earlier job, its concern and technician, and suggests Li Wei and internal pay; the new job is flagged
    (confirmed null); once the advisor confirms it, comeback_rate counts 1 of 1 delivered, for Li Wei."""
    receive(garage, "5001", concern="Front brakes squeal")
    deliver(garage, "5001", technician="T001")
    start = clock.now() - timedelta(hours=1)
    pinned_clock.advance(timedelta(days=10))
    with garage.reading() as s:
        vid = s.scalar(select(Vehicle.id).where(Vehicle.vin == VIN))
        flag = comebacks.check(s, vid, clock.now(), EVERY_DAY)
    assert flag is not None
    assert (flag["of"], flag["concerns"], flag["technicians"], flag["suggest"]) == (
        "5001",
        ["Front brakes squeal"],
        ["Li Wei"],
        {"technician": "Li Wei", "pay": "internal"},
    )
    receive(garage, "5002", concern="Brakes squeal again")
    assert _flag(garage, "5002")["confirmed"] is None
    _decide(garage, "5002", "5001", True)
    assert _flag(garage, "5002")["confirmed"] is True
    with garage.reading() as s:
        r = comebacks.rates(s, start, clock.now() + timedelta(hours=1), EVERY_DAY)
    assert (r["comebacks"], r["delivered"], r["comeback_rate"]) == (1, 1, 1.0)
    assert [(t["technician"], t["comeback_rate"]) for t in r["technicians"]] == [("Li Wei", 1.0)]
    with garage.reading() as s:  # the vehicle's file names the earlier job of a confirmed comeback
        car = s.scalar(select(Vehicle).where(Vehicle.vin == VIN))
        jobs = {j["number"]: j["comeback_of"] for j in vehicle_file(s, car, clock.now().date())["jobs"]}
    assert (jobs["5002"], jobs["5001"]) == ("5001", None)


def test_a_dismissed_flag_is_not_counted(garage, pinned_clock):
    """GIVEN a car back 5 days after delivery WHEN the advisor dismisses the flag THEN comeback_rate is 0."""
    receive(garage, "5003")
    deliver(garage, "5003")
    start = clock.now() - timedelta(hours=1)
    pinned_clock.advance(timedelta(days=5))
    receive(garage, "5004")
    _decide(garage, "5004", "5003", False)
    assert _flag(garage, "5004")["confirmed"] is False
    with garage.reading() as s:
        assert comebacks.rates(s, start, clock.now() + timedelta(hours=1), EVERY_DAY)["comeback_rate"] == 0.0


def test_a_car_back_after_31_days_or_another_car_is_not_flagged(garage, pinned_clock):
    """GIVEN a delivery WHEN the car comes back 31 days later, or another car comes in THEN no flag; naming the old
    job as its comeback is refused (not_a_comeback), as is a job of another vehicle."""
    receive(garage, "5005")
    deliver(garage, "5005")
    pinned_clock.advance(timedelta(days=31))
    receive(garage, "5006")
    receive(garage, "5007", vin=OTHER_VIN)
    assert _flag(garage, "5006") is None and _flag(garage, "5007") is None
    for number in ("5006", "5007"):
        with pytest.raises(AftersalesError) as err:
            _decide(garage, number, "5005", True)
        assert err.value.code == "not_a_comeback"


def test_a_technician_may_not_decide(garage, pinned_clock):
    """GIVEN a flagged job WHEN a technician confirms it THEN role_denied."""
    receive(garage, "5008")
    deliver(garage, "5008")
    pinned_clock.advance(timedelta(days=2))
    receive(garage, "5009")
    with pytest.raises(AftersalesError) as err:
        _decide(garage, "5009", "5008", True, badge="T001")
    assert err.value.code == "role_denied"
