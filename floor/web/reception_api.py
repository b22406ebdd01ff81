"""HTTP JSON API of SPEC 9.4: reception, final inspection, signature and hand-over, the key cabinet.

Thin views over `floor.application.reception` (reception, signature, hand-over: the kiosk's forms call the same
use cases) and `floor.core.workorders.{qc,keys}`. Bad input
answers 400, a rule refusal by `floor.http.errors.HTTP_STATUS`, both as `{"error", "error_zh", "code"}`; nothing is
written then. Every write names its actor (a badge) and is audited once, in its own transaction
(`record` + `floor.http.principal.audited`: the kiosk's forms call the same use cases, so their entries are the
same); the core functions publish the job on the change feed (`floor.core.changes`), which brings open boards
up to date after commit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, url_for
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from floor import clock
from floor.application import reception as reception_case
from floor.core.audit import record
from floor.core.authority import BadgeError, resolve_badge
from floor.core.master import RowError
from floor.core.workorders import handover, keys, qc
from floor.core.workorders.lookup import job_by_number
from floor.http.app import floor_app
from floor.http.principal import audited, authorize
from floor.http.validate import BodyError, field_signature, field_str, json_body
from floor.models import User, WorkOrder
from floor.web.api import api_write

bp = Blueprint("reception_api", __name__, url_prefix="/api")


def job_or_404(session: Session, number: str) -> WorkOrder:
    """A job by number, or the refusal `unknown_wo` (404)."""
    return job_by_number(session, number)


def person(session: Session, data: dict[str, Any], required: bool = True) -> User | None:
    """The active person whose badge the body names (the kiosk pages' look-up), or 404."""
    badge = field_str(data, "badge", required=required, max_len=64)
    if not badge:
        return None
    try:
        return resolve_badge(session, badge)
    except BadgeError:
        raise NotFound(description=f"unknown badge {badge[:64]}") from None


def acting(session: Session, data: dict[str, Any], action: str, required: bool = True) -> User | None:
    """The person whose badge an API body names, allowed `action` (authority's one principal helper)."""
    badge = field_str(data, "badge", required=required, max_len=64)
    return authorize(session, action, badge, badge_required=required).user


def actor_of(user: User | None) -> str:
    """The audit actor of a write: `U:<badge>`, or the API token when no badge was given."""
    if user is not None:
        return f"U:{user.badge}"
    write = g.get("floor_write")
    return str(write["actor"]) if write else "-"


def with_preview(label: dict[str, Any], object_id: str) -> dict[str, Any]:
    """A label answer of the use cases (`queue_label`) with the URL of its preview."""
    return {
        "kind": label["kind"],
        "preview": url_for("kiosk.label_preview", kind=label["kind"], object_id=object_id),
        **label,
    }


def receive(data: dict[str, Any], actor: User | None, who: str) -> dict[str, Any]:
    """Reception of a checked body (`floor.application.reception.receive`), with the label's and the card's URLs."""
    fa = floor_app()
    texts = {k: field_str(data, k, required=False, max_len=n) for k, n in reception_case.TEXTS.items()}
    try:
        body = reception_case.receive(fa.db, fa.cfg, data, texts, actor, who)
    except RowError as exc:
        raise BodyError(str(exc)) from None
    audited()
    body["label"] = with_preview(body["label"], body["number"])
    return {**body, "card": url_for("kiosk.job_card", number=body["number"])}


@bp.post("/reception")
@api_write
def post_reception() -> Any:
    """Receive a car: `{"badge", "number"?, "vehicle", "customer", "promised_at", "estimate_minutes", "plate", "vin",
    "mileage", "fuel_pct", "belongings", "old_parts", "wash", "advisor", "key_tag", "folder_tag", "printer"}`."""
    data = json_body()
    with floor_app().db.reading() as s:
        actor = acting(s, data, "reception")
    assert actor is not None
    return jsonify(receive(data, actor, actor_of(actor))), 201


@bp.post("/workorders/<number>/qc")
@api_write
def post_qc(number: str) -> Any:
    """Final inspection: `{"badge", "result": "pass"|"fail", "reason"}` (a fail needs its reason)."""
    data = json_body()
    result = field_str(data, "result", max_len=8) or ""
    if result not in ("pass", "fail"):
        raise BodyError("'result' must be pass or fail")
    reason = field_str(data, "reason", required=False, max_len=qc.MAX_REASON)
    with floor_app().db.writing() as s:
        wo = job_or_404(s, number)
        actor = acting(s, data, "pass_qc")
        now = clock.now()
        if result == "pass":
            qc.pass_qc(s, wo, actor, now, roles=floor_app().cfg.role_table())
        else:
            qc.fail_qc(s, wo, actor, now, reason, require_reason=True, roles=floor_app().cfg.role_table())
        s.flush()
        record(s, actor_of(actor), f"qc.{result}", wo.number, reason=reason)
        audited()
        body = {"number": wo.number, "status": wo.status, "qc": qc.qc_json(s, wo)}
    return jsonify(body)


@bp.post("/workorders/<number>/signature")
@api_write
def post_signature(number: str) -> Any:
    """Keep the customer's signature with the job: `{"badge", "png": "data:image/png;base64,…"}`."""
    data = json_body()
    with floor_app().db.reading() as s:
        actor = acting(s, data, "handover")
    png = field_signature(data.get("png"))
    fa = floor_app()
    body = reception_case.store_signature(fa.db, fa.cfg, number, png, actor, actor_of(actor))
    audited()
    return jsonify(body), 201


@bp.get("/workorders/<number>/signature.png")
def get_signature(number: str) -> Any:
    """The stored signature image of a job."""
    with floor_app().db.reading() as s:
        wo = job_or_404(s, number)
        png = handover.signature_png(s, wo.id)
    if png is None:
        raise NotFound(description=f"job {number[:64]} has no signature")
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/workorders/<number>/deliver")
@api_write
def post_deliver(number: str) -> Any:
    """Hand the car over: `{"badge", "signature"?: PNG data URL, "printer"?}`; prints the gate pass."""
    data = json_body()
    signature = field_str(data, "signature", required=False, max_len=handover.MAX_SIGNATURE_BYTES * 2)
    printer = field_str(data, "printer", required=False, max_len=64)
    with floor_app().db.reading() as s:
        actor = acting(s, data, "handover")
    fa = floor_app()
    body = reception_case.deliver_job(fa.db, fa.cfg, number, actor, actor_of(actor), signature, printer)
    audited()
    body["gatepass"] = with_preview(body["gatepass"], body["number"])
    return jsonify(body)


@bp.post("/workorders/<number>/key")
@api_write
def post_key(number: str) -> Any:
    """The key cabinet without a reader: `{"action": "out", "badge"}` or `{"action": "in"}`."""
    data = json_body()
    action = field_str(data, "action", max_len=4) or ""
    if action not in ("out", "in"):
        raise BodyError("'action' must be out or in")
    with floor_app().db.writing() as s:
        wo = job_or_404(s, number)
        now = clock.now()
        if action == "out":
            actor = acting(s, data, "key_checkout")
            assert actor is not None
            keys.check_out(s, wo, f"api:{wo.number}", actor, now, "api", roles=floor_app().cfg.role_table())
        else:
            actor = acting(s, data, "key_checkout", required=False)
            keys.check_in(s, wo, f"api:{wo.number}", now, "api")
        record(s, actor_of(actor), f"key.{action}", wo.number)
        audited()
        body = {"number": wo.number, "key": keys.key_json(s, wo)}
    return jsonify(body)


@bp.get("/keys/out")
def get_keys_out() -> Any:
    """Keys of open jobs out of the cabinet, with `after_closing` once `[site] closing_time` has passed."""
    fa = floor_app()
    with fa.db.reading() as s:
        return jsonify(keys.keys_out(s, clock.now(), fa.cfg.closing_time, fa.cfg.timezone))


@bp.get("/workorders/<number>/handover")
def get_handover(number: str) -> Any:
    """What the hand-over shows: parts fitted, cores, old parts to give back, time in each stage, signed or not."""
    with floor_app().db.reading() as s:
        return jsonify(handover.handover_summary(s, job_or_404(s, number)))
