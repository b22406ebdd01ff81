"""HTTP JSON API of the workshop side: job lists and board, status moves, parts-cost CSV, cores, job tags.

Thin views: they check the request, find the person by badge and call the same
core functions as the scans (`floor.core.workorders`). A rule that refuses the
change answers 409 with its bilingual message and code; a bad request 400; an
unknown job or core 404; an unknown badge or a role the role table refuses 403.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from floor import clock
from floor.core import messages
from floor.core.inputs import RANGE_TEXT, MomentError, parse_day, parse_moment
from floor.core.workorders import (
    CLOSED_VALUES,
    DISPOSITIONS,
    OPEN,
    Status,
    WorkOrderError,
    bind_tag,
    board,
    change_status,
    cores_report,
    dispose_core,
    find_core,
    jobs_by_status,
    parts_cost_rows,
    return_core,
    to_csv,
    waive,
)
from floor.core.workorders.lookup import job_by_number
from floor.core.workorders.status import move_action, parse_status
from floor.http.app import floor_app
from floor.http.principal import authorize, authorize_with_pin, person
from floor.http.validate import BodyError, field_str, json_body
from floor.models import User, WorkOrder
from floor.web.api import api_write
from floor.web.paging import page_args

bp = Blueprint("workorders_api", __name__, url_prefix="/api")
MAX_RANGE_DAYS = 3660


def _job(session: Session, number: str) -> WorkOrder:
    return job_by_number(session, number)


def _acting(session: Session, data: dict[str, Any], action: str, required: bool = True) -> User | None:
    """The person whose badge the body names, allowed `action` (the one principal helper decides)."""
    badge = field_str(data, "badge", required=required, max_len=64)
    return authorize(session, action, badge, badge_required=required).user


@bp.get("/workorders")
def list_workorders() -> Any:
    """Jobs by status: `?status=in_progress,on_hold` (default: every open one); `open` and `closed` are shorthands.

    Paged with `?limit=&offset=` (newest first)."""
    page = page_args()
    wanted: list[str] = []
    for part in (request.args.get("status") or "open").split(","):
        part = part.strip().lower()
        if part == "open":
            wanted.extend(OPEN)
        elif part == "closed":
            wanted.extend(CLOSED_VALUES)
        elif part:
            try:
                wanted.append(Status(part).value)
            except ValueError:
                raise BodyError(
                    f"unknown status {part[:40]!r}; valid: open, closed, " + ", ".join(s.value for s in Status)
                ) from None
    with floor_app().db.reading() as s:
        jobs, meta = page.fetch(lambda n, skip: jobs_by_status(s, sorted(set(wanted)), n, skip))
        return jsonify(workorders=jobs, page=meta)


@bp.get("/workorders/board")
def get_board() -> Any:
    """Every open job with stage, time in stage, flags, parts, cores due and where its keys were last seen."""
    with floor_app().db.reading() as s:
        now = clock.now()
        return jsonify(now=now.isoformat(), jobs=board(s, now))


@bp.post("/workorders/<number>/status")
@api_write
def post_status(number: str) -> Any:
    """Move a job: `{"status", "badge", "note", "reason" (on_hold: parts|approval), "technician", "team"}`."""
    data = json_body()
    status = field_str(data, "status", max_len=32) or ""
    note = field_str(data, "note", required=False, max_len=2000)
    reason = field_str(data, "reason", required=False, max_len=32)
    team = field_str(data, "team", required=False, max_len=64)
    fa = floor_app()
    with fa.db.writing() as s:
        wo = _job(s, number)
        action = move_action(Status(wo.status), parse_status(status))
        actor = _acting(s, data, action, required=False)
        tech = person(s, field_str(data, "technician", required=False, max_len=64))
        change = change_status(
            s,
            wo,
            status,
            actor,
            clock.now(),
            note,
            hold_reason=reason,
            technician_id=tech.id if tech else None,
            team=team,
            roles=fa.cfg.role_table(),
            require_signature=fa.cfg.require_signature,
        )
        body = {
            "number": wo.number,
            "from_status": change.from_status,
            "status": wo.status,
            "hold_reason": wo.hold_reason,
            "at": change.at.isoformat(),
        }
    return jsonify(body)


def _day_or_time(value: str | None, name: str, tz: ZoneInfo, end: bool) -> datetime | None:
    if value is None:  # given but empty is refused below, not read as the default
        return None
    try:
        if len(value) == 10:  # a day in the workshop's time zone; `to` includes that whole day
            day = parse_day(value) + (timedelta(days=1) if end else timedelta())
            return datetime.combine(day, time(), tz).astimezone(UTC)
        return parse_moment(value, default_zone=tz)
    except MomentError as exc:
        if exc.reason == "range":
            raise BodyError(f"'{name}' must have a year {RANGE_TEXT}, not {value[:40]!r}") from None
        raise BodyError(f"'{name}' must be a day like 2026-11-01 or an ISO time, not {value[:40]!r}") from None


@bp.get("/workorders/costs.csv")
def get_costs_csv() -> Any:
    """Parts cost per job for moves in `?from=&to=` (days in the site's time zone, `to` included); `by=part` for lines."""
    fa = floor_app()
    tz = ZoneInfo(fa.cfg.timezone or "UTC")
    start = _day_or_time(request.args.get("from"), "from", tz, end=False)
    end = _day_or_time(request.args.get("to"), "to", tz, end=True)
    if start is None or end is None:
        raise BodyError("give the period as ?from=YYYY-MM-DD&to=YYYY-MM-DD")
    if end <= start or end - start > timedelta(days=MAX_RANGE_DAYS):
        raise BodyError("'to' must be after 'from', and the period at most ten years")
    by = request.args.get("by", "job")
    if by not in ("job", "part"):
        raise BodyError("'by' must be job or part")
    with fa.db.reading() as s:
        body = to_csv(parts_cost_rows(s, start, end, by), by)
    name = f"parts-cost-{request.args['from']}-{request.args['to']}.csv".replace(":", "")
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/workorders/<number>/tags")
@api_write
def post_tag(number: str) -> Any:
    """Bind a key fob or job folder tag: `{"code", "kind": "key"|"folder", "label"}`."""
    data = json_body()
    code = field_str(data, "code", max_len=128) or ""
    kind = field_str(data, "kind", required=False, max_len=16) or "key"
    label = field_str(data, "label", required=False, max_len=200) or ""
    with floor_app().db.writing() as s:
        authorize(s, "bind_tag", field_str(data, "badge", required=False, max_len=64))
        wo = _job(s, number)
        tag = bind_tag(s, wo, code, kind, label)
        s.flush()
        body = {"ok": True, "code": tag.code, "kind": tag.kind, "work_order": wo.number}
    return jsonify(body), 201


@bp.get("/cores")
def get_cores() -> Any:
    """Cores report: `?status=due` (default), `returned`, `waived` or `all`; per job and per technician with age.

    The `cores` list is paged with `?limit=&offset=`; the totals cover every core."""
    page = page_args()
    status = request.args.get("status", "due")
    if status not in ("due", "returned", "waived", "all"):
        raise BodyError("'status' must be due, returned, waived or all")
    with floor_app().db.reading() as s:
        report = cores_report(s, clock.now(), None if status == "all" else status)
    report["cores"], report["page"] = page.of(report["cores"])
    return jsonify(report)


def _core_or_404(session: Session, serial: str) -> Any:
    try:
        return find_core(session, serial)
    except WorkOrderError as exc:
        raise NotFound(description=messages.render(exc.code, exc.params)[0]) from None


def _core_json(core: Any) -> dict[str, Any]:
    return {"serial": core.serial, "status": core.status, "disposition": core.disposition, "claim_ref": core.claim_ref}


@bp.post("/cores/<serial>/return")
@api_write
def post_core_return(serial: str) -> Any:
    """Record a core's return at the kiosk: `{"badge"}`."""
    data = json_body()
    with floor_app().db.writing() as s:
        actor = _acting(s, data, "core_return")
        core = _core_or_404(s, serial)
        return_core(s, core, actor.id if actor else None, clock.now())
        return jsonify(_core_json(core))


@bp.post("/cores/<serial>/disposition")
@api_write
def post_disposition(serial: str) -> Any:
    """Judge a returned core: `{"disposition", "badge", "claim_ref"}`."""
    data = json_body()
    disposition = field_str(data, "disposition", max_len=32) or ""
    if disposition not in DISPOSITIONS:
        raise BodyError(f"'disposition' must be one of {', '.join(DISPOSITIONS)}")
    claim_ref = field_str(data, "claim_ref", required=False, max_len=64)
    with floor_app().db.writing() as s:
        actor = _acting(s, data, "core_disposition")
        core = _core_or_404(s, serial)
        dispose_core(s, core, disposition, actor.id if actor else None, clock.now(), claim_ref=claim_ref)
        return jsonify(_core_json(core))


@bp.post("/cores/<serial>/waive")
@api_write
def post_waive(serial: str) -> Any:
    """A supervisor waives one due core: `{"badge", "pin", "note"}` (a privileged act: the PIN, SPEC 10.6)."""
    data = json_body()
    note = field_str(data, "note", required=False, max_len=2000)
    field_str(data, "badge", max_len=64)  # a person waives, never a token alone
    fa = floor_app()
    with fa.db.writing() as s:
        actor = authorize_with_pin(s, "waive_core", data).user
        core = _core_or_404(s, serial)
        waive(s, [core], actor, clock.now(), note or "waived by supervisor", roles=fa.cfg.role_table())
        return jsonify(_core_json(core))
