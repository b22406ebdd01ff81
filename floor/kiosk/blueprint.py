"""The kiosk's one blueprint `bp` ("kiosk", so every template's url_for("kiosk.…") holds), its template helpers
and `page`: every page module registers its routes on it, and this module imports none of them
(floor.kiosk.pages imports them all, in one place).

Views stay thin: they read through the same core queries as the JSON API and
submit scans through the same `ScanService`. A page URL returns the whole page,
or, for an htmx request aimed at one of its partials (HX-Target), that partial.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_htmx import HTMX

from floor.http.app import floor_app
from floor.http.live import event_name
from floor.kiosk import helpers
from floor.kiosk.i18n import COOKIE, LANGUAGES

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
htmx = HTMX()
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
