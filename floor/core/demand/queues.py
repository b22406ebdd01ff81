"""What the counter reads from demand: a job's lines, the pick queue, special orders (and ordering them).

Each list is a fixed number of indexed queries whatever the number of jobs: the lines
with what they hold in one join, then the bins of the parts named in one more.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from floor.core.demand.rules import DemandError
from floor.models import Location, Part, PartRequest, Reservation, StockLevel, WorkOrder
from floor.models.workorders import CLOSED_STATUSES

_SHORT = ("partial", "backordered")


def _held_join() -> Any:
    return and_(Reservation.holder == "request", Reservation.holder_id == PartRequest.id)


def job_lines(session: Session, wo_id: int) -> list[dict[str, Any]]:
    """Every request line of one job (oldest first): requested, reserved, issued, status, first-time fill."""
    rows = session.execute(
        select(PartRequest, Part.part_no, Part.name, Reservation.qty)
        .join(Part, Part.id == PartRequest.part_id)
        .outerjoin(Reservation, _held_join())
        .where(PartRequest.work_order_id == wo_id)
        .order_by(PartRequest.id)
    ).all()
    return [
        {
            "id": line.id,
            "part_no": part_no,
            "name": name,
            "qty": line.qty,
            "reserved": int(held or 0),
            "issued": line.issued,
            "status": line.status,
            "filled_from_stock": line.filled_from_stock,
            "needs_approval": line.needs_approval,
            "approved_at": line.approved_at.isoformat() if line.approved_at else None,
            "requested_via": line.requested_via,
            "created_at": line.created_at.isoformat(),
        }
        for line, part_no, name, held in rows
    ]


def bins_by_part(session: Session, part_ids: set[int]) -> dict[int, list[tuple[str, int]]]:
    """Bins holding each part, fullest first (where to pick)."""
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    ids = sorted(part_ids)
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(StockLevel.part_id, Location.code, StockLevel.qty)
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.part_id.in_(ids[i : i + 500]), StockLevel.qty > 0)
            .order_by(StockLevel.part_id, StockLevel.qty.desc(), Location.code)
        )
        for part_id, code, qty in rows:
            out[part_id].append((code, int(qty)))
    return out


def picks(session: Session, workorder: str | None = None) -> list[dict[str, Any]]:
    """What the counter should pick: held stock of open lines, earliest promised job first, with bins."""
    stmt = (
        select(
            PartRequest.id,
            PartRequest.part_id,
            WorkOrder.number,
            WorkOrder.promised_at,
            Part.part_no,
            Part.name,
            Reservation.qty,
        )
        .join(Reservation, _held_join())
        .join(WorkOrder, WorkOrder.id == PartRequest.work_order_id)
        .join(Part, Part.id == PartRequest.part_id)
        .where(PartRequest.status.in_(("reserved", "partial")), WorkOrder.status.not_in(CLOSED_STATUSES))
        .order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, WorkOrder.number, PartRequest.id)
    )
    if workorder is not None:
        stmt = stmt.where(WorkOrder.number == workorder)
    rows = session.execute(stmt).all()
    bins = bins_by_part(session, {r.part_id for r in rows})
    out = []
    for r in rows:
        where = bins.get(r.part_id, [])
        out.append(
            {
                "workorder": r.number,
                "part_no": r.part_no,
                "name": r.name,
                "qty": int(r.qty),
                "location": where[0][0] if where else None,
                "bins": [{"location": code, "on_hand": qty} for code, qty in where],
                "request_id": r.id,
                "promised_at": r.promised_at.isoformat() if r.promised_at else None,
            }
        )
    return out


def special_orders(session: Session, supplier: str | None = None) -> list[dict[str, Any]]:
    """Backordered demand of open jobs (what still lacks stock), per supplier then earliest promised job."""
    stmt = (
        select(
            PartRequest.id,
            PartRequest.part_id,
            PartRequest.qty,
            PartRequest.issued,
            PartRequest.status,
            WorkOrder.number,
            WorkOrder.promised_at,
            Part.part_no,
            Part.supplier,
            Reservation.qty.label("held"),
        )
        .join(WorkOrder, WorkOrder.id == PartRequest.work_order_id)
        .join(Part, Part.id == PartRequest.part_id)
        .outerjoin(Reservation, _held_join())
        .where(PartRequest.status.in_(_SHORT), WorkOrder.status.not_in(CLOSED_STATUSES))
        .order_by(Part.supplier, WorkOrder.promised_at.is_(None), WorkOrder.promised_at, PartRequest.id)
    )
    if supplier is not None:
        stmt = stmt.where(Part.supplier == supplier)
    return [
        {
            "workorder": r.number,
            "part_no": r.part_no,
            "qty": r.qty - r.issued - int(r.held or 0),
            "status": r.status,
            "supplier": r.supplier,
            "request_id": r.id,
            "promised_at": r.promised_at.isoformat() if r.promised_at else None,
        }
        for r in session.execute(stmt).all()
    ]


def order_special(session: Session, supplier: str, reference: str, actor_id: int | None, at: datetime) -> Any:
    """Put a supplier's special orders on a new expected delivery (the receiving of issue 8), one line per part."""
    from floor.core.receiving.deliveries import DeliveryRow, import_deliveries

    lines = [x for x in special_orders(session, supplier) if x["qty"] > 0]
    if not lines:
        raise DemandError("special_order_empty", 409, supplier=supplier)
    rows = [
        DeliveryRow(i + 1, supplier, reference, "purchase_order", x["part_no"], x["qty"]) for i, x in enumerate(lines)
    ]
    (delivery,) = import_deliveries(session, rows, actor_id, at)
    return delivery, lines


def backordered_jobs(session: Session, wo_ids: Any = None) -> set[int]:
    """Open jobs with any line still short of stock (the board's waiting-parts flag)."""
    stmt = select(PartRequest.work_order_id).where(PartRequest.status.in_(_SHORT)).distinct()
    if wo_ids is not None:
        stmt = stmt.where(PartRequest.work_order_id.in_(wo_ids))
    return set(session.scalars(stmt))
