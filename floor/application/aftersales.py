"""After-sales use cases (SPEC 10.5) for the JSON API and the kiosk alike: follow-ups, comebacks, complaints, reminders.

Each write takes the database, the site's `AftersalesSettings` and role table, what the door parsed and the
door's own check of who acts (`gate`: the API's token and badge, the kiosk's badge worded for the page, each
allowed the action); it opens its write transaction, resolves the names coming from a client (a customer
code, a VIN or plate, a job number, an assignee's badge) to the rows the core rules take, and the core writes
the audit entry. Read-only helpers take an open session. Before follow-ups are read or written, the jobs
delivered since are given theirs (`followups.open_due`), whatever path delivered them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from floor.application.gate import Gate
from floor.config import Config
from floor.config.settings import aftersales_settings
from floor.core.aftersales import comebacks, complaints, followups, service
from floor.core.aftersales.errors import AftersalesError
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import BadgeError, RoleTable, resolve_badge
from floor.core.sales.customers import customer_by_code
from floor.core.vehicles.records import find_vehicle
from floor.core.workorders.lookup import job_by_number
from floor.db import Database
from floor.models import User, WorkOrder
from floor.models.aftersales import ComplaintStatus, FollowupStatus

# The after-sales KPIs added to the reports (`GET /api/reports/kpis` and its CSV), in this order.
KPI_KEYS = ("csi", "followup_rate", "comeback_rate", "complaints", "complaints_on_time")

# The door's own check of who acts, inside the write's transaction: the person allowed (or its refusal).


def _via(actor: User) -> str:
    """The audit name of the person acting (`U:<badge>`), as both doors always named it."""
    return f"U:{actor.badge}"


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


def open_followups(
    db: Database, cfg: Config, status: str | None, now: datetime, *, today_only: bool = False
) -> list[dict[str, Any]]:
    """The follow-up list in its own write transaction: it first opens those of the jobs delivered since."""
    settings = aftersales_settings(cfg)
    with db.writing() as s:
        return followup_list(s, settings, status, now, today_only=today_only)


def log_call(
    db: Database, cfg: Config, followup_id: int, data: dict[str, Any], now: datetime, *, gate: Gate
) -> dict[str, Any]:
    """`POST /api/followups/<id> {"reached", "score"?, "note"?}` → the follow-up and the complaint a low score opened."""
    settings, roles = aftersales_settings(cfg), cfg.role_table()
    with db.writing() as s:
        actor = gate(s)
        followups.open_due(s, settings, now)
        fu = followups.get(s, followup_id, lock=True)
        note = data.get("note")
        if note is not None and not isinstance(note, str):
            raise AftersalesError("bad_complaint_field", field="note", detail="text")
        done = followups.log_call(
            s, fu, data.get("reached"), data.get("score"), note, actor, _via(actor), now, roles=roles, settings=settings
        )
        s.flush()
        wo = s.get(WorkOrder, fu.work_order_id)
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
    db: Database, cfg: Config, number: str, data: dict[str, Any], now: datetime, *, gate: Gate
) -> dict[str, Any]:
    """`POST /api/workorders/<n>/comeback {"of", "confirmed"}` → the job's comeback as now decided."""
    settings, roles = aftersales_settings(cfg), cfg.role_table()
    with db.writing() as s:
        actor = gate(s)
        wo = job(s, number, lock=True)
        note = data.get("note") if isinstance(data.get("note"), str) else None
        comebacks.decide(
            s, wo, data.get("of"), data.get("confirmed"), note, actor, _via(actor), now, roles=roles, settings=settings
        )
        s.flush()
        flag = comebacks.flag_of(s, wo, settings)
        assert flag is not None
        return {"workorder": wo.number, "comeback": flag}


def open_complaint(db: Database, cfg: Config, data: dict[str, Any], now: datetime, *, gate: Gate) -> dict[str, Any]:
    """`POST /api/complaints` → `{"id", "respond_by", "resolve_by"}`: the names given are resolved first."""
    settings, roles = aftersales_settings(cfg), cfg.role_table()
    with db.writing() as s:
        return _open_complaint(s, settings, roles, gate(s), data, now)


def _open_complaint(
    session: Session, settings: AftersalesSettings, roles: RoleTable, actor: User, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
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
    c = complaints.open_complaint(session, intake, actor, _via(actor), now, roles=roles, settings=settings)
    return {
        "id": c.id,
        "status": c.status,
        "respond_by": c.respond_by.isoformat(),
        "resolve_by": c.resolve_by.isoformat(),
    }


def complaint_step(
    db: Database, cfg: Config, complaint_id: int, name: str, data: dict[str, Any], now: datetime, *, gate: Gate
) -> dict[str, Any]:
    """`POST /api/complaints/<id>/{assign,respond,resolve,close} {"to"?, "note"}` → the complaint as it now stands."""
    roles = cfg.role_table()
    with db.writing() as s:
        actor = gate(s)
        c = complaints.get(s, complaint_id, lock=True)
        to = None
        if name == "assign" and data.get("to") not in (None, ""):
            try:
                to = resolve_badge(s, str(data["to"]))
            except BadgeError:
                raise AftersalesError("unknown_assignee", badge=str(data["to"])[:4] + "…") from None
        complaints.step(s, c, name, data.get("note"), actor, _via(actor), now, roles=roles, to=to)
        s.flush()
        return {**complaints.summary(s, c, now), "steps": complaints.steps_of(s, c.id)}


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
