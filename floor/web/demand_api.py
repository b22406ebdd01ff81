"""HTTP JSON API of parts demand (SPEC 9.2): request lines, approval, cancel, reservations, picks, special orders.

Thin views over `floor.core.demand`. A person acts by badge and the role table decides
(403 `role_denied`); a rule that refuses answers with its code and both languages
(409, 400 for bad input, 404 for an unknown job, part or line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy.orm import Session

from floor import clock
from floor.application import demand as demand_cases
from floor.core.demand import queues, rules
from floor.core.demand.lines import approval_value, held_of, require
from floor.core.receiving import special_orders
from floor.core.workorders.lookup import job_by_number
from floor.http.app import floor_app
from floor.http.principal import audited, authorize
from floor.http.validate import BodyError, field_int, field_str, json_body
from floor.models import User, WorkOrder
from floor.web.api import api_write

bp = Blueprint("demand_api", __name__, url_prefix="/api")


def _person(session: Session, data: dict[str, Any], action: str) -> User:
    """The person whose badge the body names, allowed `action` (authority's one principal helper).

    The demand rules audit each write themselves, as `U:<badge>`.
    """
    who = authorize(session, action, field_str(data, "badge", max_len=64), badge_required=True)
    audited()
    assert who.user is not None  # field_str required the badge
    return who.user


def _job(session: Session, number: str, lock: bool = False) -> WorkOrder:
    return job_by_number(session, number, lock=lock)


def _asked(data: dict[str, Any]) -> list[tuple[str, Any]]:
    lines = data.get("lines")
    if not isinstance(lines, list):
        raise BodyError('\'lines\' must be a list of {"part_no", "qty"} objects')
    out = []
    for i, item in enumerate(lines):
        if not isinstance(item, dict):
            raise BodyError(f"lines[{i}] must be an object with 'part_no' and 'qty'")
        part_no = item.get("part_no")
        if not isinstance(part_no, str) or not part_no.strip():
            raise BodyError(f"lines[{i}].part_no must be a part number")
        out.append((part_no.strip(), item.get("qty")))
    return out


@bp.post("/workorders/<number>/requests")
@api_write
def post_requests(number: str) -> Any:
    """Request parts for a job: `{"badge", "lines": [{"part_no", "qty"}]}`; each line reserves or backorders."""
    data = json_body()
    asked = _asked(data)
    fa = floor_app()
    limit = approval_value(fa.cfg)
    with fa.db.writing() as s:
        actor = _person(s, data, "request_parts")
        wo = _job(s, number)
        asks = rules.resolve_lines(s, asked)
        made = rules.request_parts(
            s, wo, asks, actor, f"U:{actor.badge}", clock.now(), limit=limit, table=fa.cfg.role_table()
        )
        helds = held_of(s, [r.id for r in made])
        lines = [
            {"id": r.id, "part_no": a.part_no, "qty": r.qty, "reserved": helds.get(r.id, 0), "status": r.status}
            for r, a in zip(made, asks)
        ]
    return jsonify(workorder=number, lines=lines), 201


@bp.get("/workorders/<number>/requests")
def get_requests(number: str) -> Any:
    """A job's request lines: requested, reserved, issued, status."""
    with floor_app().db.reading() as s:
        wo = _job(s, number)
        return jsonify(workorder=wo.number, requests=queues.job_lines(s, wo.id))


def _gate(data: dict[str, Any], action: str) -> Callable[[Session], User]:
    """The API's check of who acts on a line: the body's badge (and the request's token), allowed `action`."""
    return lambda s: _person(s, data, action)


def _badge(data: dict[str, Any]) -> str:
    return str(data.get("badge") or "")  # the gate checks it; the use case names the person the gate returns


@bp.post("/requests/<int:line_id>/approve")
@api_write
def post_approve(line_id: int) -> Any:
    """A supervisor approves a line awaiting approval: `{"badge", "pin"}` (not the one who made it: `four_eyes`)."""
    data = json_body()
    fa = floor_app()
    line = demand_cases.approve_line(
        fa.db, fa.cfg, line_id, _badge(data), data.get("pin"), gate=_gate(data, "approve_request")
    )
    return jsonify(line)


@bp.post("/requests/<int:line_id>/cancel")
@api_write
def post_cancel(line_id: int) -> Any:
    """Cancel a line (one's own, or with the `cancel_request` role): `{"badge"}`; releases what it holds."""
    data = json_body()
    fa = floor_app()
    return jsonify(demand_cases.cancel_line(fa.db, fa.cfg, line_id, _badge(data), gate=_gate(data, "request_parts")))


@bp.post("/requests/<int:line_id>/release")
@api_write
def post_release(line_id: int) -> Any:
    """A supervisor releases what a line holds: `{"badge", "qty" (optional, default all)}`."""
    data = json_body()
    fa = floor_app()
    gate = _gate(data, "move_reservation")
    return jsonify(demand_cases.release_line(fa.db, fa.cfg, line_id, _badge(data), data.get("qty"), gate=gate))


@bp.post("/requests/<int:line_id>/move")
@api_write
def post_move(line_id: int) -> Any:
    """A supervisor moves held stock to another line of the same part: `{"badge", "to": <line id>, "qty"}`."""
    data = json_body()
    to = field_int(data.get("to"), "to", 1, 2**62)
    fa = floor_app()
    gate = _gate(data, "move_reservation")
    return jsonify(demand_cases.move_reservation(fa.db, fa.cfg, line_id, to, _badge(data), data.get("qty"), gate=gate))


@bp.get("/picks")
def get_picks() -> Any:
    """What to pick, earliest needed first (jobs' promises, appointments' times), with bins: `?workorder=<n>` for one job."""
    wo = request.args.get("workorder") or None
    fa = floor_app()
    with fa.db.reading() as s:
        return jsonify(picks=queues.picks(s, wo, fa.cfg.timezone or "UTC"))


@bp.get("/special-orders")
def get_special_orders() -> Any:
    """Backordered lines of open jobs and booked appointments, listed per supplier: `?supplier=<name>` for one."""
    supplier = request.args.get("supplier") or None
    fa = floor_app()
    with fa.db.reading() as s:
        lines = queues.special_orders(s, supplier, fa.cfg.timezone or "UTC")
    suppliers: dict[str, list[dict[str, Any]]] = {}
    for x in lines:
        suppliers.setdefault(x["supplier"] or "", []).append(x)
    return jsonify(lines=lines, suppliers=[{"supplier": k, "lines": v} for k, v in suppliers.items()])


@bp.post("/special-orders/delivery")
@api_write
def post_special_delivery() -> Any:
    """Put a supplier's special orders on an expected delivery: `{"badge", "supplier", "reference"}`."""
    data = json_body()
    supplier = field_str(data, "supplier", max_len=200) or ""
    reference = field_str(data, "reference", max_len=64) or ""
    fa = floor_app()
    with fa.db.writing() as s:
        actor = _person(s, data, "special_order")
        require(fa.cfg.role_table(), actor, "special_order")
        delivery, lines = special_orders.order_special(s, supplier, reference.strip(), actor.id, clock.now())
        from floor.core import audit

        audit.record(
            s, f"U:{actor.badge}", "special_order", f"delivery:{delivery.id}", supplier=supplier, lines=len(lines)
        )
        return jsonify(
            delivery={"id": delivery.id, "supplier": supplier, "reference": delivery.reference}, lines=lines
        ), 201
