"""Kiosk pages of after-sales (SPEC 10.5): the advisor's follow-up calls for today, complaints, the comeback check.

Large type for the front desk; CSP-ready (no inline script or style). Every form calls the same use
cases as the JSON API (`floor.application.aftersales`): the same rules and codes; a refusal shows the
message in the kiosk's language with its code, and changes nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from floor import clock
from floor.application import aftersales
from floor.config.settings import aftersales_settings
from floor.core import messages
from floor.core.refusal import Refusal
from floor.http.app import floor_app
from floor.http.errors import http_status
from floor.kiosk import helpers
from floor.kiosk.blueprint import bp
from floor.models.aftersales import ComplaintCategory, ComplaintChannel, ComplaintStatus
from floor.models.named import display

STEP_ACTIONS = {"assign": "handle_complaint", "respond": "handle_complaint", "resolve": "handle_complaint"}
STEP_ACTIONS["close"] = "close_complaint"


def _refusal(exc: Refusal) -> tuple[str, str, int]:
    en, zh = messages.render(exc.code, exc.params)
    return (zh if helpers.lang() == "zh" else en), exc.code, http_status(exc.code)


def _names(kind: type[ComplaintCategory] | type[ComplaintChannel] | type[ComplaintStatus]) -> list[tuple[str, str]]:
    return [(m.value, display(m, helpers.lang())) for m in kind]


# -- follow-ups ------------------------------------------------------------------------------------------------


def _followups_page(error: str | None = None, code: str | None = None, done: str | None = None) -> str:
    fa = floor_app()
    rows = aftersales.open_followups(fa.db, fa.cfg, None, clock.now(), today_only=True)
    return render_template("kiosk/followups.html", rows=rows, error=error, code=code, done=done)


@bp.get("/followups")
def followups_page() -> str:
    """The advisor's call list for today: each delivered job's work, the customer and the phone; log a call."""
    done = request.args.get("done")
    note = None
    if done == "reached":
        note = _("Call logged: the follow-up is done.")
    elif done == "again":
        note = _("Call logged: not reached, it will be tried again.")
    elif done == "complaint":
        note = _("Call logged: the low score opened complaint %(id)s.", id=request.args.get("id", "")[:12])
    return _followups_page(done=note)


@bp.post("/followups/<int:followup_id>")
def followup_call(followup_id: int) -> Any:
    """Log one call from the page (advisor's badge): reached or not, the score and a note."""
    fa = floor_app()
    badge = request.form.get("badge", "").strip()[:64]
    reached = request.form.get("reached") == "yes"
    raw_score = request.form.get("score", "").strip()
    data: dict[str, Any] = {"reached": reached, "note": request.form.get("note", "").strip()[:4000] or None}
    if raw_score:
        data["score"] = int(raw_score) if raw_score.isascii() and raw_score.lstrip("-").isdigit() else raw_score[:8]
    try:
        gate = partial(helpers.badge_user, badge=badge, action="followup_call")
        body = aftersales.log_call(fa.db, fa.cfg, followup_id, data, clock.now(), gate=gate)
    except helpers.BadgeRefused as exc:
        return _followups_page(str(exc), "badge_refused"), 403
    except Refusal as exc:
        text, code, status = _refusal(exc)
        return _followups_page(text, code), status
    if body["complaint"]:
        return redirect(url_for("kiosk.followups_page", done="complaint", id=body["complaint"]), 303)
    return redirect(url_for("kiosk.followups_page", done="reached" if reached else "again"), 303)


# -- complaints ------------------------------------------------------------------------------------------------


def _complaints_page(error: str | None = None, code: str | None = None, done: str | None = None) -> str:
    status = request.args.get("status") or None
    if status is not None and ComplaintStatus.parse(status) is None:
        status = None
    fa = floor_app()
    with fa.db.reading() as s:
        rows = aftersales.complaint_list(s, status, clock.now())
        for row in rows:
            row["steps"] = aftersales.complaint(s, row["id"], clock.now())["steps"]
    return render_template(
        "kiosk/complaints.html",
        rows=rows,
        status=status,
        statuses=_names(ComplaintStatus),
        categories=_names(ComplaintCategory),
        channels=_names(ComplaintChannel),
        error=error,
        code=code,
        done=done,
    )


@bp.get("/complaints")
def complaints_page() -> str:
    """Complaints (newest first, overdue ones marked), a form to take one in, and each one's next step."""
    done = None
    if request.args.get("done"):
        done = _("Complaint %(id)s saved.", id=request.args.get("id", "")[:12])
    return _complaints_page(done=done)


@bp.post("/complaints")
def complaint_intake() -> Any:
    """Take a complaint in from the page (badge, channel, category, the customer's words, the job or car)."""
    fa = floor_app()
    form = request.form
    badge = form.get("badge", "").strip()[:64]
    data = {k: form.get(k, "").strip()[:4000] for k in ("channel", "category", "text", "workorder", "vehicle")}
    try:
        gate = partial(helpers.badge_user, badge=badge, action="open_complaint")
        body = aftersales.open_complaint(fa.db, fa.cfg, data, clock.now(), gate=gate)
    except helpers.BadgeRefused as exc:
        return _complaints_page(str(exc), "badge_refused"), 403
    except Refusal as exc:
        text, code, status = _refusal(exc)
        return _complaints_page(text, code), status
    return redirect(url_for("kiosk.complaints_page", done="1", id=body["id"]), 303)


@bp.post("/complaints/<int:complaint_id>/<step>")
def complaint_step(complaint_id: int, step: str) -> Any:
    """One step of a complaint from the page: assign (to a badge), respond, resolve, close, each with its note."""
    if step not in STEP_ACTIONS:
        return _complaints_page(_("Unknown step."), "bad_step"), 404
    fa = floor_app()
    form = request.form
    badge = form.get("badge", "").strip()[:64]
    data = {"note": form.get("note", "").strip()[:4000], "to": form.get("to", "").strip()[:64]}
    try:
        gate = partial(helpers.badge_user, badge=badge, action=STEP_ACTIONS[step])
        aftersales.complaint_step(fa.db, fa.cfg, complaint_id, step, data, clock.now(), gate=gate)
    except helpers.BadgeRefused as exc:
        return _complaints_page(str(exc), "badge_refused"), 403
    except Refusal as exc:
        text, code, status = _refusal(exc)
        return _complaints_page(text, code), status
    return redirect(url_for("kiosk.complaints_page", done="1", id=complaint_id), 303)


# -- the comeback check at reception and on the board ---------------------------------------------------------


@bp.get("/comeback")
def comeback_page() -> Any:
    """Reception's check on a scanned or typed VIN or plate: a car back within the window is flagged at once."""
    key = request.args.get("vehicle", "").strip()[:40]
    fa = floor_app()
    flag, vehicle, error, code = None, None, None, None
    if key:
        try:
            with fa.db.reading() as s:
                found = aftersales.comeback_check(s, aftersales_settings(fa.cfg), key, clock.now())
            vehicle, flag = found, found["comeback"]
        except Refusal as exc:
            error, code, _status = _refusal(exc)
    return render_template("kiosk/comeback.html", key=key, vehicle=vehicle, flag=flag, error=error, code=code)
