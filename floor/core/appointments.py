"""Appointments (SPEC 9.4): a visit booked with the parts it needs, reserved before the car comes.

Design: an appointment owns ordinary request lines of SPEC 9.2 (`PartRequest.appointment_id`,
no job yet), made by `demand.rules.make_lines`, so they reserve, backorder and await approval
exactly like a job's lines and hold stock through the same reservations; until the car comes they
stand in the pick queue and the special orders beside the jobs' (`demand.owners`). On arrival
`receive_car` creates the job and `demand.closing.move_to_job` hands it the lines and their holds.
A cancelled appointment's lines end and release their holds; a rescheduled one keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import audit, changes
from floor.core.authority import RoleTable
from floor.core.demand import closing, rules
from floor.core.demand.lines import Ask, DemandError, Person, held_of, require
from floor.core.demand.queues import bins_by_part
from floor.core.inputs import MomentError, parse_moment
from floor.core.master import receive_car
from floor.core.workorders.reception import normalise_plate, require_reception
from floor.models import Appointment, Part, PartRequest, WorkOrder
from floor.models.appointments import ARRIVED, BOOKED, CANCELLED

MAX_AHEAD = timedelta(days=366)


class AppointmentError(DemandError):
    """An appointment rule refused the change (same shape as the demand rules' refusals)."""


def parse_at(value: Any, tz: str) -> datetime:
    """The booked time: ISO 8601; without a zone it is the site's local time. UTC out."""
    try:  # the one parser: ASCII digits, years 1970-2999, so zone arithmetic cannot overflow
        return parse_moment(value, ZoneInfo(tz))
    except MomentError:
        raise AppointmentError("bad_appointment_time", at=str(value)[:40]) from None


def check_time(at: datetime, now: datetime) -> None:
    """A time to book or move a visit to: ahead of now (`appointment_in_past`), within a year (`appointment_too_far`)."""
    if at <= now:
        raise AppointmentError("appointment_in_past", at=at.isoformat(), now=now.isoformat(timespec="seconds"))
    if at > now + MAX_AHEAD:
        raise AppointmentError("appointment_too_far", at=at.isoformat())


def _text(value: Any, name: str, max_len: int, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise AppointmentError("bad_appointment_field", field=name, detail="required", detail_zh="必填")
        return ""
    if not isinstance(value, str):
        raise AppointmentError("bad_appointment_field", field=name, detail="must be text", detail_zh="必须为文本")
    text = " ".join(value.split())
    if len(text) > max_len:
        raise AppointmentError(
            "bad_appointment_field",
            field=name,
            detail=f"at most {max_len} characters",
            detail_zh=f"最多 {max_len} 个字符",
        )
    return text


def book(
    session: Session,
    actor: Person,
    via: str,
    at: datetime,
    customer: Any,
    plate: Any,
    asks: Sequence[Ask],
    *,
    limit: Decimal | None = None,
    table: RoleTable,
) -> tuple[Appointment, list[PartRequest]]:
    """Book a visit at `at` (UTC) and request its parts: each line reserves what is free, like a job's."""
    require(table, actor, "book_appointment")
    now = clock.now()
    check_time(at, now)
    name = _text(customer, "customer", 200, required=True)
    plate_text = normalise_plate(_text(plate, "plate", 20)) or None
    appt = Appointment(at=at, customer=name, plate=plate_text, status=BOOKED, booked_by=actor.id, created_at=now)
    session.add(appt)
    session.flush()
    made = rules.make_lines(session, asks, actor, via, now, appointment_id=appt.id, limit=limit)
    audit.record(
        session,
        via,
        "book_appointment",
        f"appointment:{appt.id}",
        at=now,
        when=at.isoformat(),
        lines=[{"id": r.id, "part_id": r.part_id, "qty": r.qty, "status": r.status} for r in made],
    )
    return appt, made


def get(session: Session, appointment_id: int, lock: bool = False) -> Appointment:
    """An appointment by id (`unknown_appointment`, 404)."""
    stmt = select(Appointment).where(Appointment.id == appointment_id)
    appt = session.scalar(stmt.with_for_update() if lock else stmt)
    if appt is None:
        raise AppointmentError("unknown_appointment", id=appointment_id)
    return appt


def check_booked(session: Session, appt: Appointment) -> None:
    """Only a booked visit may arrive, move or be cancelled: `appointment_arrived` or `appointment_cancelled`."""
    if appt.status == CANCELLED:
        raise AppointmentError("appointment_cancelled", id=appt.id)
    if appt.status != BOOKED:
        wo = session.get(WorkOrder, appt.work_order_id) if appt.work_order_id else None
        raise AppointmentError("appointment_arrived", id=appt.id, number=wo.number if wo else "-")


def arrive(
    session: Session,
    appt: Appointment,
    number: str,
    actor: Person,
    via: str,
    row: dict[str, Any],
    timezone: str,
    table: RoleTable,
) -> tuple[WorkOrder, list[dict[str, str]]]:
    """The car came: create its job through reception (`receive_car`) and hand it the appointment's requests."""
    require_reception(actor, table)  # before the appointment's own checks, as receive_car asks it again
    check_booked(session, appt)
    base = {"customer": appt.customer, "plate": appt.plate or None}
    fields = {**base, **{k: v for k, v in row.items() if v is not None}}
    wo, warnings = receive_car(session, number, fields, timezone, actor=actor, roles=table)
    session.flush()
    lines = closing.move_to_job(session, appt.id, wo)
    now = clock.now()
    appt.status, appt.work_order_id, appt.arrived_at = ARRIVED, wo.id, now
    audit.record(
        session, via, "arrive_appointment", f"appointment:{appt.id}", at=now, workorder=wo.number, lines=len(lines)
    )
    return wo, warnings


def cancel(session: Session, appt: Appointment, actor: Person, via: str, table: RoleTable) -> int:
    """The customer will not come: the appointment is cancelled, its lines end and free what they hold (units)."""
    require(table, actor, "cancel_appointment")
    check_booked(session, appt)
    now = clock.now()
    freed = closing.close_appointment(session, appt.id, now, actor.id)
    appt.status = CANCELLED
    audit.record(session, via, "cancel_appointment", f"appointment:{appt.id}", at=now, released=freed)
    return freed


def reschedule(session: Session, appt: Appointment, at: datetime, actor: Person, via: str, table: RoleTable) -> None:
    """Move a booked visit to another time (ahead of now); its lines keep what they hold."""
    require(table, actor, "reschedule_appointment")
    check_booked(session, appt)
    now = clock.now()
    check_time(at, now)
    before = appt.at
    appt.at = at
    changes.publish(session, changes.JOBS)  # the pick queue's order follows the time; sent only on commit
    audit.record(
        session,
        via,
        "reschedule_appointment",
        f"appointment:{appt.id}",
        at=now,
        was=before.isoformat(),
        when=at.isoformat(),
    )


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a local day of the site."""
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _lines_of(session: Session, appt_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not appt_ids:
        return {}
    rows = session.execute(
        select(PartRequest, Part.part_no, Part.name)
        .join(Part, Part.id == PartRequest.part_id)
        .where(PartRequest.appointment_id.in_(appt_ids))
        .order_by(PartRequest.id)
    ).all()
    helds = held_of(session, [r.id for r, _, _ in rows])
    out: dict[int, list[dict[str, Any]]] = {}
    for line, part_no, name in rows:
        assert line.appointment_id is not None
        out.setdefault(line.appointment_id, []).append(
            {
                "id": line.id,
                "part_no": part_no,
                "name": name,
                "qty": line.qty,
                "reserved": helds.get(line.id, 0),
                "issued": line.issued,
                "status": line.status,
            }
        )
    return out


def day_list(session: Session, day: date, tz: str) -> list[dict[str, Any]]:
    """The appointments of one local day, earliest first, with their lines and what each holds."""
    start, end = day_bounds(day, tz)
    appts = list(
        session.scalars(
            select(Appointment)
            .where(Appointment.at >= start, Appointment.at < end)
            .order_by(Appointment.at, Appointment.id)
        )
    )
    numbers: dict[int, str] = {
        wo_id: number
        for wo_id, number in session.execute(
            select(WorkOrder.id, WorkOrder.number).where(
                WorkOrder.id.in_([a.work_order_id for a in appts if a.work_order_id])
            )
        )
    }
    lines = _lines_of(session, [a.id for a in appts])
    zone = ZoneInfo(tz)
    out = []
    for a in appts:
        mine = lines.get(a.id, [])
        out.append(
            {
                "id": a.id,
                "at": a.at.astimezone(UTC).isoformat(),
                "local": a.at.astimezone(zone).strftime("%H:%M"),
                "customer": a.customer,
                "plate": a.plate,
                "status": a.status,
                "workorder": numbers.get(a.work_order_id) if a.work_order_id else None,
                "lines": mine,
                "all_reserved": all(x["reserved"] + x["issued"] >= x["qty"] for x in mine),
            }
        )
    return out


def parts_to_prepare(session: Session, day: date, tz: str) -> list[dict[str, Any]]:
    """The store's view: parts the day's not-yet-arrived appointments need, summed per part, with bins."""
    per: dict[str, dict[str, Any]] = {}
    part_ids: dict[str, int] = {}
    for appt in day_list(session, day, tz):
        if appt["status"] != BOOKED:
            continue
        for x in appt["lines"]:
            if x["status"] == "cancelled":
                continue
            row = per.setdefault(
                x["part_no"],
                {"part_no": x["part_no"], "name": x["name"], "qty": 0, "reserved": 0, "appointments": []},
            )
            row["qty"] += x["qty"] - x["issued"]
            row["reserved"] += x["reserved"]
            row["appointments"].append(appt["id"])
    if per:
        part_ids = {
            part_no: part_id
            for part_no, part_id in session.execute(select(Part.part_no, Part.id).where(Part.part_no.in_(list(per))))
        }
    bins = bins_by_part(session, set(part_ids.values())) if part_ids else {}
    out = []
    for no in sorted(per):
        row = per[no]
        row["short"] = max(0, row["qty"] - row["reserved"])
        row["bins"] = [{"location": loc, "qty": q} for loc, q in bins.get(part_ids.get(no, -1), [])]
        out.append(row)
    return out
