"""Kiosk pages of SPEC 9.4: reception, the A4 job card, the hand-over with the signature pad, keys out.

The pages call the same functions as the JSON API (`floor.web.reception_api`), so a
form and a JSON body meet the same rules and codes. A refusal re-renders the page with
the message in the kiosk's language and the code, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, NotFound

from floor.core import clock, messages, queries
from floor.core.authority import NotAllowed
from floor.core.workorders import WorkOrderError, handover, keys
from floor.kiosk.helpers import Formatter, lang, status_name
from floor.kiosk.views import bp
from floor.models import User
from floor.web import reception_api
from floor.web.app import floor_app
from floor.web.errors import http_status

FIELDS = (
    "number",
    "vehicle",
    "customer",
    "promised_at",
    "estimate_minutes",
    "plate",
    "vin",
    "mileage",
    "fuel_pct",
    "belongings",
    "old_parts",
    "wash",
    "advisor",
    "key_tag",
    "folder_tag",
    "printer",
)


def _refusal(exc: Exception) -> tuple[str, str, int]:
    """(message in the kiosk's language, code, HTTP status) of a refused form."""
    if isinstance(exc, WorkOrderError):
        en, zh = messages.render(exc.code, exc.params)
        return (zh if lang() == "zh" else en), exc.code, http_status(exc.code)
    if isinstance(exc, NotAllowed):
        en, zh = messages.render(exc.code, exc.params)
        return (zh if lang() == "zh" else en), exc.code, http_status(exc.code)
    assert isinstance(exc, HTTPException)
    return str(exc.description), "bad_request", exc.code or 400


def _badge(data: dict[str, Any]) -> User:
    with floor_app().db.reading() as s:
        user = reception_api.person(s, data)
    assert user is not None
    return user


@bp.get("/reception")
def reception() -> str:
    """The reception form: the car, the customer's wishes, key and folder tags."""
    return render_template("kiosk/reception.html", form={}, error=None, printers=list(floor_app().cfg.printers))


@bp.post("/reception")
def reception_post() -> Any:
    """Receive a car from the form; shows the job card, or the form again with the refusal."""
    form = {k: request.form.get(k, "").strip() for k in (*FIELDS, "badge")}
    data: dict[str, Any] = {k: v for k, v in form.items() if v != ""}
    try:
        actor = _badge(data)
        body = reception_api.receive(data, actor, reception_api.actor_of(actor))
    except (WorkOrderError, NotAllowed, HTTPException) as exc:
        message, code, status = _refusal(exc)
        printers = list(floor_app().cfg.printers)
        return render_template("kiosk/reception.html", form=form, error=message, code=code, printers=printers), status
    return render_template(
        "kiosk/job_card.html", warnings=body["warnings"], label=body["label"], **_card(body["number"])
    )


def _card(number: str) -> dict[str, Any]:
    with floor_app().db.reading() as s:
        job = queries.workorder_summary(s, number)
    if job is None:
        raise NotFound(description=f"no work order {number[:64]}")
    return {"job": job, "fmt": Formatter(), "stage": status_name(job["status"])}


@bp.get("/workorders/<number>/card")
def job_card(number: str) -> str:
    """The A4 job card (prints on white paper): the car, the wishes, the WO: barcode, signatures."""
    return render_template("kiosk/job_card.html", warnings=[], label=None, **_card(number))


def _delivery(number: str, error: str | None = None, code: str | None = None, done: Any = None) -> str:
    fa = floor_app()
    with fa.db.reading() as s:
        wo = reception_api.job_or_404(s, number)
        summary = handover.handover_summary(s, wo, clock.now())
        job = queries.workorder_summary(s, number)
    return render_template(
        "kiosk/delivery.html",
        job=job,
        h=summary,
        fmt=Formatter(),
        error=error,
        code=code,
        done=done,
        require_signature=fa.cfg.require_signature,
        stage_name=status_name,
    )


@bp.get("/delivery/<number>")
def delivery(number: str) -> str:
    """Hand-over: parts fitted, cores, old parts to give back, time per stage, the signature pad, DELIVER."""
    return _delivery(number)


@bp.post("/delivery/<number>/signature")
def delivery_signature(number: str) -> Any:
    """The pad's image (JSON `{"png", "badge"}` from signature.js): checked and kept with the job."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error="send JSON", code="bad_request"), 400
    try:
        actor = _badge(data) if data.get("badge") else None
        body = reception_api.store_signature(number, data.get("png"), actor)
    except (WorkOrderError, NotAllowed, HTTPException) as exc:
        message, code, status = _refusal(exc)
        return jsonify(error=message, code=code), status
    return jsonify(body), 201


@bp.post("/delivery/<number>")
def delivery_post(number: str) -> Any:
    """DELIVER from the hand-over page (with the advisor's badge); prints the gate pass."""
    data = {k: v for k in ("badge", "printer") if (v := request.form.get(k, "").strip())}
    try:
        actor = _badge(data)
        done = reception_api.deliver_job(number, actor, None, data.get("printer"))
    except (WorkOrderError, NotAllowed, HTTPException) as exc:
        message, code, status = _refusal(exc)
        return _delivery(number, message, code), status
    return _delivery(number, done=done)


@bp.get("/keys")
def keys_page() -> str:
    """Keys out of the cabinet (a partial of the alerts page; red after closing time)."""
    fa = floor_app()
    with fa.db.reading() as s:
        out = keys.keys_out(s, clock.now(), fa.cfg.closing_time, fa.cfg.timezone)
        names: dict[str, str] = {b: n for b, n in s.execute(select(User.badge, User.name))} if out["keys"] else {}
    return render_template("kiosk/_keys_out.html", out=out, names=names, fmt=Formatter(), t_title=_("Keys out"))
