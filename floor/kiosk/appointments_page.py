"""Kiosk page of appointments (SPEC 9.4): the day's visits with their parts and what is reserved; move or cancel one.

Large type for the front desk and the store; CSP-ready (no inline script or style: the page's
CSS and JS are static files). Moving and cancelling call the same use cases as the JSON API
(`floor.application.appointments`): the same rules and codes; a refusal shows the message in the
kiosk's language with its code, and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from floor import clock
from floor.application import appointments as appointment_case
from floor.core import appointments, messages
from floor.core.inputs import MomentError, parse_day
from floor.core.scanning.context import Reject
from floor.http.app import floor_app
from floor.http.errors import http_status
from floor.kiosk import helpers
from floor.kiosk.blueprint import bp


def _today(tz: str) -> date:
    return clock.now().astimezone(ZoneInfo(tz)).date()


def _render(day: date, error: str | None = None, code: str | None = None, done: str | None = None) -> str:
    fa = floor_app()
    tz = fa.cfg.timezone or "UTC"
    with fa.db.reading() as s:
        rows = appointments.day_list(s, day, tz)
    zone = ZoneInfo(tz)
    for row in rows:  # the move field starts at the booked local time (a datetime-local value)
        row["local_input"] = datetime.fromisoformat(row["at"]).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    return render_template(
        "kiosk/appointments.html",
        day=day,
        prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        rows=rows,
        error=error,
        code=code,
        done=done,
    )


@bp.get("/appointments")
def appointments_page() -> Any:
    """The appointments of one day (`?date=YYYY-MM-DD`, default today), each with its parts and reserved state."""
    today = _today(floor_app().cfg.timezone or "UTC")
    raw = request.args.get("date")
    try:  # ASCII digits, years 1970-2999: the page's day before and after are always dates
        day = parse_day(raw) if raw else today
    except MomentError:
        en, zh = messages.render("bad_appointment_day", {"date": str(raw)[:20]})
        return _render(today, zh if helpers.lang() == "zh" else en, "bad_appointment_day"), 400
    return _render(day, done=_done_note())


def _done_note() -> str | None:
    """The note after a move or cancel (`?done=moved|cancelled&id=`), in the kiosk's language."""
    done, ident = request.args.get("done"), request.args.get("id", "")[:20]
    if done == "cancelled":
        return _("Appointment %(id)s cancelled; its reserved parts are free again.", id=ident)
    if done == "moved":
        return _("Appointment %(id)s moved; its parts stay reserved.", id=ident)
    return None


@bp.post("/appointments/<int:appointment_id>/cancel")
def appointment_cancel(appointment_id: int) -> Any:
    """Cancel a booked visit from the page (advisor's badge): its parts' holds are released."""
    return _change(appointment_id, "cancel_appointment")


@bp.post("/appointments/<int:appointment_id>/reschedule")
def appointment_reschedule(appointment_id: int) -> Any:
    """Move a booked visit to the form's local date and time (advisor's badge): its parts stay reserved."""
    return _change(appointment_id, "reschedule_appointment")


def _change(appointment_id: int, action: str) -> Any:
    fa = floor_app()
    tz = fa.cfg.timezone or "UTC"
    badge = request.form.get("badge", "").strip()[:64]
    try:
        shown = parse_day(request.form.get("date", ""))
    except MomentError:
        shown = _today(tz)
    try:
        with fa.db.reading() as s:
            who = helpers.badge_user(s, badge, action)
        via = f"U:{who.badge}"
        if action == "cancel_appointment":
            done = appointment_case.cancel(fa.db, fa.cfg, appointment_id, who, via)
        else:
            at = request.form.get("at", "")[:40]
            done = appointment_case.reschedule(fa.db, fa.cfg, appointment_id, at, who, via)
    except helpers.BadgeRefused as exc:
        return _render(shown, str(exc), "badge_refused"), 403
    except Reject as exc:
        en, zh = messages.render(exc.code, exc.params)
        return _render(shown, zh if helpers.lang() == "zh" else en, exc.code), http_status(exc.code)
    note = "cancelled" if action == "cancel_appointment" else "moved"
    day = done["day"].isoformat()
    return redirect(url_for("kiosk.appointments_page", date=day, done=note, id=appointment_id), 303)
