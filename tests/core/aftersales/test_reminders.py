"""Service reminders (SPEC 10.5): the invoice sets the next service; due vehicles are listed with the phone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from floor import clock
from floor.core.aftersales import service
from floor.models import Vehicle
from tests.aftersales_factories import deliver, invoice, open_due, ready, receive
from tests.repair_factories import VIN


def _next_service(db) -> tuple:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        car = s.scalar(select(Vehicle).where(Vehicle.vin == VIN))
        return car.next_service_at, car.next_service_km


def test_reminders_list_a_vehicle_whose_service_is_due(garage):
    """GIVEN a vehicle invoiced and delivered today (next service in 6 months) THEN it is not due before then, it is
    due by a day past its date, with its customer's phone; and it is due at once when a later job's mileage reaches
    the due km."""
    receive(garage, "6001", mileage=42000)
    deliver(garage, "6001", invoiced=True)
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


def test_the_invoice_sets_the_next_service_and_a_delivery_without_one_does_not(garage):
    """GIVEN a job with nothing to bill delivered (no invoice) THEN the vehicle's next service is unchanged (none);
    GIVEN a later job READY WHEN it is invoiced THEN, before it leaves, the next service is 6 months after the
    invoice's day and 5000 km beyond the job's mileage."""
    with garage.writing() as s:
        s.execute(update(Vehicle).values(next_service_at=None, next_service_km=None))
    receive(garage, "6101", mileage=30000)
    deliver(garage, "6101")
    open_due(garage)
    assert _next_service(garage) == (None, None)
    receive(garage, "6102", mileage=31000)
    ready(garage, "6102", labour=True)
    invoice(garage, "6102")
    assert _next_service(garage) == (service.add_months(clock.now().date(), 6), 36000)


def test_an_invoice_may_name_the_next_service_itself(garage):
    """GIVEN a READY job WHEN it is invoiced naming its next service (a date, a mileage) THEN the vehicle takes
    exactly those, not the [service] interval; a later invoice without names puts the interval back."""
    from datetime import date

    receive(garage, "6201", mileage=50000)
    ready(garage, "6201", labour=True)
    invoice(garage, "6201", {"due_at": "2027-02-01", "due_km": 53000})
    assert _next_service(garage) == (date(2027, 2, 1), 53000)
    receive(garage, "6202", mileage=50500)
    ready(garage, "6202", labour=True)
    invoice(garage, "6202")
    assert _next_service(garage) == (service.add_months(clock.now().date(), 6), 55500)
