"""A job held by reference to its vehicle and customer (SPEC 10.1): reception creates or finds them.

A job with a VIN gets that vehicle (registered now if new, the job's plate becoming its plate);
a job with only a plate gets the vehicle carrying it, if one does. `customer_code` names the
customer (SPEC 9.3); without it the job takes the vehicle's customer. A vehicle without an owner
takes the job's customer. The job's free-text `vehicle` and `customer` stay as they were.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import vin
from floor.core.vehicles.errors import vin_refusal
from floor.core.vehicles.records import VehicleValues, customer_of, save_vehicle
from floor.models import Vehicle, WorkOrder


def link_job(
    session: Session, wo: WorkOrder, customer_code: str | None, *, check_digit: bool, at: datetime
) -> list[dict[str, str]]:
    """Point the job at its vehicle and customer; returns warnings (a plate moved). Raises VehicleError, SaleError."""
    customer = customer_of(session, customer_code)
    vehicle: Vehicle | None = None
    warnings: list[dict[str, str]] = []
    if wo.vin:
        try:
            key = vin.parse_vin(wo.vin, check=check_digit)
        except vin.VinError as exc:
            raise vin_refusal(exc) from None
        values = {"plate": wo.plate} if wo.plate else {}
        saved = save_vehicle(session, VehicleValues(key, values, None, frozenset(values)), at)
        vehicle, warnings = saved.vehicle, saved.warnings
    elif wo.plate:
        vehicle = session.scalar(select(Vehicle).where(Vehicle.plate == wo.plate))
    if vehicle is not None:
        wo.vehicle_id = vehicle.id
        if vehicle.customer_id is None and customer is not None:
            vehicle.customer_id = customer.id
    if customer is not None:
        wo.customer_id = customer.id
    elif vehicle is not None:
        wo.customer_id = vehicle.customer_id
    return warnings
