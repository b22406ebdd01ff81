"""The technician's own page (SPEC 10.3), on the kiosk and the handheld: their lines, their running clock,
and clocking on, off and finishing by touch or by scanning `OP:<line>`, `CMD:STOP`, `CMD:FINISH`.

The page is the person's (`/kiosk/technician/<id>`: an id, never a badge, is in the URL); every touch
needs their badge, which stays in the page's badge field and is checked by the core as `clock`; the page
parses and answers, the use cases are `floor.application.workshop`'s. The
lines part refreshes itself on the change feed's `jobs` event, so a clock started at a scanner shows
within a second.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from floor import clock
from floor.application import repair, workshop
from floor.core import messages
from floor.core.clocking.clocks import open_clock
from floor.core.clocking.progress import hours_between, shown
from floor.core.workorders.status import OPEN
from floor.http.errors import http_status
from floor.kiosk import repair_actions as act
from floor.kiosk.blueprint import bp, htmx, page
from floor.kiosk.helpers import Formatter, lang, refusal, status_name
from floor.models import ClockRecord, LabourOperation, RepairLine, User, WorkOrder
from floor.models.repair import AUTHORIZED_STATUSES, LineKind, LineStatus

PARTIALS = {"tech-live": "kiosk/_technician_live.html"}
MAX_SCAN = 80


def _lines(session: Any, user_id: int, now: Any) -> list[dict[str, Any]]:
    """Authorized labour lines of open jobs that are the technician's (their job, or clocked by them)."""
    mine = select(ClockRecord.line_id).where(ClockRecord.technician_id == user_id)
    rows = session.execute(
        select(RepairLine, WorkOrder.number, WorkOrder.plate, WorkOrder.status, LabourOperation)
        .join(WorkOrder, WorkOrder.id == RepairLine.work_order_id)
        .join(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .where(
            RepairLine.kind == LineKind.LABOUR.value,
            RepairLine.status.in_(AUTHORIZED_STATUSES),
            WorkOrder.status.in_(list(OPEN)),
            or_(WorkOrder.technician_id == user_id, RepairLine.id.in_(mine)),
        )
        .order_by(WorkOrder.number, RepairLine.id)
    ).all()
    clocked: dict[int, Decimal] = defaultdict(Decimal)
    ids = [r[0].id for r in rows]
    if ids:
        for line_id, on_at, off_at in session.execute(
            select(ClockRecord.line_id, ClockRecord.on_at, ClockRecord.off_at).where(
                ClockRecord.technician_id == user_id, ClockRecord.line_id.in_(ids)
            )
        ):
            clocked[line_id] += hours_between(on_at, off_at, now)
    zh = lang() == "zh"
    return [
        {
            "id": line.id,
            "number": number,
            "plate": plate,
            "job_status": status_name(status),
            "op": op.code,
            "name": (op.name_zh or op.name) if zh else op.name,
            "done": line.status == LineStatus.DONE.value,
            "sold": shown(Decimal(line.hours or 0)),
            "mine": shown(clocked[line.id]),
        }
        for line, number, plate, status, op in rows
    ]


def technician_context(user_id: int, result: str | None = None, error: str | None = None, code: str | None = None):
    """The technician, their running clock and their lines."""
    now = clock.now()
    with act.fa().db.reading() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(description=_("No such person."))
        running = open_clock(s, user.id)
        on = None
        if running is not None:
            wo = s.get(WorkOrder, running.work_order_id)
            on = {
                "line": running.line_id,
                "number": wo.number if wo else "-",
                "since": running.on_at,
                "hours": shown(hours_between(running.on_at, None, now)),
            }
        lines = _lines(s, user.id, now)
    return {
        "person": {"id": user.id, "name": user.name},
        "on": on,
        "lines": lines,
        "result": result,
        "error": error,
        "code": code,
        "fmt": Formatter(),
    }


@bp.get("/technician")
def technician_start() -> str:
    """Scan your badge: your own page opens."""
    return render_template("kiosk/technician_start.html", error=None)


@bp.post("/technician")
def technician_open() -> Any:
    """The badge's person's page (the badge is not put in the URL)."""
    badge = request.form.get("badge", "").strip()[:64]
    try:
        if not badge:
            raise act.PageRefusal("no_actor", _("No badge given: scan or type your badge."), 400)
        user_id = workshop.technician_of(act.fa().db, badge)
    except act.REFUSED as exc:
        message, code, status = refusal(exc)
        return render_template("kiosk/technician_start.html", error=message, code=code), status
    return redirect(url_for("kiosk.technician_page", user_id=user_id), code=303)


@bp.get("/technician/<int:user_id>")
def technician_page(user_id: int) -> str:
    """The technician's page (or, for htmx, its live part)."""
    return page("kiosk/technician.html", PARTIALS, **technician_context(user_id))


def _from_scan(text: str) -> tuple[str, str]:
    """(action, line) of a scanned or typed `OP:<line>`, `CMD:STOP`, `CMD:FINISH`."""
    code = text.strip().upper()
    if code.startswith("OP:"):
        return "on", code[3:].strip()
    if code in ("CMD:STOP", "STOP"):
        return "stop", ""
    if code in ("CMD:FINISH", "FINISH"):
        return "finish", ""
    raise act.PageRefusal("bad_clock_scan", _("Scan an OP: barcode of the job card, CMD:STOP or CMD:FINISH."), 400)


def _worded(exc: workshop.ClockRefusal) -> tuple[str, str, int]:
    """The page's own refusal of a touch in the kiosk's language (the one message catalogue), with its status."""
    en, zh = messages.render(exc.code, exc.params)
    return (zh if lang() == "zh" else en), exc.code, http_status(exc.code)


@bp.post("/technician/<int:user_id>/clock")
def technician_clock(user_id: int) -> Response | tuple[str, int]:
    """Clock on a line, stop or finish, by touch (`action`, `line`) or by scan (`text`); the badge is theirs."""
    form = request.form
    result = error = code = None
    status = 200
    try:
        if form.get("text", "").strip():
            action, line = _from_scan(form["text"][:MAX_SCAN])
        else:
            action, line = form.get("action", ""), form.get("line", "")
        fa = act.fa()
        done = workshop.clock_by_touch(
            fa.db, repair.site_of(fa.cfg), user_id, action, act.form_id(line), form.get("badge", "")
        )
        result = {
            "clocked_on": _("Clocked on."),
            "already_on": _("Already clocked on this line."),
            "clocked_off": _("Clocked off."),
            "line_finished": _("Line done, clocked off."),
        }.get(done, done)
    except workshop.ClockRefusal as exc:
        error, code, status = _worded(exc)
    except act.REFUSED as exc:
        error, code, status = refusal(exc)
    context = technician_context(user_id, result, error, code)
    if htmx:  # the message goes beside the live part (out of band): the part's own refresh does not wipe it
        return render_template("kiosk/_technician_live.html", oob=True, **context), status
    return render_template("kiosk/technician.html", **context), status
