"""HTTP JSON API of after-sales (SPEC 10.5): follow-up calls, comeback decisions, complaints, service reminders.

Thin views over `floor.application.aftersales`. A refusal answers `{"error", "error_zh", "code"}`
(400 bad input, 403 role, 404 unknown, 409 a step out of order) and writes nothing; every write
names its badge, passes the role table and is audited in its own transaction (the use case opens it and
asks this door's gate, `_gate`, who acts).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from floor import clock
from floor.application import aftersales
from floor.config.settings import aftersales_settings
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.csvsafe import safe_cell
from floor.core.inputs import RANGE_TEXT, MomentError, parse_day
from floor.http.app import floor_app
from floor.http.principal import badge_gate
from floor.http.validate import json_body
from floor.web.api import api_write

bp = Blueprint("aftersales_api", __name__, url_prefix="/api")
STEPS = ("assign", "respond", "resolve", "close")


def settings() -> AftersalesSettings:
    """The site's after-sales settings (`[followup]`, `[comebacks]`, `[complaints]`, `[service]`, `[site]`)."""
    return aftersales_settings(floor_app().cfg)


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _day(name: str, default: date) -> date:
    raw = request.args.get(name)
    if raw is None:  # given but empty is not a date, and not the default either
        return default
    try:  # the shared parser: ASCII digits, years 1970-2999, so month arithmetic cannot overflow
        return parse_day(raw)
    except MomentError:
        raise BadRequest(description=f"{name} must be YYYY-MM-DD {RANGE_TEXT}, not {raw[:20]!r}") from None


def _today(st: AftersalesSettings) -> date:
    return clock.now().astimezone(ZoneInfo(st.timezone)).date()


# -- follow-ups ------------------------------------------------------------------------------------------------


@bp.get("/followups")
def get_followups() -> Any:
    """`?status=open|done|failed` → `{"followups": [{"id", "workorder", "due_at", "attempts", "status", ...}]}`."""
    status = request.args.get("status")
    today = request.args.get("today")
    if status is not None and status not in ("open", "done", "failed"):  # given, it is one of them (not blank)
        raise BadRequest(description="status must be open, done or failed")
    if today is not None and today not in ("0", "1"):
        raise BadRequest(description="today must be 0 or 1")
    rows = aftersales.open_followups(floor_app().db, floor_app().cfg, status, clock.now(), today_only=today == "1")
    return jsonify(followups=rows)


@bp.post("/followups/<int:followup_id>")
@api_write
def post_followup(followup_id: int) -> Any:
    """Log a call: `{"badge", "reached": bool, "score"?: 0-10, "note"?}` → the follow-up (and `complaint` opened)."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, "followup_call")
    return jsonify(aftersales.log_call(fa.db, fa.cfg, followup_id, data, clock.now(), gate=gate))


# -- comebacks -------------------------------------------------------------------------------------------------


@bp.post("/workorders/<number>/comeback")
@api_write
def post_comeback(number: str) -> Any:
    """Confirm or dismiss a comeback: `{"badge", "of": "<number>", "confirmed": bool}` → `{"workorder", "comeback"}`."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, "decide_comeback")
    return jsonify(aftersales.decide_comeback(fa.db, fa.cfg, number, data, clock.now(), gate=gate))


@bp.get("/comebacks/check")
def get_comeback_check() -> Any:
    """Reception's check on `?vehicle=<VIN or plate>`: `{"vin", "plate", "comeback": {"of", "concerns", ...} | null}`."""
    key = request.args.get("vehicle", "")
    with floor_app().db.reading() as s:
        return jsonify(aftersales.comeback_check(s, settings(), key, clock.now()))


# -- complaints ------------------------------------------------------------------------------------------------


