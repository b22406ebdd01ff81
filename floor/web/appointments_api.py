"""HTTP JSON API of appointments (SPEC 9.4): book with parts, move or cancel, arrive as a job, the day's lists.

Thin views over `floor.core.appointments`. A refusal answers `{"error", "error_zh", "code"}`
(400 bad input, 403 role, 404 unknown, 409 a conflict) and writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import BadRequest

from floor import clock
from floor.application import appointments as appointment_case
from floor.core import appointments
from floor.core.demand import rules
from floor.core.demand.lines import approval_value, held_of
from floor.core.inputs import RANGE_TEXT, MomentError, parse_day
from floor.core.master import RowError
from floor.core.workorders import reception
from floor.http.app import floor_app
from floor.http.principal import audited, authorize
from floor.http.validate import BodyError, field_str, json_body
from floor.web.api import api_write
from floor.web.demand_api import _asked

bp = Blueprint("appointments_api", __name__, url_prefix="/api")
_ROW = ("vehicle", "promised_at", "estimate_minutes", *reception.FIELDS)


def _actor(s: Any, data: dict[str, Any], action: str) -> Any:
    who = authorize(s, action, field_str(data, "badge", max_len=64), badge_required=True)
    audited()  # the core records the audit entry in the same transaction
    assert who.user is not None
    return who.user


def day_arg(default_offset: int = 0) -> date:
    """`?date=YYYY-MM-DD`, or the site's today (plus `default_offset` days)."""
    raw = request.args.get("date")
    if raw is not None:  # given but empty is not a date, and not today either
        try:  # ASCII digits, years 1970-2999: the day after is always a date
            return parse_day(raw)
        except MomentError:
            raise BadRequest(description=f"date must be YYYY-MM-DD {RANGE_TEXT}, not {raw[:20]!r}") from None
    tz = ZoneInfo(floor_app().cfg.timezone or "UTC")
    return clock.now().astimezone(tz).date() + timedelta(days=default_offset)


@bp.post("/appointments")
@api_write
def post_appointment() -> Any:
    """Book a visit: `{"badge", "at", "customer", "plate", "lines": [{"part_no", "qty"}]}` → `{"id", "lines"}`."""
    data = json_body()
    asked = _asked(data)
    fa = floor_app()
    with fa.db.writing() as s:
        actor = _actor(s, data, "book_appointment")
        at = appointments.parse_at(data.get("at"), fa.cfg.timezone or "UTC")
        asks = rules.resolve_lines(s, asked)
        appt, made = appointments.book(
            s,
            actor,
            f"U:{actor.badge}",
            at,
            data.get("customer"),
            data.get("plate"),
            asks,
            limit=approval_value(fa.cfg),
            table=fa.cfg.role_table(),
        )
        helds = held_of(s, [r.id for r in made])
        lines = [
            {"id": r.id, "part_no": a.part_no, "qty": r.qty, "reserved": helds.get(r.id, 0), "status": r.status}
            for r, a in zip(made, asks)
        ]
        return jsonify(id=appt.id, at=appt.at.isoformat(), lines=lines), 201


@bp.post("/appointments/<int:appointment_id>/arrive")
@api_write
def post_arrive(appointment_id: int) -> Any:
    """The car came: `{"badge", "number", ...reception fields}` → `{"workorder"}` with the appointment's requests."""
    data = json_body()
    number = field_str(data, "number", required=False, max_len=64)
    row = {k: data[k] for k in _ROW if k in data}
    fa = floor_app()
    tz = fa.cfg.timezone or "UTC"
    with fa.db.writing() as s:
        actor = _actor(s, data, "reception")
        appt = appointments.get(s, appointment_id, lock=True)
        if not number:
            number = reception.next_number(s, clock.now().astimezone(ZoneInfo(tz)).strftime("%y%m%d"))
        if actor is not None and not row.get("advisor"):
            row["advisor"] = actor.name
        try:
            wo, warnings = appointments.arrive(s, appt, number, actor, f"U:{actor.badge}", row, tz, fa.cfg.role_table())
        except RowError as exc:
            raise BodyError(f"{exc.field}: {exc.message}") from None
        body = {"workorder": wo.number, "appointment": appt.id, "warnings": warnings}
    return jsonify(body), 201


@bp.post("/appointments/<int:appointment_id>/cancel")
@api_write
def post_cancel(appointment_id: int) -> Any:
    """The customer will not come: `{"badge"}` → `{"id", "status", "released"}`; its parts' holds are released."""
    data = json_body()
    fa = floor_app()
    with fa.db.reading() as s:
        actor = _actor(s, data, "cancel_appointment")
    done = appointment_case.cancel(fa.db, fa.cfg, appointment_id, actor, f"U:{actor.badge}")
    return jsonify({k: done[k] for k in ("id", "status", "released")})


@bp.post("/appointments/<int:appointment_id>/reschedule")
@api_write
def post_reschedule(appointment_id: int) -> Any:
    """Move a visit: `{"badge", "at"}` (ISO 8601; no zone = site time) → `{"id", "at", "status"}`; its holds stay."""
    data = json_body()
    fa = floor_app()
    with fa.db.reading() as s:
        actor = _actor(s, data, "reschedule_appointment")
    done = appointment_case.reschedule(fa.db, fa.cfg, appointment_id, data.get("at"), actor, f"U:{actor.badge}")
    return jsonify({k: done[k] for k in ("id", "at", "status")})


@bp.get("/appointments")
def get_appointments() -> Any:
    """The advisor's list of one day (`?date=YYYY-MM-DD`, default today): times, customers, parts, reserved."""
    day = day_arg()
    fa = floor_app()
    with fa.db.reading() as s:
        return jsonify(date=day.isoformat(), appointments=appointments.day_list(s, day, fa.cfg.timezone or "UTC"))


@bp.get("/appointments/parts")
def get_appointment_parts() -> Any:
    """The store's list: parts to prepare for a day's appointments (`?date=`, default tomorrow), with bins."""
    day = day_arg(1)
    fa = floor_app()
    with fa.db.reading() as s:
        return jsonify(date=day.isoformat(), parts=appointments.parts_to_prepare(s, day, fa.cfg.timezone or "UTC"))
