"""Kiosk page of appointments (SPEC 9.4): the day's visits with their parts and what is reserved.

Large type for the front desk and the store; CSP-ready (no inline script or style: the page's
CSS and JS are static files).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request

from floor.core import appointments
from floor.kiosk.views import bp
from floor.models import utcnow
from floor.web.app import floor_app


@bp.get("/appointments")
def appointments_page() -> str:
    """The appointments of one day (`?date=YYYY-MM-DD`, default today), each with its parts and reserved state."""
    fa = floor_app()
    tz = fa.cfg.timezone or "UTC"
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    try:
        day = date.fromisoformat(request.args.get("date") or today.isoformat())
    except ValueError:
        day = today
    with fa.db.reading() as s:
        rows = appointments.day_list(s, day, tz)
    return render_template(
        "kiosk/appointments.html",
        day=day,
        prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        rows=rows,
    )
