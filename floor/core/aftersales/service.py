"""Service reminders (SPEC 10.5): the next service by date or mileage, whichever comes first.

The invoice sets it (SPEC 10.4/10.5): `after_invoice` puts the vehicle's next service `[service]
interval_months` after the invoice's day (site time) and `interval_km` beyond the job's mileage, or
the values given on that invoice. A job delivered without an invoice (nothing billed, or released
unpaid and not invoiced yet) leaves the vehicle's next service as it was. `due` lists the vehicles
whose service falls due by a day, or whose last recorded mileage has reached the due mileage.
"""

from __future__ import annotations

import calendar as months
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from floor.core.aftersales import calendar
from floor.core.aftersales.settings import AftersalesSettings
from floor.models import Customer, Vehicle, WorkOrder


def add_months(day: date, n: int) -> date:
    """`day` moved on by `n` calendar months (the 31st becomes the month's last day)."""
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def set_next_service(vehicle: Vehicle, due_at: date | None, due_km: int | None, at: datetime) -> None:
    """The vehicle's next service, as an invoice sets it."""
    vehicle.next_service_at, vehicle.next_service_km, vehicle.updated_at = due_at, due_km, at


def after_invoice(
    session: Session,
    vehicle_id: int | None,
    invoiced: datetime,
    mileage: int | None,
    settings: AftersalesSettings,
    *,
    due_at: date | None = None,
    due_km: int | None = None,
) -> None:
    """A job of this vehicle was invoiced: its next service is one interval on, or what the invoice names.

    The intervals never move a next service set by a later invoice back (a late invoice of an older job,
    released unpaid); values named on the invoice always apply.
    """
    if vehicle_id is None:
        return
    vehicle = session.get(Vehicle, vehicle_id)
    if vehicle is None:
        return
    if due_at is not None or due_km is not None:
        set_next_service(vehicle, due_at, due_km, invoiced)
        return
    at = add_months(calendar.local(invoiced, settings).date(), settings.service_months)
    if vehicle.next_service_at is not None and vehicle.next_service_at > at:
        return  # set by a later invoice already
    km = mileage + settings.service_km if mileage is not None else vehicle.next_service_km
    set_next_service(vehicle, at, km, invoiced)


def due(session: Session, before: date, limit: int = 5000) -> list[dict[str, Any]]:
    """Vehicles whose next service is due by `before` or whose last mileage has reached the due mileage."""
    last_km = (
        select(WorkOrder.vehicle_id.label("vid"), func.max(WorkOrder.mileage).label("km"))
        .where(WorkOrder.vehicle_id.is_not(None))
        .group_by(WorkOrder.vehicle_id)
        .subquery()
    )
    rows = session.execute(
        select(Vehicle, Customer.code, Customer.name, Customer.phone, last_km.c.km)
        .outerjoin(Customer, Customer.id == Vehicle.customer_id)
        .outerjoin(last_km, last_km.c.vid == Vehicle.id)
        .where(
            or_(
                Vehicle.next_service_at <= before,
                (Vehicle.next_service_km.is_not(None)) & (last_km.c.km >= Vehicle.next_service_km),
            )
        )
        .order_by(Vehicle.next_service_at, Vehicle.id)
        .limit(limit)
    ).all()
    return [
        {
            "vin": v.vin,
            "plate": v.plate,
            "customer": code,
            "customer_name": name,
            "phone": phone or "",
            "due_at": v.next_service_at.isoformat() if v.next_service_at else None,
            "due_km": v.next_service_km,
            "mileage": km,
        }
        for v, code, name, phone, km in rows
    ]
