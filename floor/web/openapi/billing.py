"""Operations of the bill (SPEC 10.4): invoices, discounts, payments, credit notes, the release, the takings."""

from __future__ import annotations

from typing import Any

from floor.web.openapi.schema import BADGE, DAY, i, obj, op, s

AMOUNT: dict[str, Any] = {"type": ["string", "number"]}
PIN = s(32)
# The next service an invoice names (SPEC 10.5 "or per invoice"): a date, a mileage, or both.
NEXT_SERVICE: dict[str, Any] = {**obj(due_at=DAY, due_km=i(1, 9_999_999)), "minProperties": 1}

OPERATIONS: list[dict[str, Any]] = [
    op(
        "post",
        "/api/workorders/{number}/invoice",
        "Invoice a READY job (once); it sets the vehicle's next service ([service] interval, or next_service)",
        obj(["badge"], badge=BADGE, next_service=NEXT_SERVICE),
    ),
    op(
        "post",
        "/api/workorders/{number}/release",
        "A supervisor lets an unpaid car leave (PIN and reason)",
        obj(["badge", "pin", "reason"], badge=BADGE, pin=PIN, reason=s(2000)),
    ),
    op(
        "post",
        "/api/workorders/{number}/deposit",
        "A deposit on a job not yet invoiced (cash, card or transfer); its invoice takes it as a payment",
        obj(["badge", "method", "amount"], badge=BADGE, method=s(16, ["cash", "card", "transfer"]), amount=AMOUNT),
    ),
    op("get", "/api/invoices", "Invoices, newest first", status=s(16, ["open", "paid", "on_account", "credited"])),
    op("get", "/api/invoices/unpaid", "Open invoices with what is still owed"),
    op("get", "/api/invoices/{number}", "One invoice with status, lines, discounts, payments, claim, credit note"),
    op(
        "post",
        "/api/invoices/{number}/discount",
        "A discount on a line or the invoice; above [billing] max_discount_pct a supervisor approves with a PIN",
        obj(
            ["badge"],
            badge=BADGE,
            pct=AMOUNT,
            amount=AMOUNT,
            line=i(1, 10000),
            approver=obj(["badge", "pin"], badge=BADGE, pin=PIN),
        ),
    ),
    op(
        "post",
        "/api/invoices/{number}/payments",
        "A payment: cash, card, transfer or account (trade customers)",
        obj(
            ["badge", "method", "amount"],
            badge=BADGE,
            method=s(16, ["cash", "card", "transfer", "account"]),
            amount=AMOUNT,
        ),
    ),
    op(
        "post",
        "/api/invoices/{number}/credit",
        "A credit note reversing the invoice (supervisor's PIN, reason)",
        obj(["badge", "pin", "reason"], badge=BADGE, pin=PIN, reason=s(2000)),
    ),
    op("get", "/api/takings", "A day's payments and totals per method", day=DAY),
    op("get", "/api/takings.csv", "A day's takings as CSV", day=DAY),
]
