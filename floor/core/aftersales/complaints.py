"""Complaints (SPEC 10.5): taken in from any channel, assigned, answered, resolved and closed, each step with
who, when and a note, against two deadlines.

`respond_by` = opened + `[complaints] respond_hours` (moved to a working day); `resolve_by` = opened +
`resolve_days` working days. A step out of order is refused (`complaint_step_order`, 409): a closed
complaint cannot be reassigned, a complaint is answered before it is resolved and resolved before it is closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import audit
from floor.core.aftersales import calendar
from floor.core.aftersales.errors import CLOSE_COMPLAINT, HANDLE_COMPLAINT, OPEN_COMPLAINT, AftersalesError, require
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import RoleTable
from floor.models import Complaint, ComplaintStep, Customer, User, Vehicle, WorkOrder
from floor.models.aftersales import ComplaintCategory, ComplaintChannel, ComplaintStatus

S = ComplaintStatus
MAX_TEXT = 4000
# step -> (the statuses it may follow, the status it leaves, the role-table row)
STEPS: dict[str, tuple[frozenset[str], str, str]] = {
    "assign": (frozenset({S.OPEN, S.ASSIGNED, S.RESPONDED}), S.ASSIGNED, HANDLE_COMPLAINT),
    "respond": (frozenset({S.OPEN, S.ASSIGNED}), S.RESPONDED, HANDLE_COMPLAINT),
    "resolve": (frozenset({S.RESPONDED}), S.RESOLVED, HANDLE_COMPLAINT),
    "close": (frozenset({S.RESOLVED}), S.CLOSED, CLOSE_COMPLAINT),
}


@dataclass(frozen=True)
class Intake:
    """A complaint as taken in: channel, category, the customer's words and what it is about (ids)."""

    channel: str
    category: str
    text: str
    customer_id: int | None = None
    vehicle_id: int | None = None
    work_order_id: int | None = None
    followup_id: int | None = None


def check_text(value: Any, field: str) -> str:
    """Non-empty text of at most MAX_TEXT characters; AftersalesError `bad_complaint_field` (400)."""
    if not isinstance(value, str) or not value.strip():
        raise AftersalesError("bad_complaint_field", field=field, detail="must not be empty")
    if len(value) > MAX_TEXT:
        raise AftersalesError("bad_complaint_field", field=field, detail=f"longer than {MAX_TEXT} characters")
    return value.strip()


def check_channel(value: Any) -> str:
    """A known channel; AftersalesError `bad_complaint_field` (400) naming the valid ones."""
    channel = ComplaintChannel.parse(value)
    if channel is None:
        raise AftersalesError(
            "bad_complaint_field", field="channel", detail=f"one of {', '.join(ComplaintChannel.values())}"
        )
    return channel.value


def check_category(value: Any) -> str:
    """A known category; AftersalesError `bad_complaint_field` (400) naming the valid ones."""
    category = ComplaintCategory.parse(value)
    if category is None:
        raise AftersalesError(
            "bad_complaint_field", field="category", detail=f"one of {', '.join(ComplaintCategory.values())}"
        )
    return category.value


def deadlines(opened: datetime, settings: AftersalesSettings) -> tuple[datetime, datetime]:
    """(respond_by, resolve_by) of a complaint opened at `opened`, in the site's time and working days."""
    respond_by = calendar.to_working_day(opened + timedelta(hours=settings.respond_hours), settings)
    resolve_by = calendar.add_working_days(opened, settings.resolve_days, settings)
    return respond_by, max(respond_by, resolve_by)


def open_complaint(
    session: Session,
    intake: Intake,
    actor: User,
    actor_name: str,
    at: datetime,
    *,
    roles: RoleTable | None,
    settings: AftersalesSettings,
) -> Complaint:
    """Take in a complaint (`roles=None`: opened by a rule, e.g. a low follow-up score, under that call's row)."""
    if roles is not None:
        require(roles, actor, OPEN_COMPLAINT)
    channel, category = check_channel(intake.channel), check_category(intake.category)
    text = check_text(intake.text, "text")
    customer_id, vehicle_id = intake.customer_id, intake.vehicle_id
    if intake.work_order_id is not None:  # a job names its car and customer when the intake does not
        wo = session.get(WorkOrder, intake.work_order_id)
        if wo is not None:
            customer_id = customer_id or wo.customer_id
            vehicle_id = vehicle_id or wo.vehicle_id
    if vehicle_id is not None and customer_id is None:
        vehicle = session.get(Vehicle, vehicle_id)
        customer_id = vehicle.customer_id if vehicle is not None else None
    respond_by, resolve_by = deadlines(at, settings)
    complaint = Complaint(
        opened_at=at,
        opened_by=actor.id,
        channel=channel,
        category=category,
        text=text,
        customer_id=customer_id,
        vehicle_id=vehicle_id,
        work_order_id=intake.work_order_id,
        followup_id=intake.followup_id,
        status=S.OPEN.value,
        respond_by=respond_by,
        resolve_by=resolve_by,
    )
    session.add(complaint)
    session.flush()
    session.add(ComplaintStep(complaint_id=complaint.id, step=S.OPEN.value, by=actor.id, at=at, note=text))
    audit.record(
        session, actor_name, "open_complaint", f"complaint:{complaint.id}", at=at, channel=channel, category=category
    )
    return complaint


def get(session: Session, complaint_id: int, *, lock: bool = False) -> Complaint:
    """A complaint by id; AftersalesError `unknown_complaint` (404)."""
    stmt = select(Complaint).where(Complaint.id == complaint_id)
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise AftersalesError("unknown_complaint", id=complaint_id)
    return found


