"""What `GET /api/workorders/<n>` adds for the repair order (SPEC 10.1-10.3): the vehicle, the concerns, and the
lines, each labour line with its sold and clocked hours and the technicians who clocked it (by name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from floor.core.clocking.progress import labour_lines
from floor.core.repair.concerns import concerns_of
from floor.core.repair.estimate import line_rows
from floor.models import Customer, Vehicle, WorkOrder


def repair_order_json(session: Session, wo: WorkOrder, now: datetime) -> dict[str, Any]:
    """The job's vehicle (VIN), customer code, concerns and lines (four queries)."""
    vehicle = session.get(Vehicle, wo.vehicle_id) if wo.vehicle_id is not None else None
    customer = session.get(Customer, wo.customer_id) if wo.customer_id is not None else None
    hours = {row["id"]: row for row in labour_lines(session, wo.id, now)}
    lines = []
    for line in line_rows(session, wo.id):
        labour = hours.get(line["id"])
        if labour is not None:
            line = {
                **line,
                "sold_hours": labour["sold_hours"],
                "clocked_hours": labour["clocked_hours"],
                "technicians": labour["technicians"],
            }
        lines.append(line)
    return {
        "vehicle": vehicle.vin if vehicle is not None else None,
        "customer_code": customer.code if customer is not None else None,
        "concerns": [
            {"id": c.id, "text": c.text, "cause": c.cause, "correction": c.correction}
            for c in concerns_of(session, wo.id)
        ],
        "lines": lines,
    }
