"""Kiosk pages of SPEC 10.1-10.2: the vehicle file at reception, the repair order, the printable estimate.

- `/kiosk/vehicles?q=` opens a vehicle by its VIN (typed, `VIN:`, the Code 39 with its leading `I`, the
  DataMatrix) or its plate: every job with its mileage and concerns, warranty, next service, and the
  work declined before with a button that offers it again on the vehicle's open job.
- `/kiosk/workorders/<n>/repair`: the customer's concerns (cause and correction), the lines (labour
  from the catalogue, parts; who pays), the estimate's totals, and the customer's yes per line
  (signature on the pad, phone, in person; who took it and when). A line added or repriced after
  the yes waits for it again and says so.
- `/kiosk/workorders/<n>/estimate`: the estimate on A4, in the kiosk's language (`?lang=zh|en`).

Reads and writes go through the use cases the JSON API calls (floor.application.repair; the writes by way of
`floor.kiosk.repair_actions`, which find the person by badge); the core checks the role table and audits. A refusal re-renders the page with the
message in the kiosk's language and its code (a 4xx), and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from floor import clock
from floor.application import repair
from floor.core.workorders.lookup import find_job
from floor.core.workorders.status import OPEN
from floor.kiosk import repair_actions as act
from floor.kiosk.blueprint import bp
from floor.kiosk.helpers import Formatter, lang, refusal, status_name
from floor.models import LabourOperation, RepairDecision, RepairDecisionLine, User, WorkOrder
from floor.models.repair import ConsentHow, LineStatus, PayType

MAX_QUERY = 80


def _vehicle_page(
    q: str, error: str | None = None, code: str | None = None, done: str | None = None, status: int = 200
) -> tuple[str, int]:
    vfile, open_job = None, None
    if q and error is None:
        try:
            with act.fa().db.reading() as s:
                vfile = repair.vehicle_file_named(s, q.strip(), act.site(), clock.now().date())
            open_job = next((j["number"] for j in vfile["jobs"] if j["status"] in OPEN), None)
        except act.REFUSED as exc:
            error, code, status = refusal(exc)
    return render_template(
        "kiosk/vehicle.html",
        q=q,
        v=vfile,
        open_job=open_job,
        error=error,
        code=code,
        done=done,
        fmt=Formatter(),
        zh=lang() == "zh",
        stage_name=status_name,
    ), status


@bp.get("/vehicles")
def vehicle_page() -> tuple[str, int]:
    """Reception's look-up: scan or type a VIN or plate; the vehicle's file."""
    q = request.args.get("q", "")[:MAX_QUERY]
    return _vehicle_page(q)


@bp.post("/vehicles/offer")
def vehicle_offer() -> tuple[str, int]:
    """Offer a declined line again: a new proposed line of the same work on the vehicle's open job."""
    form = request.form
    q = form.get("q", "")[:MAX_QUERY]
    try:
        line = act.offer_again(form.get("job", ""), form.get("line", ""), form.get("badge", ""))
    except act.REFUSED as exc:
        message, code, status = refusal(exc)
        return _vehicle_page(q, message, code, status=status)
    return _vehicle_page(q, done=_("Offered again on job %(number)s as line %(id)s.", number=line[0], id=line[1]))


# --- the repair order ---------------------------------------------------------------------------------------


def _job(session: Any, number: str) -> WorkOrder:
    wo = find_job(session, number[:64])
    if wo is None:
        raise NotFound(description=_("No job %(number)s.", number=number[:64]))
    return wo


