"""After-sales use cases (SPEC 10.5) between the web ring and the core: follow-ups, comebacks, complaints, reminders.

Each takes the open session, the site's `AftersalesSettings` and role table, and the actor (a `User`);
names coming from a client (a customer code, a VIN or plate, a job number, an assignee's badge) are
resolved here to the rows the core rules take. Before follow-ups are read or written, the jobs
delivered since are given theirs (`followups.open_due`), whatever path delivered them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from floor.core.aftersales import comebacks, complaints, followups, service
from floor.core.aftersales.errors import AftersalesError
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import BadgeError, RoleTable, resolve_badge
from floor.core.sales.customers import customer_by_code
from floor.core.vehicles.records import find_vehicle
from floor.core.workorders.lookup import job_by_number
from floor.models import User, WorkOrder
from floor.models.aftersales import ComplaintStatus, FollowupStatus

# The after-sales KPIs added to the reports (`GET /api/reports/kpis` and its CSV), in this order.
KPI_KEYS = ("csi", "followup_rate", "comeback_rate", "complaints", "complaints_on_time")


def job(session: Session, number: Any, *, lock: bool = False) -> WorkOrder:
    """A job by number; `unknown_wo` (404): the one look-up."""
    return job_by_number(session, str(number), lock=lock)


def followup_list(
    session: Session, settings: AftersalesSettings, status: str | None, now: datetime, *, today_only: bool = False
) -> list[dict[str, Any]]:
    """`GET /api/followups?status=` (and the kiosk's call list for today, `today_only`)."""
    if status is not None and FollowupStatus.parse(status) is None:
        raise AftersalesError(
            "bad_complaint_field", field="status", detail=f"one of {', '.join(FollowupStatus.values())}"
        )
    followups.open_due(session, settings, now)
    return followups.listing(session, status, now, settings, today_only=today_only)


def log_call(
    session: Session,
    settings: AftersalesSettings,
    roles: RoleTable,
    followup_id: int,
    actor: User,
    via: str,
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """`POST /api/followups/<id> {"reached", "score"?, "note"?}` → the follow-up and the complaint a low score opened."""
    followups.open_due(session, settings, now)
    fu = followups.get(session, followup_id, lock=True)
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise AftersalesError("bad_complaint_field", field="note", detail="text")
    done = followups.log_call(
        session, fu, data.get("reached"), data.get("score"), note, actor, via, now, roles=roles, settings=settings
    )
    session.flush()
    wo = session.get(WorkOrder, fu.work_order_id)
    assert wo is not None
    return {
        "id": fu.id,
        "workorder": wo.number,
        "due_at": fu.due_at.isoformat(),
        "attempts": fu.attempts,
        "status": fu.status,
        "score": fu.score,
        "complaint": done.complaint.id if done.complaint else None,
    }


def comeback_of(session: Session, settings: AftersalesSettings, wo: WorkOrder) -> dict[str, Any] | None:
    """`GET /api/workorders/<n>`'s `"comeback"`: `{"of", "confirmed", ...}` or None."""
    return comebacks.flag_of(session, wo, settings)


def comeback_check(session: Session, settings: AftersalesSettings, key: Any, now: datetime) -> dict[str, Any]:
    """Reception's check on a VIN or plate: `{"vin", "plate", "comeback": flag or None}` (`unknown_vehicle`, 404)."""
    vehicle = find_vehicle(session, key)
    return {"vin": vehicle.vin, "plate": vehicle.plate, "comeback": comebacks.check(session, vehicle.id, now, settings)}


def decide_comeback(
    session: Session,
    settings: AftersalesSettings,
    roles: RoleTable,
    number: str,
    actor: User,
    via: str,
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """`POST /api/workorders/<n>/comeback {"of", "confirmed"}` → the job's comeback as now decided."""
    wo = job(session, number, lock=True)
    note = data.get("note") if isinstance(data.get("note"), str) else None
    comebacks.decide(
        session, wo, data.get("of"), data.get("confirmed"), note, actor, via, now, roles=roles, settings=settings
    )
    session.flush()
    flag = comebacks.flag_of(session, wo, settings)
    assert flag is not None
    return {"workorder": wo.number, "comeback": flag}


def open_complaint(
    session: Session,
    settings: AftersalesSettings,
    roles: RoleTable,
    actor: User,
    via: str,
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """`POST /api/complaints` → `{"id", "respond_by", "resolve_by"}`: the names given are resolved first."""
    customer_id = vehicle_id = wo_id = None
    if data.get("customer") not in (None, ""):
        customer_id = customer_by_code(session, str(data["customer"])).id
    if data.get("vehicle") not in (None, ""):
        vehicle_id = find_vehicle(session, data["vehicle"]).id
    if data.get("workorder") not in (None, ""):
        wo_id = job(session, data["workorder"]).id
    intake = complaints.Intake(
        data.get("channel"),  # type: ignore[arg-type]  # checked by the core
        data.get("category"),  # type: ignore[arg-type]
        data.get("text"),  # type: ignore[arg-type]
        customer_id,
        vehicle_id,
        wo_id,
    )
    c = complaints.open_complaint(session, intake, actor, via, now, roles=roles, settings=settings)
    return {
        "id": c.id,
        "status": c.status,
        "respond_by": c.respond_by.isoformat(),
        "resolve_by": c.resolve_by.isoformat(),
    }


def complaint_step(
    session: Session,
    roles: RoleTable,
    complaint_id: int,
    name: str,
    actor: User,
    via: str,
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """`POST /api/complaints/<id>/{assign,respond,resolve,close} {"to"?, "note"}` → the complaint as it now stands."""
    c = complaints.get(session, complaint_id, lock=True)
    to = None
    if name == "assign" and data.get("to") not in (None, ""):
        try:
            to = resolve_badge(session, str(data["to"]))
        except BadgeError:
            raise AftersalesError("unknown_assignee", badge=str(data["to"])[:4] + "…") from None
    complaints.step(session, c, name, data.get("note"), actor, via, now, roles=roles, to=to)
    session.flush()
    return {**complaints.summary(session, c, now), "steps": complaints.steps_of(session, c.id)}


def complaint_list(
    session: Session, status: str | None, now: datetime, *, overdue_only: bool = False
) -> list[dict[str, Any]]:
    """`GET /api/complaints?status=` (and `overdue=1`: the alerts)."""
    if status is not None and ComplaintStatus.parse(status) is None:
        raise AftersalesError(
            "bad_complaint_field", field="status", detail=f"one of {', '.join(ComplaintStatus.values())}"
        )
    return complaints.listing(session, status, now, overdue_only=overdue_only)


def complaint(session: Session, complaint_id: int, now: datetime) -> dict[str, Any]:
    """One complaint with its steps."""
    c = complaints.get(session, complaint_id)
    return {**complaints.summary(session, c, now), "steps": complaints.steps_of(session, c.id)}


def complaint_stats(
    session: Session, settings: AftersalesSettings, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Monthly complaint statistics by category with the on-time share."""
    return complaints.monthly(session, start, end, settings)


def reminders(session: Session, before: date) -> list[dict[str, Any]]:
    """`GET /api/reminders?before=` → the vehicles whose service is due, with the customer's phone."""
    return service.due(session, before)


def kpis(session: Session, settings: AftersalesSettings, start: datetime, end: datetime) -> dict[str, Any]:
    """The after-sales KPIs of [start, end): `csi`, `followup_rate`, `comeback_rate`, `complaints`, `complaints_on_time`.

    Follow-ups count once opened (any list or call opens those of the jobs delivered since).
    """
    fu = followups.kpis(session, start, end)
    cb = comebacks.rates(session, start, end, settings)
    cp = complaints.kpis(session, start, end)
    return {
        "csi": fu["csi"],
        "followup_rate": fu["followup_rate"],
        "comeback_rate": cb["comeback_rate"],
        "complaints": cp["complaints"],
        "complaints_on_time": cp["complaints_on_time"],
        "aftersales": {"followups": fu, "comebacks": cb},
    }
