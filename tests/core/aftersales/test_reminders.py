"""Service reminders (SPEC 10.5): a delivery sets the next service; due vehicles are listed with the phone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from floor import clock
from floor.core.aftersales import service
from floor.models import Vehicle
from tests.aftersales_factories import deliver, open_due, receive
from tests.repair_factories import VIN


def test_reminders_list_a_vehicle_whose_service_is_due(garage):
    """GIVEN a vehicle delivered today (next service in 6 months) THEN it is not due before then, it is due by a day
    past its date, with its customer's phone; and it is due at once when a later job's mileage reaches the due km."""
    receive(garage, "6001", mileage=42000)
    deliver(garage, "6001")
    open_due(garage)
    today = clock.now().date()
    with garage.reading() as s:
        assert service.due(s, today + timedelta(days=30)) == []
        rows = service.due(s, today + timedelta(days=200))
    assert [(r["vin"], r["customer"], r["phone"], r["due_km"]) for r in rows] == [
        (VIN, "C-ZHOU", "138 0000 0001", 47000)
    ]
    receive(garage, "6002", mileage=47500)
    with garage.reading() as s:
        assert [r["vin"] for r in service.due(s, today)] == [VIN]


def test_a_vehicle_without_a_next_service_is_not_listed(garage):
    """GIVEN the registered vehicle with no next service THEN no reminder."""
    with garage.writing() as s:
        s.execute(update(Vehicle).values(next_service_at=None, next_service_km=None))
    with garage.reading() as s:
        assert service.due(s, clock.now().date() + timedelta(days=3650)) == []


def test_months_end_on_the_last_day():
    """31 August plus 6 months is the last day of February."""
    from datetime import date

    assert service.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
