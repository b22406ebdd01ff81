"""A scanned VIN opens the vehicle (SPEC 10.1), wired in floor.core.wiring for `VIN:<vin>`, the Code 39 with a
leading `I` and the door pillar's DataMatrix (floor.core.codes reads all three as `Kind.VIN`).

The vehicle must be registered: a VIN is looked up as scanned (a registered VIN passed its check when it was
registered). The answer names the vehicle, its customer, warranty and the work declined before, so reception
offers it again; a vehicle with an open job puts that job in session (as its job card would).
"""

from __future__ import annotations

from sqlalchemy import select

from floor.core import vin
from floor.core.scanning.context import Outcome, ScanContext
from floor.core.scanning.session_handlers import set_work_order
from floor.core.vehicles import history
from floor.core.vehicles.records import vehicle_for_scan
from floor.models import WorkOrder
from floor.models.workorders import CLOSED_STATUSES


def scan_vin(ctx: ScanContext) -> Outcome:
    """Open the vehicle a VIN names: `vehicle_opened`, with its open job (if any) put in session."""
    vehicle = vehicle_for_scan(ctx.session, vin.normalise(ctx.code.value), check_digit=False)
    km = history.latest_mileage(ctx.session, vehicle.id)
    declined = history.declined_work(ctx.session, vehicle.id)
    effects = {
        "vehicle": vehicle.vin,
        "plate": vehicle.plate,
        "in_warranty": history.in_warranty(vehicle, ctx.at.date(), km),
        "declined": len(declined),
    }
    params = {"vin": vehicle.vin, "plate": vehicle.plate or "-", "declined": len(declined)}
    wo = ctx.session.scalar(
        select(WorkOrder)
        .where(WorkOrder.vehicle_id == vehicle.id, WorkOrder.status.not_in(CLOSED_STATUSES))
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(1)
    )
    if wo is not None:
        job = set_work_order(ctx, wo)
        effects.update(job.effects)
        params["number"] = wo.number
        return Outcome("vehicle_job_opened", params, effects)
    return Outcome("vehicle_opened", params, effects)