def step(
    session: Session,
    complaint: Complaint,
    name: str,
    note: Any,
    actor: User,
    actor_name: str,
    at: datetime,
    *,
    roles: RoleTable,
    to: User | None = None,
) -> ComplaintStep:
    """Move a complaint one step (assign | respond | resolve | close) with its note; assign names `to`."""
    after, status, action = STEPS[name]
    require(roles, actor, action)
    if complaint.status not in after:
        raise AftersalesError("complaint_step_order", id=complaint.id, status=complaint.status, step=status)
    text = check_text(note, "note")
    if name == "assign":
        if to is None:
            raise AftersalesError("bad_complaint_field", field="to", detail="the assignee's badge is needed")
        complaint.assignee_id = to.id
        if complaint.status == S.OPEN.value:
            complaint.status = status
    else:
        complaint.status = status
    if name == "respond":
        complaint.responded_at = at
    elif name == "resolve":
        complaint.resolved_at = at
    elif name == "close":
        complaint.closed_at = at
    row = ComplaintStep(
        complaint_id=complaint.id, step=status, by=actor.id, at=at, to_user_id=to.id if to else None, note=text
    )
    session.add(row)
    audit.record(session, actor_name, f"complaint_{name}", f"complaint:{complaint.id}", at=at, status=complaint.status)
    return row


def overdue(c: Complaint, now: datetime) -> list[str]:
    """Which deadlines the complaint has missed so far: `respond`, `resolve` (an alert while any is listed)."""
    late = []
    if c.responded_at is None and now > c.respond_by:
        late.append("respond")
    if c.resolved_at is None and now > c.resolve_by:
        late.append("resolve")
    return late


def on_time(c: Complaint) -> bool:
    """Answered by `respond_by` and resolved by `resolve_by`."""
    return (
        c.responded_at is not None
        and c.responded_at <= c.respond_by
        and c.resolved_at is not None
        and c.resolved_at <= c.resolve_by
    )


def summary(session: Session, c: Complaint, now: datetime) -> dict[str, Any]:
    """A complaint as the API lists it."""
    wo = session.get(WorkOrder, c.work_order_id) if c.work_order_id else None
    vehicle = session.get(Vehicle, c.vehicle_id) if c.vehicle_id else None
    customer = session.get(Customer, c.customer_id) if c.customer_id else None
    assignee = session.get(User, c.assignee_id) if c.assignee_id else None
    return {
        "id": c.id,
        "status": c.status,
        "workorder": wo.number if wo else None,
        "vehicle": vehicle.vin if vehicle else None,
        "plate": vehicle.plate if vehicle else None,
        "customer": customer.code if customer else None,
        "customer_name": customer.name if customer else None,
        "phone": customer.phone if customer else None,
        "channel": c.channel,
        "category": c.category,
        "text": c.text,
        "opened_at": c.opened_at.isoformat(),
        "respond_by": c.respond_by.isoformat(),
        "resolve_by": c.resolve_by.isoformat(),
        "assignee": f"{assignee.name} ({assignee.role})" if assignee else None,
        "overdue": overdue(c, now),
    }


def steps_of(session: Session, complaint_id: int) -> list[dict[str, Any]]:
    """A complaint's steps in order: step, who (name and role), when, to whom, the note."""
    rows = session.execute(
        select(ComplaintStep, User.name, User.role)
        .join(User, User.id == ComplaintStep.by)
        .where(ComplaintStep.complaint_id == complaint_id)
        .order_by(ComplaintStep.id)
    ).all()
    names = {u.id: u.name for u in session.scalars(select(User).where(User.id.in_([r[0].to_user_id for r in rows])))}
    return [
        {
            "step": st.step,
            "by": f"{name} ({role})",
            "at": st.at.isoformat(),
            "to": names.get(st.to_user_id) if st.to_user_id else None,
            "note": st.note,
        }
        for st, name, role in rows
    ]


def listing(session: Session, status: str | None, now: datetime, *, overdue_only: bool = False) -> list[dict[str, Any]]:
    """Complaints (newest first), of one status if given; `overdue_only`: the open ones past a deadline."""
    stmt = select(Complaint).order_by(Complaint.opened_at.desc(), Complaint.id.desc()).limit(1000)
    if status is not None:
        stmt = stmt.where(Complaint.status == status)
    if overdue_only:
        stmt = stmt.where(Complaint.status != S.CLOSED.value)
    out = [summary(session, c, now) for c in session.scalars(stmt)]
    return [c for c in out if c["overdue"]] if overdue_only else out


def monthly(session: Session, start: datetime, end: datetime, settings: AftersalesSettings) -> list[dict[str, Any]]:
    """Complaints opened in [start, end) per site month and category: how many, closed, on time, the on-time share."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in session.scalars(select(Complaint).where(Complaint.opened_at >= start, Complaint.opened_at < end)):
        key = (calendar.local(c.opened_at, settings).strftime("%Y-%m"), c.category)
        counts[key][0] += 1
        counts[key][1] += c.status == S.CLOSED.value
        counts[key][2] += on_time(c)
    return [
        {
            "month": month,
            "category": category,
            "complaints": n,
            "closed": closed,
            "on_time": ok,
            "on_time_share": round(ok / n, 4) if n else None,
        }
        for (month, category), (n, closed, ok) in sorted(counts.items())
    ]


def kpis(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """`complaints` opened in [start, end) and `complaints_on_time` (the share answered and resolved in time)."""
    found = list(session.scalars(select(Complaint).where(Complaint.opened_at >= start, Complaint.opened_at < end)))
    ok = sum(on_time(c) for c in found)
    return {"complaints": len(found), "complaints_on_time": round(ok / len(found), 4) if found else None}
