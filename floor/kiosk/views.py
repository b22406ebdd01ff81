"""Kiosk pages of the start: the index, the counter and its scans, live events and the language switch.

Views stay thin: they read through the same core queries as the JSON API and
submit scans through the same `ScanService`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from floor.config import ConfigError
from floor.core import queries
from floor.http.app import floor_app
from floor.http.live import sse_stream
from floor.kiosk import broadcaster, sales_pages
from floor.kiosk.blueprint import COOKIE_MAX_AGE, bp, page
from floor.kiosk.enrolment import require_enrolled
from floor.kiosk.i18n import COOKIE, LANGUAGES

MAX_SCAN_CHARS = 2000


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
