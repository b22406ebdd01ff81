"""The vehicle's file (SPEC 10.1): every job with its mileage and concerns, the warranty, the next service,
and the work recommended before and declined, so that reception offers it again.

A declined line stays on the file until a later job of the same vehicle sells the same operation
(or part) and the customer says yes to it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.workorders.status import Status
from floor.models import Comeback, Concern, Customer, LabourOperation, Part, RepairLine, Vehicle, WorkOrder
from floor.models.repair import AUTHORIZED_STATUSES, LineStatus


def latest_mileage(session: Session, vehicle_id: int) -> int | None:
    """The mileage of the vehicle's latest job that recorded one."""
    return session.scalar(
        select(WorkOrder.mileage)
        .where(WorkOrder.vehicle_id == vehicle_id, WorkOrder.mileage.is_not(None))
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(1)
    )


def in_warranty(vehicle: Vehicle, today: date, km: int | None) -> bool:
    """Whether the maker's warranty covers the car today at `km` (unknown km: judged by the day alone).

    A car with neither a warranty day nor a warranty mileage has none.
    """
    if vehicle.warranty_until is None and vehicle.warranty_km is None:
        return False
    if vehicle.warranty_until is not None and today > vehicle.warranty_until:
        return False
    return not (vehicle.warranty_km is not None and km is not None and km > vehicle.warranty_km)


def declined_work(session: Session, vehicle_id: int) -> list[dict[str, Any]]:
    """Lines the customer declined on the vehicle's jobs and has not bought since, newest first."""
    rows = session.execute(
        select(RepairLine, WorkOrder.number, WorkOrder.created_at, LabourOperation, Part.part_no, Part.name)
        .join(WorkOrder, WorkOrder.id == RepairLine.work_order_id)
        .outerjoin(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .outerjoin(Part, Part.id == RepairLine.part_id)
        .where(WorkOrder.vehicle_id == vehicle_id)
        .where(RepairLine.status.in_((LineStatus.DECLINED.value, *AUTHORIZED_STATUSES)))
        .order_by(WorkOrder.created_at.desc(), RepairLine.id.desc())
    ).all()
    bought: dict[tuple[str, int | None], list[Any]] = defaultdict(list)  # what was sold, and when its job came in
    for line, _number, received, _op, _no, _name in rows:
        if line.status != LineStatus.DECLINED.value:
            bought[(line.kind, line.operation_id or line.part_id)].append(received)
    out = []
    for line, number, received, op, part_no, part_name in rows:
        if line.status != LineStatus.DECLINED.value:
            continue
        if any(later > received for later in bought[(line.kind, line.operation_id or line.part_id)]):
            continue  # sold on a later visit
        out.append(
            {
                "workorder": number,
                "received_at": received.isoformat(),
                "line": line.id,
                "kind": line.kind,
                "op": op.code if op is not None else None,
                "part_no": part_no,
                "name": op.name if op is not None else part_name,
                "name_zh": op.name_zh if op is not None else part_name,
                "qty": line.qty,
                "hours": str(line.hours) if line.hours is not None else None,
                "price": str(line.price),
                "safety": line.safety,
            }
        )
    return out


def _jobs(session: Session, vehicle_id: int) -> list[dict[str, Any]]:
    jobs = session.execute(
        select(WorkOrder.id, WorkOrder.number, WorkOrder.created_at, WorkOrder.mileage, WorkOrder.status)
        .add_columns(WorkOrder.closed_at)
        .where(WorkOrder.vehicle_id == vehicle_id)
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
    ).all()
    concerns: dict[int, list[str]] = defaultdict(list)
    ids = [j.id for j in jobs]
    comeback_of: dict[int, str] = {}
    if ids:
        for wo_id, text in session.execute(
            select(Concern.work_order_id, Concern.text).where(Concern.work_order_id.in_(ids)).order_by(Concern.id)
        ):
            concerns[wo_id].append(text)
        numbers = {j.id: j.number for j in jobs}
        for wo_id, of in session.execute(
            select(Comeback.work_order_id, Comeback.of_work_order_id).where(
                Comeback.work_order_id.in_(ids), Comeback.confirmed.is_(True)
            )
        ):  # the comebacks the advisor confirmed (SPEC 10.5)
            comeback_of[wo_id] = numbers.get(of, "")
    return [
        {
            "number": j.number,
            "received_at": j.created_at.isoformat(),
            "mileage": j.mileage,
            "concerns": concerns[j.id],
            "status": j.status,
            "delivered_at": j.closed_at.isoformat() if j.status == Status.DELIVERED.value and j.closed_at else None,
            "comeback_of": comeback_of.get(j.id),  # a confirmed comeback: the earlier job (SPEC 10.5)
        }
        for j in jobs
    ]


def vehicle_file(session: Session, vehicle: Vehicle, today: date) -> dict[str, Any]:
    """The vehicle as `GET /api/vehicles/<vin or plate>` answers: its fields, warranty, next service, jobs, declined work."""
    customer = session.get(Customer, vehicle.customer_id) if vehicle.customer_id is not None else None
    km = latest_mileage(session, vehicle.id)
    return {
        "vin": vehicle.vin,
        "plate": vehicle.plate,
        "make": vehicle.make,
        "model": vehicle.model,
        "year": vehicle.year,
        "customer": customer.code if customer is not None else None,
        "customer_name": customer.name if customer is not None else None,
        "mileage": km,
        "in_warranty": in_warranty(vehicle, today, km),
        "warranty": {
            "until": vehicle.warranty_until.isoformat() if vehicle.warranty_until else None,
            "km": vehicle.warranty_km,
        },
        "next_service": {
            "due_at": vehicle.next_service_at.isoformat() if vehicle.next_service_at else None,
            "due_km": vehicle.next_service_km,
        },
        "jobs": _jobs(session, vehicle.id),
        "declined": declined_work(session, vehicle.id),
    }