def _decisions(session: Any, wo_id: int) -> tuple[list[dict[str, Any]], set[int]]:
    """The customer's answers on the job (how, who, when, lines), and the lines answered at least once."""
    rows = session.execute(
        select(RepairDecision.id, RepairDecision.how, RepairDecision.at, User.name, RepairDecision.signature_png)
        .outerjoin(User, User.id == RepairDecision.taken_by)
        .where(RepairDecision.work_order_id == wo_id)
        .order_by(RepairDecision.id)
    ).all()
    lines: dict[int, list[tuple[int, str]]] = {}
    answered: set[int] = set()
    if rows:
        for decision_id, line_id, status in session.execute(
            select(RepairDecisionLine.decision_id, RepairDecisionLine.line_id, RepairDecisionLine.status).where(
                RepairDecisionLine.decision_id.in_([r.id for r in rows])
            )
        ):
            lines.setdefault(decision_id, []).append((line_id, status))
            answered.add(line_id)
    out = [
        {
            "id": r.id,
            "how": ConsentHow(r.how),
            "at": r.at,
            "by": r.name or "–",
            "signed": r.signature_png is not None,
            "yes": sorted(i for i, st in lines.get(r.id, []) if st == LineStatus.AUTHORIZED.value),
            "no": sorted(i for i, st in lines.get(r.id, []) if st == LineStatus.DECLINED.value),
        }
        for r in rows
    ]
    return out, answered


def repair_context(number: str) -> dict[str, Any]:
    """Everything the repair-order page shows, read in one transaction."""
    fa = act.fa()
    now = clock.now()
    with fa.db.reading() as s:
        wo = _job(s, number)
        order = repair.repair_order(s, number, now)
        est = repair.estimate(s, number, act.site())
        decisions, answered = _decisions(s, wo.id)
        operations = list(
            s.execute(
                select(LabourOperation.code, LabourOperation.name, LabourOperation.name_zh, LabourOperation.hours)
                .where(LabourOperation.active.is_(True))
                .order_by(LabourOperation.code)
            )
        )
        job = {
            "number": wo.number,
            "plate": wo.plate,
            "vehicle": wo.vehicle,
            "customer": wo.customer,
            "status": wo.status,
            "mileage": wo.mileage,
            "closed": wo.status not in OPEN,
        }
    zh = lang() == "zh"
    for line in order["lines"]:
        line["shown_name"] = line["name_zh"] if zh else line["name"]
        line["status_shown"] = LineStatus(line["status"]).zh if zh else _line_status(line["status"])
        line["pay_shown"] = _pay_name(line["pay"])
        # Added after the customer's first answer, or answered once and changed since: asked again.
        line["again"] = line["status"] == LineStatus.PROPOSED.value and (line["supplement"] or line["id"] in answered)
    return {
        "job": job,
        "order": order,
        "est": est,
        "decisions": decisions,
        "operations": operations,
        "pay_types": [(p.value, _pay_name(p.value)) for p in PayType],
        "hows": [(h.value, _how_name(h.value)) for h in ConsentHow],
        "proposed": [ln for ln in order["lines"] if ln["status"] == LineStatus.PROPOSED.value],
        "fmt": Formatter(),
        "zh": zh,
        "stage": status_name(str(job["status"])),
        "how_name": _how_name,
        "pay_name": _pay_name,
    }


def _line_status(status: str) -> str:
    return {
        "proposed": _("proposed"),
        "authorized": _("authorized"),
        "declined": _("declined"),
        "done": _("done"),
    }.get(status, status)


def _pay_name(pay: str) -> str:
    return {"customer": _("customer"), "warranty": _("warranty"), "internal": _("internal")}.get(pay, pay)


def _how_name(how: str) -> str:
    return {"signature": _("signature on the tablet"), "phone": _("by phone"), "in_person": _("in person")}.get(
        how, how
    )


def _repair_page(
    number: str, error: str | None = None, code: str | None = None, done: str | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "kiosk/repair_order.html", error=error, code=code, done=done, **repair_context(number)
    ), status


DONE = {  # what a write did, shown after the redirect (a fixed text: nothing from the URL is shown)
    "concern": lambda: _("The concern is written down."),
    "concern_update": lambda: _("Cause and correction are kept."),
    "line": lambda: _("The line is added: it waits for the customer's yes."),
    "line_change": lambda: _("The line is changed."),
    "answer": lambda: _("The customer's answer is kept."),
}


