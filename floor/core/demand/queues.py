"""What the counter reads from demand: a job's lines, the pick queue, special orders.

The pick queue and the special orders hold appointments' lines beside jobs' (`owners`): the store
prepares tomorrow's parts and orders what they lack.

Each list is a fixed number of indexed queries whatever the number of jobs: the lines
with what they hold in one join, then the bins of the parts named in one more.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from floor.core.authority import masked_scan_text
from floor.core.demand import owners
from floor.models import Location, Part, PartRequest, Reservation, StockLevel
from floor.models.base import table_of
from floor.models.requests import RequestStatus

_SHORT = (RequestStatus.PARTIAL.value, RequestStatus.BACKORDERED.value)
_HOLDING = (RequestStatus.RESERVED.value, RequestStatus.PARTIAL.value)  # lines that may hold stock to pick


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
            "requested_via": masked_scan_text(line.requested_via or ""),  # `U:<badge>` as U:•••• (SPEC 10.6)
            "created_at": line.created_at.isoformat(),
        }
        for line, part_no, name, held in rows
    ]


def bins_by_part(session: Session, part_ids: set[int] | None = None) -> dict[int, list[tuple[str, int]]]:
    """Bins holding each part, fullest first (where to pick); None = the parts of lines holding stock."""
    level, loc = table_of(StockLevel).c, table_of(Location).c
    stmt = (
        select(level.part_id, loc.code, level.qty)
        .join_from(table_of(StockLevel), table_of(Location), loc.id == level.location_id)
        .where(level.qty > 0)
        .order_by(level.part_id, level.qty.desc(), loc.code)
    )
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if part_ids is None:
        held = select(table_of(PartRequest).c.part_id).where(table_of(PartRequest).c.status.in_(_HOLDING))
        chunks = [stmt.where(level.part_id.in_(held.scalar_subquery()))]
    else:
        ids = sorted(part_ids)
        chunks = [stmt.where(level.part_id.in_(ids[i : i + 500])) for i in range(0, len(ids), 500)]
    for chunk in chunks:
        for part_id, code, qty in session.execute(chunk).all():
            out[part_id].append((code, qty))
    return out


def _for_appointment(cache: dict[int, dict[str, Any]], zone: ZoneInfo, row: Any) -> dict[str, Any]:
    """What a list says of the appointment a line is for: its day and time (site's zone), plate, customer."""
    appt_id, at, plate, customer = row
    found = cache.get(appt_id)
    if found is None:
        local = at.astimezone(zone)
        found = cache[appt_id] = {
            "id": appt_id,
            "at": at.isoformat(),
            "day": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "plate": plate,
            "customer": customer,
        }
    return found


def picks(session: Session, workorder: str | None = None, tz: str = "UTC") -> list[dict[str, Any]]:
    """What the counter should pick: held stock of open jobs' and booked appointments' lines, with bins.

    Earliest needed first (a job's promise, an appointment's time; `owners`); an appointment's line
    has no `workorder` and names its `appointment` (day, time, plate). Plain table columns and two
    queries (lines with holds, bins of their parts): the queue is read on every refresh of the pick
    page, with thousands of open lines.
    """
    r, v, w, p, a = (t.c for t in (owners.LINE, table_of(Reservation), owners.JOB, table_of(Part), owners.APPT))
    stmt = (
        select(r.id, r.part_id, w.number, w.promised_at, a.id, a.at, a.plate, a.customer, p.part_no, p.name, v.qty)
        .select_from(
            owners.joined(
                owners.LINE.join(table_of(Reservation), and_(v.holder == "request", v.holder_id == r.id))
            ).join(table_of(Part), p.id == r.part_id)
        )
        .where(r.status.in_(_HOLDING), owners.LIVE)
        # One job's (one appointment's) lines stay together: the kiosk groups them by owner.
        .order_by(*owners.first_needed(), w.number.is_(None), w.number, a.id, r.id)
    )
    if workorder is not None:
        stmt = stmt.where(w.number == workorder)
    rows = session.execute(stmt).all()
    bins = bins_by_part(session, {row[1] for row in rows} if workorder is not None else None)
    shown: dict[int, list[dict[str, Any]]] = {}
    promised: dict[str, str | None] = {}
    appts: dict[int, dict[str, Any]] = {}
    zone = ZoneInfo(tz)
    out = []
    for line_id, part_id, number, promised_at, appt_id, at, plate, customer, part_no, name, qty in rows:
        where = bins.get(part_id, ())
        listed = shown.get(part_id)
        if listed is None:
            listed = shown[part_id] = [{"location": code, "on_hand": n} for code, n in where]
        when: str | None = None
        appointment = None
        if number is not None:
            when = promised.get(number, "")
            if when == "":
                when = promised[number] = promised_at.isoformat() if promised_at else None
        else:
            appointment = _for_appointment(appts, zone, (appt_id, at, plate, customer))
        out.append(
            {
                "workorder": number,
                "appointment": appointment,
                "part_no": part_no,
                "name": name,
                "qty": qty,
                "location": where[0][0] if where else None,
                "bins": listed,
                "request_id": line_id,
                "promised_at": when,
                "need_by": when if appointment is None else appointment["at"],
            }
        )
    return out


def special_orders(session: Session, supplier: str | None = None, tz: str = "UTC") -> list[dict[str, Any]]:
    """What open jobs and booked appointments still lack, per supplier then earliest needed (see `picks`)."""
    r, v, w, p, a = (t.c for t in (owners.LINE, table_of(Reservation), owners.JOB, table_of(Part), owners.APPT))
    stmt = (
        select(r.id, r.qty, r.issued, r.status, w.number, w.promised_at, a.id, a.at, a.plate, a.customer)
        .add_columns(p.part_no, p.supplier, v.qty.label("held"))
        .select_from(
            owners.joined()
            .join(table_of(Part), p.id == r.part_id)
            .outerjoin(table_of(Reservation), and_(v.holder == "request", v.holder_id == r.id))
        )
        .where(r.status.in_(_SHORT), owners.LIVE)
        .order_by(p.supplier, *owners.first_needed(), r.id)
    )
    if supplier is not None:
        stmt = stmt.where(p.supplier == supplier)
    appts: dict[int, dict[str, Any]] = {}
    zone = ZoneInfo(tz)
    out = []
    for (
        line_id,
        qty,
        issued,
        status,
        number,
        promised_at,
        appt_id,
        at,
        plate,
        customer,
        part_no,
        sup,
        held,
    ) in session.execute(stmt).all():
        appointment = None if number is not None else _for_appointment(appts, zone, (appt_id, at, plate, customer))
        promised = promised_at.isoformat() if promised_at else None
        out.append(
            {
                "workorder": number,
                "appointment": appointment,
                "part_no": part_no,
                "qty": qty - issued - int(held or 0),
                "status": status,
                "supplier": sup,
                "request_id": line_id,
                "promised_at": promised,
                "need_by": promised if appointment is None else appointment["at"],
            }
        )
    return out


def backordered_jobs(session: Session, wo_ids: Any = None) -> set[int]:
    """Open jobs with any line still short of stock (the board's waiting-parts flag)."""
    stmt = (
        select(PartRequest.work_order_id)
        .where(PartRequest.status.in_(_SHORT), PartRequest.work_order_id.is_not(None))
        .distinct()
    )
    if wo_ids is not None:
        stmt = stmt.where(PartRequest.work_order_id.in_(wo_ids))
    return set(session.scalars(stmt))
