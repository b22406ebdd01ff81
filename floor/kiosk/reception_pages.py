"""Kiosk pages of SPEC 9.4: reception, the A4 job card, the hand-over with the signature pad, keys out.

The pages call the same use cases as the JSON API (`floor.application.reception`), so a
form and a JSON body meet the same rules and codes: who may receive a car or hand it over
(signature and DELIVER) is the core's check against the site's role table. A refusal
re-renders the page with the message in the kiosk's language, the code and, when the badge
is missing or lacks the role, what to do next; it changes nothing.

Like the kiosk's other writes that audit themselves, these are recorded once, inside their own
transaction (`record` + `audited()` in the shared functions), with the badge and the enrolled
station; `mark_write` is for writes audited after the response, which would add a second entry.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, NotFound

from floor import clock
from floor.application import aftersales
from floor.application import reception as reception_case
from floor.config.settings import aftersales_settings
from floor.core import messages, queries
from floor.core.authority import BadgeError, NotAllowed, resolve_badge
from floor.core.master import RowError
from floor.core.refusal import Refusal
from floor.core.workorders import WorkOrderError, handover, keys
from floor.core.workorders.lookup import find_job, job_by_number
from floor.core.workorders.status import HANDOVER
from floor.http.app import floor_app
from floor.http.enrolment import enrolled_station
from floor.http.errors import error_answer, http_status
from floor.http.principal import audited
from floor.http.validate import field_signature, field_str
from floor.kiosk.blueprint import bp
from floor.kiosk.helpers import Formatter, lang, role_name, status_name
from floor.models import User

FIELDS = reception_case.RECEPTION_BODY  # the form's fields are the API body's
PREFILL = ("plate", "vin", "vehicle", "customer")  # what the vehicle file hands the form


# Refusals of who acts: the page then says whose badge to bring.
WHO_CODES = ("no_actor", "unknown_badge", "inactive_badge", "role_denied")
REFUSED = (WorkOrderError, NotAllowed, BadgeError, HTTPException, RowError)


def _refusal(exc: Exception, action: str) -> tuple[str, str, int]:
    """(message in the kiosk's language, code, HTTP status) of a form refused while doing `action`."""
    if isinstance(exc, (WorkOrderError, NotAllowed, BadgeError)):
        who = _who_refused(exc.code, exc.params, action)
        if who is None:
            en, zh = messages.render(exc.code, exc.params)
            who = zh if lang() == "zh" else en
        return who, exc.code, http_status(exc.code)
    if isinstance(exc, RowError):  # a bad field of the car's row: a 400 naming it, as the API answers
        return str(exc), "bad_request", 400
    assert isinstance(exc, HTTPException)
    return str(exc.description), "bad_request", exc.code or 400


def _who_refused(code: str, params: dict[str, Any], action: str) -> str | None:
    """A refusal of who acts in the kiosk's words (roles named in its language), None for other refusals."""
    if code == "no_actor":
        return _("No badge given.")
    if code == "unknown_badge":
        return _("Unknown badge.")
    if code == "inactive_badge":
        return _("This badge is no longer active.")
    if code == "role_denied":
        name, role = str(params.get("name", "-")), str(params.get("role", "-"))
        return _(
            "%(name)s is a %(role)s; this needs a %(needed)s.", name=name, role=role_name(role), needed=_needed(action)
        )
    return None


def _needed(action: str) -> str:
    """The roles the site's table allows an action, in the kiosk's language."""
    return " / ".join(role_name(r) for r in sorted(floor_app().cfg.role_table().roles_for(action))) or "-"


def _next_step(code: str, action: str) -> str | None:
    """What to do next after a refusal of who acts (None for other refusals)."""
    if code not in WHO_CODES:
        return None
    if action == HANDOVER:
        return _(
            "The hand-over needs the badge of a %(roles)s: scan or type it into “Your badge”, then try again.",
            roles=_needed(action),
        )
    return _(
        "Receiving a car needs the badge of a %(roles)s: scan or type it into “Your badge”, then send the form again.",
        roles=_needed(action),
    )


def _acting(badge: Any) -> User:
    """The active person whose badge the form names (the core's one look-up; the core then checks the role).

    No badge is `no_actor`; unknown or inactive ones are the look-up's BadgeError (403 each).
    """
    if not isinstance(badge, str) or not badge.strip():
        raise WorkOrderError("no_actor")
    with floor_app().db.reading() as s:
        return resolve_badge(s, badge)


@bp.get("/reception")
def reception() -> str:
    """The reception form: the car, the customer's wishes, key and folder tags (the car's fields may come from its
    vehicle file: `?plate=&vin=&vehicle=&customer=`)."""
    form = {k: v[:200] for k in PREFILL if (v := request.args.get(k, "").strip())}
    return render_template("kiosk/reception.html", form=form, error=None, printers=list(floor_app().cfg.printers))


@bp.post("/reception")
def reception_post() -> Any:
    """Receive a car from the form; shows the job card, or the form again with the refusal."""
    form = {k: request.form.get(k, "").strip() for k in (*FIELDS, "badge")}
    data: dict[str, Any] = {k: v for k, v in form.items() if v != ""}
    try:
        actor = _acting(data.get("badge"))
        texts = {k: field_str(data, k, required=False, max_len=n) for k, n in reception_case.TEXTS.items()}
        fa = floor_app()
        body = reception_case.receive(fa.db, fa.cfg, data, texts, actor, f"U:{actor.badge}", enrolled_station())
        audited()
    except REFUSED as exc:
        message, code, status = _refusal(exc, "reception")
        printers = list(floor_app().cfg.printers)
        hint = _next_step(code, "reception")
        return render_template(
            "kiosk/reception.html", form=form, error=message, code=code, hint=hint, printers=printers
        ), status
    return render_template(
        "kiosk/job_card.html", warnings=body["warnings"], label=body["label"], **_card(body["number"])
    )


def _card(number: str) -> dict[str, Any]:
    fa = floor_app()
    with fa.db.reading() as s:
        job = queries.workorder_summary(s, number)
        wo = find_job(s, number) if job is not None else None
        # SPEC 10.5: a car back within [comebacks] days is flagged on its card at once
        comeback = aftersales.comeback_of(s, aftersales_settings(fa.cfg), wo) if wo is not None else None
    if job is None:
        raise NotFound(description=f"no work order {number[:64]}")
    return {"job": job, "fmt": Formatter(), "stage": status_name(job["status"]), "flag": comeback}


@bp.get("/workorders/<number>/card")
def job_card(number: str) -> str:
    """The A4 job card (prints on white paper): the car, the wishes, the WO: barcode, signatures."""
    return render_template("kiosk/job_card.html", warnings=[], label=None, **_card(number))


def _delivery(number: str, error: str | None = None, code: str | None = None, done: Any = None) -> str:
    """The hand-over page, with a refusal (and what to do next) or the delivery done."""
    fa = floor_app()
    with fa.db.reading() as s:
        wo = job_by_number(s, number)
        summary = handover.handover_summary(s, wo, clock.now())
        job = queries.workorder_summary(s, number)
    return render_template(
        "kiosk/delivery.html",
        job=job,
        h=summary,
        fmt=Formatter(),
        error=error,
        code=code,
        hint=_next_step(code, HANDOVER) if code else None,
        done=done,
        require_signature=fa.cfg.require_signature,
        handover_roles=_needed(HANDOVER),
        stage_name=status_name,
    )


@bp.get("/delivery/<number>")
def delivery(number: str) -> str:
    """Hand-over: parts fitted, cores, old parts to give back, time per stage, the signature pad, DELIVER."""
    return _delivery(number)


@bp.post("/delivery/<number>/signature")
def delivery_signature(number: str) -> Any:
    """The pad's image (JSON `{"png", "badge"}` from signature.js): kept with the job when the badge may hand over.

    The badge is required and checked by the core as `handover`, like the API's signature route; a refusal
    stores nothing and answers the one error shape with a `hint` (the hint says whose badge to bring).
    """
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error_answer("bad_request", "send JSON", "请发送 JSON", 400)
    try:
        actor = _acting(data.get("badge"))
        png = field_signature(data.get("png"))
        fa = floor_app()
        body = reception_case.store_signature(fa.db, fa.cfg, number, png, actor, f"U:{actor.badge}", enrolled_station())
        audited()
    except REFUSED as exc:
        message, code, status = _refusal(exc, HANDOVER)
        # `error` is in the kiosk's language (the pad shows it); `error_zh` as in every error answer.
        zh = message if lang() == "zh" or not isinstance(exc, Refusal) else messages.render(code, exc.params)[1]
        return error_answer(code, message, zh, status, hint=_next_step(code, HANDOVER))
    return jsonify(body), 201


@bp.post("/delivery/<number>")
def delivery_post(number: str) -> Any:
    """DELIVER from the hand-over page (with the advisor's badge); prints the gate pass."""
    data = {k: v for k in ("badge", "printer") if (v := request.form.get(k, "").strip())}
    try:
        actor = _acting(data.get("badge"))
        fa = floor_app()
        who, station = f"U:{actor.badge}", enrolled_station()
        done = reception_case.deliver_job(fa.db, fa.cfg, number, actor, who, None, data.get("printer"), station)
        audited()
    except REFUSED as exc:
        message, code, status = _refusal(exc, HANDOVER)
        return _delivery(number, message, code), status
    return _delivery(number, done=done)


@bp.get("/keys")
def keys_page() -> str:
    """Keys out of the cabinet (a partial of the alerts page; red after closing time)."""
    fa = floor_app()
    with fa.db.reading() as s:
        out = keys.keys_out(s, clock.now(), fa.cfg.closing_time, fa.cfg.timezone)
    return render_template("kiosk/_keys_out.html", out=out, fmt=Formatter(), t_title=_("Keys out"))