@bp.get("/workorders/<number>/repair")
def repair_order(number: str) -> tuple[str, int]:
    """The repair order: concerns, lines, the estimate's totals, the customer's yes."""
    said = DONE.get(request.args.get("done", ""))
    return _repair_page(number, done=said() if said else None)


def _write(number: str, action: Callable[[], str]) -> tuple[str, int] | Response:
    """Run one write of the page; a refusal shows the page again with its message (nothing changed)."""
    try:
        done = action()
    except act.REFUSED as exc:
        message, code, status = refusal(exc)
        return _repair_page(number, message, code, status=status)
    # Post/redirect/get: a reload does not send the form twice.
    return redirect(url_for("kiosk.repair_order", number=number, done=done), code=303)


@bp.post("/workorders/<number>/repair/concerns")
def repair_add_concern(number: str) -> tuple[str, int] | Response:
    """Write down a concern in the customer's words."""
    form = request.form
    return _write(number, lambda: act.add_concern(number, form.get("text", ""), form.get("badge", "")))


@bp.post("/workorders/<number>/repair/concerns/<concern_id>")
def repair_update_concern(number: str, concern_id: str) -> tuple[str, int] | Response:
    """A concern's cause and correction (the technician's findings)."""
    form = request.form
    fields = {k: form[k] for k in ("cause", "correction") if k in form}
    return _write(number, lambda: act.update_concern(number, concern_id, fields, form.get("badge", "")))


@bp.post("/workorders/<number>/repair/lines")
def repair_add_line(number: str) -> tuple[str, int] | Response:
    """Add a labour or part line."""
    form = request.form
    data: dict[str, Any] = {"kind": form.get("kind", ""), "pay": form.get("pay", "")}
    if data["kind"] == "labour":
        data["op"] = form.get("op", "")
        if form.get("hours", "").strip():
            data["hours"] = form["hours"].strip()
    else:
        data["part_no"] = form.get("part_no", "").strip()
        data["qty"] = form.get("qty", "").strip() or "1"
    if form.get("concern", "").strip():
        data["concern"] = form["concern"].strip()
    if form.get("unit_price", "").strip():
        data["unit_price"] = form["unit_price"].strip()
    data["safety"] = form.get("safety") == "on"
    return _write(number, lambda: act.add_line(number, data, form.get("badge", "")))


@bp.post("/workorders/<number>/repair/lines/<line_id>")
def repair_change_line(number: str, line_id: str) -> tuple[str, int] | Response:
    """Change a line's hours, quantity or unit price (after the yes: a supervisor, and it is asked again)."""
    form = request.form
    data = {k: form[k].strip() for k in ("hours", "qty", "unit_price", "pay") if form.get(k, "").strip()}
    pin = form.get("pin", "")[:12]
    return _write(number, lambda: act.change_line(number, line_id, data, form.get("badge", ""), pin))


@bp.post("/workorders/<number>/repair/answer")
def repair_answer(number: str) -> tuple[str, int] | Response:
    """The customer's answer: yes or no per proposed line, how, and the signature drawn on the pad."""
    form = request.form
    yes, no = [], []
    for key, value in form.items():
        if key.startswith("answer-"):
            if value == "yes":
                yes.append(key[7:])
            elif value == "no":
                no.append(key[7:])
    return _write(
        number,
        lambda: act.answer(number, yes, no, form.get("how", ""), form.get("signature", ""), form.get("badge", "")),
    )


@bp.get("/workorders/<number>/estimate")
def estimate_page(number: str) -> str:
    """The estimate on A4 (SPEC 10.2), in the kiosk's language: lines, totals per pay type, tax, due."""
    context = repair_context(number)
    return render_template("kiosk/estimate.html", **context, printed=clock.now())
