"""HTTP JSON API of the vehicle file, the repair order and the technicians' report (SPEC 10.1-10.3).

Thin views over `floor.application.repair` (the kiosk pages call the same use cases): they read the
body, find the person by badge (the role table decides, `floor.http.principal.authorize`), call one use
case and answer. A refused rule is answered by the app's one handler (floor.http.errors): its code in both
languages with the status of `HTTP_STATUS`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request

from floor import clock
from floor.application import repair, repair_writes
from floor.core.repair.errors import DIAGNOSE, TAKE_YES, WRITE_CONCERNS, WRITE_LINES
from floor.core.repair.lines import LINE_FIELDS
from floor.core.vehicles.records import COLUMNS as VEHICLE_COLUMNS
from floor.core.vehicles.records import EDIT as EDIT_VEHICLES
from floor.http.app import floor_app
from floor.http.principal import audited, authorize, badge_gate
from floor.http.validate import BodyError, field_str, json_body
from floor.models import User
from floor.web.api import api_write
from floor.web.workorders_api import MAX_RANGE_DAYS, _day_or_time

bp = Blueprint("repair_api", __name__, url_prefix="/api")


def _acting(data: dict[str, Any], session: Any, action: str) -> tuple[User, str]:
    """The person whose badge the body names (required), allowed `action`; and the audit actor `U:<badge>`."""
    badge = field_str(data, "badge", max_len=64)
    user = authorize(session, action, badge, badge_required=True).user
    assert user is not None
    audited()  # the core writes its own audit entry in this transaction
    return user, f"U:{user.badge}"


def _only(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The members of the body this route reads (others are ignored, as everywhere in the API)."""
    return {k: v for k, v in data.items() if k in allowed}


# --- vehicles -------------------------------------------------------------------------------------------------


@bp.post("/vehicles")
@api_write
def post_vehicle() -> Any:
    """Register or update a vehicle by VIN: `{"badge", "vin", "plate", "make", "model", "year"?, "customer", ...}`."""
    data = json_body()
    row = _only(data, VEHICLE_COLUMNS)
    fa = floor_app()
    body = repair_writes.register_vehicle(fa.db, repair.site_of(fa.cfg), row, badge_gate(data, EDIT_VEHICLES))
    return jsonify(body), 201 if body["created"] else 200


@bp.get("/vehicles/<key>")
def get_vehicle(key: str) -> Any:
    """A vehicle by VIN or plate: its customer, warranty, next service, jobs and declined work."""
    fa = floor_app()
    with fa.db.reading() as s:
        body = repair.vehicle_file(s, key, clock.now().date())
    return jsonify(body)


# --- concerns -------------------------------------------------------------------------------------------------


@bp.post("/workorders/<number>/concerns")
@api_write
def post_concern(number: str) -> Any:
    """The customer's words: `{"badge", "text"}` → `{"id", ...}`."""
    data = json_body()
    _only(data, ("text",))
    fa = floor_app()
    gate = badge_gate(data, WRITE_CONCERNS)
    body = repair_writes.add_concern(fa.db, repair.site_of(fa.cfg), number, data.get("text"), gate)
    return jsonify(body), 201


@bp.patch("/workorders/<number>/concerns/<concern_id>")
@api_write
def patch_concern(number: str, concern_id: str) -> Any:
    """A concern's `cause` and `correction` (the technician), or its `text`: `{"badge", ...}`."""
    data = json_body()
    fields = _only(data, ("text", "cause", "correction"))
    fa = floor_app()
    gate = badge_gate(data, DIAGNOSE if "text" not in fields else WRITE_CONCERNS)
    body = repair_writes.update_concern(fa.db, repair.site_of(fa.cfg), number, concern_id, fields, gate)
    return jsonify(body)


# --- lines, estimate, the customer's yes ----------------------------------------------------------------------


