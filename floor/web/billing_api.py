"""HTTP JSON API of the bill (SPEC 10.4): invoice a job, discounts, payments, credit notes, release, takings.

Thin views: they read the body and call one use case of `floor.application.billing` with their check of who
acts (`_gate`: `floor.http.principal.authorize`, the role table); the use case opens the write's transaction
and audits in it. A refusal of
the bill is answered by the app's one handler (`floor.http.errors`: its code, both languages, HTTP_STATUS).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request

from floor.application import billing
from floor.core.billing import invoicing, views
from floor.core.billing.errors import CREDIT, DISCOUNT, INVOICE, RELEASE, TAKE_PAYMENT
from floor.core.inputs import MomentError, parse_day
from floor.http.app import floor_app
from floor.http.principal import badge_gate
from floor.http.validate import BodyError, json_body
from floor.models.billing import InvoiceStatus
from floor.web.api import api_write

bp = Blueprint("billing_api", __name__, url_prefix="/api")


@bp.post("/workorders/<number>/invoice")
@api_write
def post_invoice(number: str) -> Any:
    """Invoice a READY job: `{"badge", "next_service"?: {"due_at"?, "due_km"?}}` → the invoice (number, lines,
    totals, tax, due, status). It sets the vehicle's next service: the `[service]` interval unless named here."""
    data, fa = json_body(), floor_app()
    body = billing.invoice_job(fa.db, fa.cfg, number, badge_gate(data, INVOICE), data.get("next_service"))
    return jsonify(body), 201


@bp.get("/invoices/<number>")
def get_invoice(number: str) -> Any:
    """One invoice with its status, lines, discounts, payments, claim and credit note."""
    with floor_app().db.reading() as s:
        return jsonify(views.invoice_json(s, invoicing.find_invoice(s, number)))


@bp.get("/invoices")
def list_invoices() -> Any:
    """Invoices, newest first: `?status=open|paid|on_account|credited` (default every one), at most 200."""
    status = request.args.get("status")
    if status is not None and InvoiceStatus.parse(status) is None:
        raise BodyError(f"'status' must be one of {', '.join(InvoiceStatus.values())}")
    with floor_app().db.reading() as s:
        return jsonify(invoices=views.invoice_list(s, InvoiceStatus.parse(status)))


@bp.get("/invoices/unpaid")
def get_unpaid() -> Any:
    """Open invoices with what is still owed on each, oldest first."""
    with floor_app().db.reading() as s:
        return jsonify(invoices=views.unpaid(s))


@bp.post("/invoices/<number>/discount")
@api_write
def post_discount(number: str) -> Any:
    """`{"badge", "pct" | "amount", "line"?, "approver"?: {"badge", "pin"}}` → the invoice."""
    data, fa = json_body(), floor_app()
    body = billing.give_discount(fa.db, fa.cfg, number, badge_gate(data, DISCOUNT), data)
    return jsonify(body)


@bp.post("/invoices/<number>/payments")
@api_write
def post_payment(number: str) -> Any:
    """`{"badge", "method": "cash"|"card"|"transfer"|"account", "amount"}` → the invoice."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, TAKE_PAYMENT)
    body = billing.take_payment(fa.db, fa.cfg, number, gate, data.get("method"), data.get("amount"))
    return jsonify(body), 201


@bp.post("/workorders/<number>/deposit")
@api_write
def post_deposit(number: str) -> Any:
    """`{"badge", "method": "cash"|"card"|"transfer", "amount"}`: a deposit on a job not yet invoiced."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, TAKE_PAYMENT)
    body = billing.take_deposit(fa.db, fa.cfg, number, gate, data.get("method"), data.get("amount"))
    return jsonify(body), 201


@bp.post("/invoices/<number>/credit")
@api_write
def post_credit(number: str) -> Any:
    """`{"badge", "pin", "reason"}`: a supervisor reverses the invoice with a credit note → the invoice."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, CREDIT)
    body = billing.credit_invoice(fa.db, fa.cfg, number, gate, data.get("badge"), data.get("pin"), data.get("reason"))
    return jsonify(body), 201


@bp.post("/workorders/<number>/release")
@api_write
def post_release(number: str) -> Any:
    """`{"badge", "pin", "reason"}`: a supervisor lets the car leave unpaid."""
    data, fa = json_body(), floor_app()
    gate = badge_gate(data, RELEASE)
    body = billing.release_car(fa.db, fa.cfg, number, gate, data.get("badge"), data.get("pin"), data.get("reason"))
    return jsonify(body), 201


def day_bounds(value: str | None) -> tuple[datetime, datetime, str]:
    """`?day=YYYY-MM-DD` in the site's time zone (default today) as [start, end) in UTC, and the day."""
    try:
        day = parse_day(value) if value is not None else None  # given, a day (blank is no day: refused)
    except MomentError:
        raise BodyError(f"'day' must be a day like 2026-11-01, not {str(value)[:40]!r}") from None
    return billing.day_bounds(day, floor_app().cfg.timezone)


@bp.get("/takings")
def get_takings() -> Any:
    """A day's payments and totals per method: `?day=YYYY-MM-DD` (site time zone; default today)."""
    start, end, day = day_bounds(request.args.get("day"))
    with floor_app().db.reading() as s:
        return jsonify(day=day, **views.takings(s, start, end))


@bp.get("/takings.csv")
def get_takings_csv() -> Any:
    """The day's takings as CSV: `?day=YYYY-MM-DD`."""
    start, end, day = day_bounds(request.args.get("day"))
    with floor_app().db.reading() as s:
        text = billing.takings_csv(s, start, end)
    return Response(
        text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="takings-{day}.csv"'}
    )
