"""The cashier on the kiosk (SPEC 10.4): jobs to invoice, one invoice with discount (PIN pad) and payments, the
printed invoice (A4 and 80 mm receipt, zh and en), and the day's takings.

Writes go through the same use cases as the API (`floor.application.billing`: the core's rules, the role
table, the audit entry); a refusal re-renders the page with the message in the kiosk's language and its code.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.application import billing
from floor.core import messages
from floor.core.authority import resolve_badge
from floor.core.billing import invoicing, views
from floor.core.inputs import MomentError, parse_day
from floor.core.refusal import Refusal
from floor.core.scanning.context import Reject
from floor.http.app import floor_app
from floor.http.errors import http_status
from floor.kiosk.blueprint import bp
from floor.kiosk.helpers import lang
from floor.models import Invoice, User, WorkOrder
from floor.models.billing import InvoiceStatus, PayMethod
from floor.models.named import display

REFUSED = (Refusal,)
SIZES = ("a4", "receipt")


def _message(exc: Exception) -> tuple[str, str, int]:
    """A refusal in the kiosk's language, its code and HTTP status."""
    code = str(getattr(exc, "code", "refused"))
    en, zh = messages.render(code, dict(getattr(exc, "params", {})))
    return (zh if lang() == "zh" else en), code, http_status(code)


def _acting(session: Session, badge: str) -> User:
    """The active person whose badge the form names; `no_actor` without one."""
    if not badge:
        raise Reject("no_actor")
    return resolve_badge(session, badge)


@bp.get("/cashier")
def cashier_home() -> str:
    """Jobs READY to invoice and invoices still open."""
    with floor_app().db.reading() as s:
        invoiced = select(Invoice.live_job_id).where(Invoice.live_job_id.is_not(None))
        ready = list(
            s.execute(
                select(WorkOrder.number, WorkOrder.plate, WorkOrder.vehicle, WorkOrder.customer)
                .where(WorkOrder.status == "ready", WorkOrder.id.not_in(invoiced))
                .order_by(WorkOrder.status_since)
                .limit(100)
            ).all()
        )
        open_invoices = views.invoice_list(s, InvoiceStatus.OPEN)
    return render_template("kiosk/cashier.html", ready=ready, open_invoices=open_invoices, error=None, code=None)


@bp.post("/cashier/invoice")
def cashier_invoice() -> Any:
    """Invoice a READY job from the form (`badge`, `workorder`); on to the invoice."""
    badge, number = request.form.get("badge", "").strip(), request.form.get("workorder", "").strip()
    fa = floor_app()
    try:
        shown = billing.invoice_job(fa.db, fa.cfg, number, partial(_acting, badge=badge))
    except REFUSED as exc:
        message, code, status = _message(exc)
        with fa.db.reading() as s:
            open_invoices = views.invoice_list(s, InvoiceStatus.OPEN)
        return render_template(
            "kiosk/cashier.html", ready=[], open_invoices=open_invoices, error=message, code=code
        ), status
    return redirect(url_for("kiosk.cashier", number=shown["number"]))


def _invoice_page(number: str, error: str | None = None, code: str | None = None, done: str | None = None) -> str:
    with floor_app().db.reading() as s:
        try:
            inv = views.invoice_json(s, invoicing.find_invoice(s, number))
        except Reject:
            abort(404, description=_("No invoice %(number)s.", number=number))
    return render_template(
        "kiosk/cashier_invoice.html",
        inv=inv,
        error=error,
        code=code,
        done=done,
        methods=[(m.value, display(m, lang())) for m in PayMethod],
        max_pct=_max_pct(),
    )


def _max_pct() -> str:
    from floor.config.settings import billing_settings

    return str(billing_settings(floor_app().cfg).max_discount_pct.normalize())


@bp.get("/cashier/<number>")
def cashier(number: str) -> str:
    """One invoice: its lines, totals, discounts and payments; the discount and payment forms."""
    return _invoice_page(number)


@bp.post("/cashier/<number>/discount")
def cashier_discount(number: str) -> Any:
    """A discount from the form: `badge`, `pct` or `amount`, `line`?, the approver's badge and PIN (the PIN pad)."""
    form = {k: request.form.get(k, "").strip() for k in ("badge", "pct", "amount", "line", "approver", "pin")}
    data: dict[str, Any] = {k: form[k] for k in ("pct", "amount", "line") if form[k]}
    if form["approver"]:
        data["approver"] = {"badge": form["approver"], "pin": form["pin"]}
    fa = floor_app()
    try:  # a wrong PIN counts even though the refusal rolls the write back (SPEC 10.6): the use case keeps it
        billing.give_discount(fa.db, fa.cfg, number, partial(_acting, badge=form["badge"]), data)
    except REFUSED as exc:
        message, code, status = _message(exc)
        return _invoice_page(number, message, code), status
    return _invoice_page(number, done=_("Discount given."))


@bp.post("/cashier/<number>/payment")
def cashier_payment(number: str) -> Any:
    """A payment from the form: `badge`, `method`, `amount`."""
    form = {k: request.form.get(k, "").strip() for k in ("badge", "method", "amount")}
    fa = floor_app()
    try:
        gate = partial(_acting, badge=form["badge"])
        billing.take_payment(fa.db, fa.cfg, number, gate, form["method"], form["amount"])
    except REFUSED as exc:
        message, code, status = _message(exc)
        return _invoice_page(number, message, code), status
    return _invoice_page(number, done=_("Payment taken."))


@bp.get("/invoices/<number>/print")
def invoice_print(number: str) -> str:
    """The printed invoice: `?size=a4` (default) or `receipt` (80 mm), in the kiosk's language (`?lang=`)."""
    size = request.args.get("size", "a4")
    if size not in SIZES:
        abort(400, description="size must be a4 or receipt")
    with floor_app().db.reading() as s:
        try:
            inv = views.invoice_json(s, invoicing.find_invoice(s, number))
        except Reject:
            abort(404, description=_("No invoice %(number)s.", number=number))
    concerns = {c["id"]: c for c in inv["concerns"]}
    groups: list[dict[str, Any]] = []
    for c in inv["concerns"]:
        lines = [li for li in inv["lines"] if li["concern"] == c["id"]]
        if lines:
            groups.append({"concern": c, "lines": lines})
    other = [li for li in inv["lines"] if li["concern"] not in concerns]
    if other:
        groups.append({"concern": None, "lines": other})
    shop = floor_app().cfg.raw.get("site", {}).get("name", "")
    return render_template("kiosk/invoice_print.html", inv=inv, groups=groups, size=size, shop=shop, zh=lang() == "zh")


@bp.get("/takings")
def takings_page() -> Any:
    """The day's takings by payment method (`?day=YYYY-MM-DD`, site time zone), with the CSV."""
    try:
        wanted = parse_day(request.args["day"]) if request.args.get("day") else None
    except MomentError:
        abort(400, description=_("The day must look like 2026-11-01."))
    start, end, day = billing.day_bounds(wanted, floor_app().cfg.timezone)
    with floor_app().db.reading() as s:
        data = views.takings(s, start, end)
    names = {m.value: display(m, lang()) for m in PayMethod}
    return render_template("kiosk/takings.html", day=day, data=data, names=names)