@bp.post("/complaints")
@api_write
def post_complaint() -> Any:
    """Take in a complaint: `{"badge", "customer"?, "vehicle"?, "workorder"?, "channel", "category", "text"}`."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, "open_complaint")
    return jsonify(aftersales.open_complaint(fa.db, fa.cfg, data, clock.now(), gate=gate)), 201


def _step(complaint_id: int, name: str) -> Any:
    action = "close_complaint" if name == "close" else "handle_complaint"
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, action)
    return jsonify(aftersales.complaint_step(fa.db, fa.cfg, complaint_id, name, data, clock.now(), gate=gate))


@bp.post("/complaints/<int:complaint_id>/assign")
@api_write
def post_assign(complaint_id: int) -> Any:
    """Assign: `{"badge", "to": "<assignee's badge>", "note"}`."""
    return _step(complaint_id, "assign")


@bp.post("/complaints/<int:complaint_id>/respond")
@api_write
def post_respond(complaint_id: int) -> Any:
    """The customer was answered: `{"badge", "note"}`."""
    return _step(complaint_id, "respond")


@bp.post("/complaints/<int:complaint_id>/resolve")
@api_write
def post_resolve(complaint_id: int) -> Any:
    """Resolved: `{"badge", "note"}`."""
    return _step(complaint_id, "resolve")


@bp.post("/complaints/<int:complaint_id>/close")
@api_write
def post_close(complaint_id: int) -> Any:
    """Closed with its report: `{"badge", "note"}` (a supervisor)."""
    return _step(complaint_id, "close")


@bp.get("/complaints")
def get_complaints() -> Any:
    """`?status=` (and `overdue=1`) → `{"complaints": [{"id", "status", "workorder", "vehicle", "category", ...}]}`."""
    status, overdue = request.args.get("status"), request.args.get("overdue")
    if status == "" or overdue not in (None, "0", "1"):  # as described: a status of the list, overdue 0 or 1
        raise BadRequest(description="'status' must be a complaint status and 'overdue' 0 or 1")
    with floor_app().db.reading() as s:
        rows = aftersales.complaint_list(s, status, clock.now(), overdue_only=overdue == "1")
    return jsonify(complaints=rows)


@bp.get("/complaints/<int:complaint_id>")
def get_complaint(complaint_id: int) -> Any:
    """One complaint with its steps (who, when, the note)."""
    with floor_app().db.reading() as s:
        return jsonify(aftersales.complaint(s, complaint_id, clock.now()))


STATS_COLUMNS = ("month", "category", "complaints", "closed", "on_time", "on_time_share")


def _stats() -> tuple[date, date, list[dict[str, Any]]]:
    st = settings()
    today = _today(st)
    first = _day("from", date(today.year - 1, today.month, 1) if today.month < 12 else date(today.year, 1, 1))
    last = _day("to", today)
    if last < first or (last - first).days > 3660:
        raise BadRequest(description="from must not be after to, and at most ten years apart")
    zone = ZoneInfo(st.timezone)
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    with floor_app().db.reading() as s:
        return first, last, aftersales.complaint_stats(s, st, start, end)


@bp.get("/complaints/stats")
def get_complaint_stats() -> Any:
    """Monthly statistics by category (`?from=&to=`, site days): complaints, closed, on time, on-time share."""
    first, last, rows = _stats()
    return jsonify({"from": first.isoformat(), "to": last.isoformat(), "months": rows})


@bp.get("/complaints/stats.csv")
def get_complaint_stats_csv() -> Any:
    """The monthly statistics as CSV."""
    first, last, rows = _stats()
    return _csv(rows, STATS_COLUMNS, f"complaints-{first}-{last}.csv")


# -- service reminders -----------------------------------------------------------------------------------------

REMINDER_COLUMNS = ("vin", "plate", "customer", "customer_name", "phone", "due_at", "due_km", "mileage")


def _reminders() -> tuple[date, list[dict[str, Any]]]:
    st = settings()
    before = _day("before", _today(st) + timedelta(days=14))
    with floor_app().db.reading() as s:
        return before, aftersales.reminders(s, before)


@bp.get("/reminders")
def get_reminders() -> Any:
    """`?before=YYYY-MM-DD` (default two weeks on) → `{"reminders": [{"vin", "plate", "customer", "phone", "due_at", "due_km"}]}`."""
    before, rows = _reminders()
    return jsonify(before=before.isoformat(), reminders=rows)


@bp.get("/reminders.csv")
def get_reminders_csv() -> Any:
    """The due reminders as CSV, for an SMS tool."""
    before, rows = _reminders()
    return _csv(rows, REMINDER_COLUMNS, f"reminders-{before}.csv")
