"""HTTP JSON API of SPEC 9.4: reception, final inspection, signature and hand-over, the key cabinet.

Thin views over `floor.core.workorders.{reception,qc,handover,keys}`. Bad input
answers 400, a rule refusal by `floor.web.errors.HTTP_STATUS`, both as `{"error", "error_zh", "code"}`; nothing is
written then. Every write names its actor (a badge) and is audited once, in its own transaction
(`record` + `floor.web.principal.audited`: the kiosk's forms call the same functions, so their entries are the
same); the core functions publish the job on the change feed (`floor.core.changes`), which brings open boards
up to date after commit.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g, jsonify, url_for
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from floor import clock
from floor.config.settings import vin_check_digit
from floor.core.audit import record
from floor.core.authority import BadgeError, resolve_badge
from floor.core.master import RowError, receive_car
from floor.core.workorders import bind_tag, handover, keys, qc, reception
from floor.core.workorders.lookup import job_by_number
from floor.labels.service import PrintQueue
from floor.models import User, WorkOrder
from floor.web.api import api_write
from floor.web.app import floor_app
from floor.web.principal import audited, authorize
from floor.web.validate import BodyError, field_str, json_body

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


def queue_label(session: Session, printer: str | None, kind: str, object_id: str) -> dict[str, Any]:
    """Queue a label on a printer when one is named (savepoint: a failure queues nothing); always a preview URL."""
    out: dict[str, Any] = {"kind": kind, "preview": url_for("kiosk.label_preview", kind=kind, object_id=object_id)}
    if not printer:
        out["queued"] = None
        return out
    try:
        with session.begin_nested():
            out["queued"] = PrintQueue(floor_app().cfg.printers).enqueue(session, printer, kind, object_id)
    except Exception as exc:  # an unknown printer or an unencodable text: the job itself still stands
        out["queued"], out["note"] = None, f"not queued: {exc}"[:200]
    return out


# What `receive` reads: the job's row (the number is optional: the day's next by default), its tags, the label printer.
RECEPTION_BODY = (*reception.JOB_COLUMNS, "key_tag", "folder_tag", "printer")
_ROW = (*reception.JOB_DETAILS, *reception.FIELDS)


def _reception_row(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in _ROW if k in data}


def receive(data: dict[str, Any], actor: User | None, who: str, station: str | None = None) -> dict[str, Any]:
    """Reception as a function of a checked body (the API and the kiosk page, from `station`, both call it)."""
    fa = floor_app()
    number_given = field_str(data, "number", required=False, max_len=64)
    key_tag = field_str(data, "key_tag", required=False, max_len=128)
    folder_tag = field_str(data, "folder_tag", required=False, max_len=128)
    printer = field_str(data, "printer", required=False, max_len=64)
    row = _reception_row(data)
    with fa.db.writing() as s:
        if actor is not None and not row.get("advisor"):
            row["advisor"] = actor.name  # the advisor at the desk, unless another is named
        day = clock.now().astimezone(ZoneInfo(fa.cfg.timezone or "UTC")).strftime("%y%m%d")
        number = number_given or reception.next_number(s, day)
        try:
            # The core checks `reception` against the site's table: the kiosk's form reaches here with a bare badge.
            wo, warnings = receive_car(
                s,
                number,
                row,
                fa.cfg.timezone,
                actor=actor,
                roles=fa.cfg.role_table(),
                vin_check_digit=vin_check_digit(fa.cfg),
            )
        except RowError as exc:
            raise BodyError(f"{exc.field}: {exc.message}") from None
        tags = []
        for code, kind in ((key_tag, "key"), (folder_tag, "folder")):
            if code:
                tag = bind_tag(s, wo, code, kind, wo.plate or wo.vehicle or "")
                tags.append({"code": tag.code, "kind": kind})
        s.flush()
        label = queue_label(s, printer, "wo", wo.number)
        record(
            s,
            who,
            "reception",
            wo.number,
            station=station,
            plate=wo.plate,
            mileage=wo.mileage,
            tags=tags,
            warnings=warnings,
        )
        audited()
        body = {
            "number": wo.number,
            "warnings": warnings,
            "tags": tags,
            "label": label,
            "card": url_for("kiosk.job_card", number=wo.number),
            **reception.reception_json(wo),
        }
    return body


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


def store_signature(number: str, value: Any, actor: User | None, station: str | None = None) -> dict[str, Any]:
    """Decode, check and keep a signature with a job (the API and the kiosk pad, from `station`, both call it).

    The core refuses it (`role_denied`) unless `actor` may hand over in the site's table: nothing is stored then.
    """
    fa = floor_app()
    if not isinstance(value, str) or not value:
        raise BodyError("'png' must be the signature as a data:image/png;base64 URL or base64 text")
    png = handover.decode_signature(value)
    with fa.db.writing() as s:
        wo = job_or_404(s, number)
        sig = handover.save_signature(s, wo, png, actor, clock.now(), roles=fa.cfg.role_table())
        size = f"{sig.width}x{sig.height}"
        record(s, actor_of(actor), "signature", wo.number, station=station, bytes=len(png), size=size)
        audited()
        body = {"number": wo.number, "signed": True, "width": sig.width, "height": sig.height, "bytes": len(png)}
    return body


@bp.post("/workorders/<number>/signature")
@api_write
def post_signature(number: str) -> Any:
    """Keep the customer's signature with the job: `{"badge", "png": "data:image/png;base64,…"}`."""
    data = json_body()
    with floor_app().db.reading() as s:
        actor = acting(s, data, "handover")
    return jsonify(store_signature(number, data.get("png"), actor)), 201


@bp.get("/workorders/<number>/signature.png")
def get_signature(number: str) -> Any:
    """The stored signature image of a job."""
    with floor_app().db.reading() as s:
        wo = job_or_404(s, number)
        png = handover.signature_png(s, wo.id)
    if png is None:
        raise NotFound(description=f"job {number[:64]} has no signature")
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


def deliver_job(
    number: str, actor: User | None, signature: str | None, printer: str | None, station: str | None = None
) -> dict[str, Any]:
    """DELIVER with the signature (kept first when given) and the gate pass (API and kiosk, from `station`)."""
    fa = floor_app()
    png = handover.decode_signature(signature) if signature else None
    with fa.db.writing() as s:
        wo = job_or_404(s, number)
        change = handover.deliver(
            s,
            wo,
            actor,
            clock.now(),
            signature=png,
            require_signature=fa.cfg.require_signature,
            roles=fa.cfg.role_table(),
        )
        s.flush()
        gatepass = queue_label(s, printer or fa.cfg.delivery_printer, "gatepass", wo.number)
        record(s, actor_of(actor), "deliver", wo.number, station=station, signed=handover.has_signature(s, wo.id))
        audited()
        body = {"number": wo.number, "status": wo.status, "at": change.at.isoformat(), "gatepass": gatepass}
    return body


@bp.post("/workorders/<number>/deliver")
@api_write
def post_deliver(number: str) -> Any:
    """Hand the car over: `{"badge", "signature"?: PNG data URL, "printer"?}`; prints the gate pass."""
    data = json_body()
    signature = field_str(data, "signature", required=False, max_len=handover.MAX_SIGNATURE_BYTES * 2)
    printer = field_str(data, "printer", required=False, max_len=64)
    with floor_app().db.reading() as s:
        actor = acting(s, data, "handover")
    return jsonify(deliver_job(number, actor, signature, printer))


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
