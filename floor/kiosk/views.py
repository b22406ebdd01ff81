"""Kiosk blueprint: the index, the counter, live events and the language switch; other pages join `bp`.

Views stay thin: they read through the same core queries as the JSON API and
submit scans through the same `ScanService`. A page URL returns the whole page,
or, for an htmx request aimed at one of its partials (HX-Target), that partial.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx import HTMX

from floor.config import ConfigError
from floor.core import queries
from floor.kiosk import broadcaster, helpers
from floor.kiosk.i18n import COOKIE, LANGUAGES
from floor.kiosk.live import event_name, sse_stream
from floor.web.app import floor_app

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
htmx = HTMX()
MAX_SCAN_CHARS = 2000
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600


def page(template: str, partials: dict[str, str], **context: Any) -> str:
    """Render the full page, or only the partial an htmx request targets."""
    if htmx and not htmx.boosted:
        target = htmx.target or ""
        if target in partials:
            return render_template(partials[target], **context)
    return render_template(template, **context)


@bp.app_template_global()
def sse_event(kind: str, name: str = "") -> str:
    """The SSE event name a partial listens to, e.g. sse_event('station', 'counter-1')."""
    return event_name(kind, name)


bp.app_template_filter("local_time")(helpers.local_time)
bp.app_template_filter("age")(helpers.age)
bp.app_template_filter("state")(helpers.state_name)
bp.app_template_global("msg")(helpers.scan_message)
bp.app_template_global("status_name")(helpers.status_name)
bp.app_template_global("mode_name")(helpers.mode_name)
bp.app_template_global("role_name")(helpers.role_name)


@bp.context_processor
def _kiosk_context() -> dict[str, Any]:
    return {
        "languages": LANGUAGES,
        "lang": helpers.lang(),
        "html_lang": helpers.html_lang(),
        "stations": floor_app().cfg.stations,
    }


@bp.after_request
def _remember_language(resp: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        resp.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return resp


@bp.get("/")
def index() -> str:
    """The kiosk start page: every station's counter and every page."""
    return render_template("kiosk/index.html")


@bp.get("/lang/<code>")
def set_language(code: str) -> Response:
    """Switch this kiosk's language and go back where it was."""
    if code not in LANGUAGES:
        abort(404)
    back = request.args.get("next") or url_for("kiosk.index")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("kiosk.index")
    resp = make_response(redirect(back))
    resp.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return resp


def _station_or_404(station: str) -> None:
    try:
        floor_app().cfg.station(station)
    except ConfigError:
        abort(404, description=_("No station named %(name)s.", name=station))


def counter_context(station: str) -> dict[str, Any]:
    """What the counter page shows: the station session, its last scans, its job."""
    fa = floor_app()
    with fa.db.reading() as s:
        summary = queries.station_summary(s, station, last=12)
        job = queries.workorder_summary(s, summary["work_order"]) if summary["work_order"] else None
        sale = sales_pages.sale_in_session(s, summary)
    return {"station": station, "station_cfg": fa.cfg.station(station), "summary": summary, "job": job, "sale": sale}


COUNTER_PARTIALS = {"counter-live": "kiosk/_counter_live.html"}


@bp.get("/counter/<station>")
def counter(station: str) -> str:
    """The counter: session at a glance, last scans, the job's parts, a scan field that keeps focus."""
    _station_or_404(station)
    return page("kiosk/counter.html", COUNTER_PARTIALS, **counter_context(station))


def page_scan(station: str, partial: str, context: Callable[[str], dict[str, Any]]) -> Response:
    """A scan typed into a station's page (counter, picks): applied like any scan, the page's `partial` re-rendered
    with the result and `context(station)`."""
    _station_or_404(station)
    from floor.kiosk.enrolment import require_enrolled

    enrolled = require_enrolled(station)  # only a browser enrolled as this station scans for it
    text = request.form.get("text", "")
    if len(text) > MAX_SCAN_CHARS:
        abort(413, description=_("That scan is too long."))
    result = None
    if text.strip():
        who = f"kiosk:{enrolled}" if enrolled else f"kiosk@{request.remote_addr or '-'}"
        result = floor_app().service.submit_text(station, f"kiosk:{station}"[:64], text, audit_actor=who[:64])
    resp = make_response(render_template(partial, result=result, **context(station)))
    if result is not None:
        # The page plays the sound and flashes the screen on this event.
        resp.headers["HX-Trigger"] = "scan-accepted" if result.ok else "scan-rejected"
    return resp


@bp.post("/counter/<station>/scan")
def counter_scan(station: str) -> Response:
    """A wedge scan typed into the counter page: applied like any scan, the counter re-rendered."""
    return page_scan(station, "kiosk/_counter_live.html", counter_context)


@bp.get("/events")
def events() -> Response:
    """Server-sent events: the names of what changed (`scan`, `station-<name>`, `master`, ...)."""
    stream = sse_stream(broadcaster())
    return Response(
        stream, mimetype="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


# The other pages register their routes on `bp`.
from floor.kiosk import (  # noqa: E402,F401
    admin,
    aftersales_pages,
    appointments_page,
    board,
    cashier_pages,
    demand_pages,
    enrolment,
    labels_page,
    reception_pages,
    repair_pages,
    reports_page,
    sales_pages,
    stock_pages,
    technician_page,
)