@bp.post("/workorders/<number>/lines")
@api_write
def post_line(number: str) -> Any:
    """A line: `{"badge", "kind": "labour"|"part", "op"|"part_no", "qty"?, "hours"?, "pay", "concern"?}`."""
    data = json_body()
    fields = _only(data, LINE_FIELDS)
    fa = floor_app()
    body = repair_writes.add_line(fa.db, repair.site_of(fa.cfg), number, fields, badge_gate(data, WRITE_LINES))
    return jsonify(body), 201


@bp.patch("/workorders/<number>/lines/<line_id>")
@api_write
def patch_line(number: str, line_id: str) -> Any:
    """Change a line's hours, qty, unit price, pay, concern, safety or note (after the yes: a supervisor's PIN)."""
    data = json_body()
    fields = _only(data, ("qty", "hours", "unit_price", "pay", "concern", "safety", "note"))
    if not fields:
        raise BodyError("give a field to change: qty, hours, unit_price, pay, concern, safety or note")
    fa = floor_app()
    gate = badge_gate(data, WRITE_LINES)  # after the yes: a supervisor and their PIN
    body = repair_writes.change_line(fa.db, repair.site_of(fa.cfg), number, line_id, fields, gate, pin=data.get("pin"))
    return jsonify(body)


@bp.get("/workorders/<number>/estimate")
def get_estimate(number: str) -> Any:
    """The estimate: lines with prices, totals per pay type, tax, due."""
    fa = floor_app()
    site = repair.site_of(fa.cfg)
    with fa.db.reading() as s:
        body = repair.estimate(s, number, site)
    return jsonify(body)


@bp.post("/workorders/<number>/authorize")
@api_write
def post_authorize(number: str) -> Any:
    """The customer's answer: `{"badge", "lines": [ids], "declined": [ids], "how", "signature"?}`."""
    data = json_body()
    _only(data, ("lines", "declined", "how", "signature"))
    raw = data.get("signature")
    if raw is not None and (not isinstance(raw, str) or not raw):
        raise BodyError("'signature' must be the signature as a data:image/png;base64 URL or base64 text")
    fa = floor_app()
    body = repair_writes.authorize(
        fa.db,
        repair.site_of(fa.cfg),
        number,
        data.get("lines"),
        data.get("declined"),
        data.get("how"),
        badge_gate(data, TAKE_YES),
        signature=raw,  # decoded once the badge passed, in the write's transaction
    )
    return jsonify(body)


# --- the technicians' report ----------------------------------------------------------------------------------


def _period() -> tuple[Any, Any]:
    """`?from=&to=` (days in the site's time zone, `to` included; default: today)."""
    fa = floor_app()
    tz = ZoneInfo(fa.cfg.timezone or "UTC")
    today = clock.now().astimezone(tz).date().isoformat()
    # absent is today; given but empty is refused by the parser (not read as today)
    start = _day_or_time(request.args.get("from", today), "from", tz, end=False)
    end = _day_or_time(request.args.get("to", today), "to", tz, end=True)
    assert start is not None and end is not None
    if end <= start or end - start > timedelta(days=MAX_RANGE_DAYS):
        raise BodyError("'to' must be after 'from', and the period at most ten years")
    return start, end


@bp.get("/reports/technicians")
def get_technicians() -> Any:
    """Per technician: `clocked_hours`, `sold_hours`, `efficiency`, `jobs`, `comebacks` for `?from=&to=`."""
    start, end = _period()
    with floor_app().db.reading() as s:
        rows = repair.technicians(s, start, end, clock.now())
    return jsonify(start=start.isoformat(), end=end.isoformat(), technicians=rows)


@bp.get("/reports/technicians.csv")
def get_technicians_csv() -> Any:
    """The technicians' report as CSV."""
    start, end = _period()
    with floor_app().db.reading() as s:
        body = repair.technicians_csv(repair.technicians(s, start, end, clock.now()))
    name = f"technicians-{start.date().isoformat()}-{end.date().isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})
