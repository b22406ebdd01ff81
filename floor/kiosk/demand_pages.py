"""Kiosk pages of parts demand: the pick queue of a counter, and the request lines on the counter page.

The pick page lists what to pick per job and per booked appointment (earliest needed first) with bins and
prints as a pick list; its scan field goes to the station like the counter's, so
scanning the job and then the parts issues them and the lines leave the list.
"""

from __future__ import annotations

from functools import partial
from itertools import groupby
from typing import Any

from flask import Response, make_response, render_template, request

from floor.application import demand as demand_cases
from floor.core.demand import queues
from floor.core.pins import PinError
from floor.http.app import floor_app
from floor.kiosk import helpers
from floor.kiosk.blueprint import bp, page
from floor.kiosk.enrolment import require_enrolled
from floor.kiosk.views import _station_or_404, counter_context, page_scan
from floor.models.requests import RequestStatus


@bp.app_template_global()
def request_status_name(status: str) -> str:
    """A request line's status in the kiosk's language (floor.models.requests.RequestStatus)."""
    return RequestStatus.shown(status, helpers.lang())


def picks_context(station: str) -> dict[str, Any]:
    """The pick queue grouped per job, and the station's session (who and which job)."""
    from floor.core import queries

    fa = floor_app()
    with fa.db.reading() as s:
        rows = queues.picks(s, tz=fa.cfg.timezone or "UTC")
        summary = queries.station_summary(s, station, last=1)
        arrivals = demand_arrivals(s)
    # One section per job or appointment: the queue keeps each one's lines together.
    groups = [list(lines) for _key, lines in groupby(rows, key=_owner)]
    jobs = [{"workorder": g[0]["workorder"], "appointment": g[0]["appointment"], "lines": g} for g in groups]
    return {
        "station": station,
        "jobs": jobs,
        "summary": summary,
        "arrivals": arrivals,
        "printing": request.args.get("print") == "1",
    }


def _owner(row: dict[str, Any]) -> tuple[str | None, int | None]:
    appt = row["appointment"]
    return row["workorder"], appt["id"] if appt else None


def demand_arrivals(session: Any, limit: int = 5) -> list[dict[str, Any]]:
    """The counter's alert, newest first: receipts that reserved stock for waiting jobs (their scan's message)
    and units that reached waiting lines any other way (freed holds, returns, stock writes: demand notices)."""
    from sqlalchemy import select

    from floor.models import DemandNotice, ScanEvent

    receipts = session.execute(
        select(ScanEvent.message, ScanEvent.message_zh, ScanEvent.received_at)
        .where(ScanEvent.code == "received_reserved", ScanEvent.undone_by.is_(None))
        .order_by(ScanEvent.id.desc())
        .limit(limit)
    ).all()
    notices = session.execute(
        select(DemandNotice.message, DemandNotice.message_zh, DemandNotice.at)
        .order_by(DemandNotice.id.desc())
        .limit(limit)
    ).all()
    rows = sorted([*receipts, *notices], key=lambda r: r[2], reverse=True)[:limit]
    return [{"message": m, "message_zh": z, "at": at} for m, z, at in rows]


PICK_PARTIALS = {"picks-live": "kiosk/_picks_live.html"}


@bp.get("/picks/<station>")
def picks(station: str) -> str:
    """The pick queue: what to pick per job with bins; `?print=1` lays it out as a pick list to print."""
    _station_or_404(station)
    return page("kiosk/picks.html", PICK_PARTIALS, **picks_context(station))


@bp.post("/picks/<station>/scan")
def picks_scan(station: str) -> Response:
    """A scan typed on the pick page: applied at the station, the list re-rendered (issued lines drop off)."""
    return page_scan(station, "kiosk/_picks_live.html", picks_context)


@bp.post("/counter/<station>/requests/<int:line_id>/approve")
def approve_request(station: str, line_id: int) -> Response:
    """A supervisor approves a line awaiting approval from the counter page: badge (scanned or typed) and PIN pad."""
    from floor.core import messages
    from floor.core.demand.lines import DemandError

    _station_or_404(station)
    require_enrolled(station)
    badge = request.form.get("badge", "")[:64]
    pin = request.form.get("pin", "")[:32]
    note, ok = "", False
    fa = floor_app()
    try:
        gate = partial(helpers.badge_user, badge=badge, action="approve_request")
        demand_cases.approve_line(fa.db, fa.cfg, line_id, badge, pin, gate=gate)
        ok = True
    except helpers.BadgeRefused as exc:
        note = str(exc)
    except (DemandError, PinError) as exc:
        en, zh = messages.render(exc.code, exc.params)
        note = zh if helpers.lang() == "zh" else en
    resp = make_response(render_template("kiosk/_counter_live.html", approval_note=note, **counter_context(station)))
    resp.headers["HX-Trigger"] = "scan-accepted" if ok else "scan-rejected"
    return resp
