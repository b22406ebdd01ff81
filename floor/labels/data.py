"""Reading the object a label is for from the database into the plain data its layout takes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.inputs import valid_id
from floor.core.workorders.lookup import find_job
from floor.core.workorders.status import Status
from floor.labels.kinds import (
    KINDS,
    BadgeData,
    BinData,
    CommandsData,
    CoreData,
    CountData,
    GatePassData,
    LabelData,
    PartData,
    WorkOrderData,
)
from floor.labels.model import UnknownKind, UnknownObject
from floor.models import Core, CountLocation, CountSession, Location, Part, User, WorkOrder

# Scanned prefixes a user may paste as the id ("L:A-01-03" for bin A-01-03).
_PREFIX = {
    "part": "P:",
    "bin": "L:",
    "wo": "WO:",
    "core": "C:",
    "badge": "U:",
    "count": "CNT:",
    "gatepass": "WO:",
    "receipt": "SO:",
    "jobcard": "WO:",
}


def normalise_id(kind: str, object_id: str) -> str:
    """Strip whitespace and the kind's own scan prefix from an id."""
    object_id = object_id.strip()
    prefix = _PREFIX.get(kind)
    if prefix and object_id.upper().startswith(prefix):
        object_id = object_id[len(prefix) :]
    return object_id


def load(session: Session, kind: str, object_id: str) -> LabelData:
    """The label data for one object; raise UnknownKind / UnknownObject."""
    if kind not in KINDS:
        raise UnknownKind(f"unknown label kind {kind!r}; kinds: {', '.join(KINDS)}")
    oid = normalise_id(kind, object_id)
    if not oid:
        raise UnknownObject(f"empty {kind} id")
    loader = _LOADERS[kind]
    data = loader(session, oid)
    if data is None:
        raise UnknownObject(f"no {kind} {oid!r}")
    return data


def _part(session: Session, oid: str) -> LabelData | None:
    p = session.scalar(select(Part).where(Part.part_no == oid))
    return PartData(p.part_no, p.name) if p else None


def _bin(session: Session, oid: str) -> LabelData | None:
    loc = session.scalar(select(Location).where(Location.code == oid))
    return BinData(loc.code, loc.name, loc.zone) if loc else None


def _wo(session: Session, oid: str) -> LabelData | None:
    wo = find_job(session, oid)
    if wo is None:
        return None
    return WorkOrderData(
        wo.number, wo.vehicle, wo.customer, wo.promised_at, wo.estimate_minutes, wo.plate or "", wo.advisor or ""
    )


def _gatepass(session: Session, oid: str) -> LabelData | None:
    # Only a delivered job gets a gate pass: the guard lets the car out on it.
    wo = find_job(session, oid)
    if wo is None or wo.status != Status.DELIVERED:
        return None
    return GatePassData(wo.number, wo.plate or "", wo.vehicle, wo.customer, wo.closed_at, wo.advisor or "")


def _core(session: Session, oid: str) -> LabelData | None:
    # One round trip: this runs inside the issue transaction of every core part.
    row = session.execute(
        select(Core.serial, Core.created_at, WorkOrder.number, Part.part_no, Part.name)
        .join(WorkOrder, WorkOrder.id == Core.work_order_id)
        .join(Part, Part.id == Core.part_id)
        .where(Core.serial == oid)
    ).first()
    if row is None:
        return None
    return CoreData(row.serial, row.number, row.part_no, row.name, row.created_at)


def _badge(session: Session, oid: str) -> LabelData | None:
    u = session.scalar(select(User).where(User.badge == oid))
    return BadgeData(u.badge, u.name, u.role) if u else None


def _count(session: Session, oid: str) -> LabelData | None:
    count_id = valid_id(oid)
    if count_id is None:
        return None
    cs = session.get(CountSession, count_id)
    if cs is None:
        return None
    codes = session.scalars(
        select(Location.code)
        .join(CountLocation, CountLocation.location_id == Location.id)
        .where(CountLocation.count_id == cs.id)
        .order_by(Location.code)
    ).all()
    if not codes and cs.zone:
        codes = session.scalars(
            select(Location.code).where(Location.zone == cs.zone, Location.active).order_by(Location.code)
        ).all()
    return CountData(str(cs.id), cs.kind, cs.zone or "", cs.blind, tuple(codes))


def _commands(session: Session, oid: str) -> LabelData | None:
    return CommandsData(oid)


_LOADERS = {
    "part": _part,
    "bin": _bin,
    "wo": _wo,
    "core": _core,
    "badge": _badge,
    "count": _count,
    "commands": _commands,
    "gatepass": _gatepass,
    "receipt": lambda session, oid: _receipt(session, oid),
    "jobcard": lambda session, oid: _jobcard(session, oid),
}


def _receipt(session: Session, oid: str) -> LabelData | None:
    """A sale's counter receipt (or quote)."""
    from floor.core.sales.orders import sale_summary
    from floor.labels.receipt import ReceiptData, ReceiptLine
    from floor.models import Sale

    sale = session.scalar(select(Sale).where(Sale.number == oid))
    if sale is None:
        return None
    d = sale_summary(session, sale)
    lines = tuple(ReceiptLine(ln["part_no"], ln["name"], ln["qty"], ln["price"], ln["amount"]) for ln in d["lines"])
    tags = tuple((t["serial"], t["part_no"]) for t in d["core_charges"]["tags"] if t["status"] == "charged")
    at = (d["shipped_at"] or d["created_at"])[:16].replace("T", " ")
    name = d["customer_name"] or d["customer"] or "-"
    return ReceiptData(d["number"], d["status"], name, lines, d["goods"], d["core_total"], d["total"], tags, at)


def _jobcard(session: Session, oid: str) -> LabelData | None:
    """A repair order's job card: its concerns and lines (labour lines with their OP: barcodes)."""
    from floor.core.repair.concerns import concerns_of
    from floor.core.repair.estimate import line_rows
    from floor.labels.jobcard import JobCardData, JobCardLine
    from floor.models import Customer, Vehicle

    wo = find_job(session, oid)
    if wo is None:
        return None
    vehicle = session.get(Vehicle, wo.vehicle_id) if wo.vehicle_id is not None else None
    customer = session.get(Customer, wo.customer_id) if wo.customer_id is not None else None
    lines = tuple(
        JobCardLine(
            ln["id"],
            ln["kind"],
            f"{ln.get('op') or ln.get('part_no') or '-'} {ln['name'] or ''}".strip(),
            f"{ln['hours']} h" if ln["kind"] == "labour" else f"x{ln['qty']}",
            ln["pay"],
            ln["status"],
        )
        for ln in line_rows(session, wo.id)
    )
    return JobCardData(
        wo.number,
        wo.plate or "",
        wo.vehicle or "",
        vehicle.vin if vehicle is not None else (wo.vin or ""),
        customer.name if customer is not None else (wo.customer or ""),
        tuple(c.text for c in concerns_of(session, wo.id)),
        lines,
    )


def zone_bins(session: Session, zone: str) -> list[str]:
    """Codes of the active bins of a zone, in walking order."""
    return list(
        session.scalars(
            select(Location.code).where(Location.zone == zone, Location.active).order_by(Location.code)
        ).all()
    )
