"""The bill as it is read: an invoice with its lines, discounts, payments, claim and credit note; the takings; unpaid.

Amounts are decimal strings. A line's `no` is its number on the invoice (what a discount's `line` names),
`against` the `no` of the labour line its parts were issued against.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.billing.invoicing import bill_by_id
from floor.core.billing.settle import paid_of
from floor.core.repair.concerns import concerns_of
from floor.core.repair.estimate import line_rows
from floor.core.repair.money import ZERO, unit_text
from floor.models import (
    ClaimLine,
    CreditNote,
    Customer,
    Invoice,
    InvoiceDiscount,
    InvoiceLine,
    LabourOperation,
    Part,
    Payment,
    User,
    Vehicle,
    WarrantyClaim,
    WorkOrder,
)
from floor.models.billing import DiscountScope, InvoiceStatus, PayMethod
from floor.models.repair import LineStatus


def _by(session: Session, user_id: int | None) -> dict[str, str] | None:
    """Who did something, named (never the badge): name and role."""
    user = session.get(User, user_id) if user_id else None
    return {"name": user.name, "role": user.role} if user is not None else None


def invoice_json(session: Session, invoice: Invoice) -> dict[str, Any]:
    """`GET /api/invoices/<number>`: the contract's number, lines, totals, tax, due, and status, payments, ..."""
    bill = bill_by_id(session, invoice)
    shares = {p.id: p for p in bill.lines}
    rows = list(
        session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id))
    )
    no = {row.id: i + 1 for i, row in enumerate(rows)}
    lines = [
        {
            "no": no[r.id],
            "kind": r.kind,
            "code": r.code,
            "name": r.name,
            "name_zh": r.name_zh,
            "qty": r.qty,
            "hours": str(r.hours) if r.hours is not None else None,
            "unit_price": unit_text(Decimal(r.unit_price)),
            "price": str(r.price),
            "discount": str(shares[r.id].discount),
            "net": str(shares[r.id].net),
            "pay": r.pay,
            "concern": r.concern_id,
            "against": no.get(r.parent_id) if r.parent_id is not None else None,
        }
        for r in rows
    ]
    paid = paid_of(session, invoice.id)
    wo = session.get(WorkOrder, invoice.work_order_id)
    assert wo is not None
    customer = session.get(Customer, invoice.customer_id) if invoice.customer_id else None
    vehicle = session.get(Vehicle, wo.vehicle_id) if wo.vehicle_id else None
    payments = [
        {"method": p.method, "amount": str(p.amount), "at": p.at.isoformat(), "by": _by(session, p.taken_by)}
        for p in session.scalars(select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id))
    ]
    discounts: dict[int, dict[str, Any]] = {}
    for d in session.scalars(
        select(InvoiceDiscount).where(InvoiceDiscount.invoice_id == invoice.id).order_by(InvoiceDiscount.id)
    ):
        entry = discounts.setdefault(
            d.act,
            {
                "scope": d.scope,
                "line": no[d.line_id] if d.scope == DiscountScope.LINE else None,
                "pct": str(d.pct) if d.pct is not None else None,
                "amount": ZERO,
                "by": _by(session, d.given_by),
                "approved_by": _by(session, d.approved_by),
                "at": d.at.isoformat(),
            },
        )
        entry["amount"] += Decimal(d.amount)
    note = session.scalar(select(CreditNote).where(CreditNote.invoice_id == invoice.id))
    status = InvoiceStatus(invoice.status)
    return {
        "number": invoice.number,
        "workorder": wo.number,
        "status": status.value,
        "status_zh": status.zh,
        "created_at": invoice.created_at.isoformat(),
        "by": _by(session, invoice.created_by),
        "customer": {"code": customer.code, "name": customer.name, "kind": customer.kind} if customer else None,
        "vehicle": {"vin": vehicle.vin, "plate": vehicle.plate} if vehicle else {"vin": wo.vin, "plate": wo.plate},
        "mileage": wo.mileage,
        "lines": lines,
        "gross": {k: str(v) for k, v in bill.gross.items()},
        "discount": str(bill.discount),
        "totals": {k: str(v) for k, v in bill.totals.items()},
        "tax_pct": str(Decimal(invoice.tax_pct).normalize()),
        "tax": str(bill.tax),
        "due": str(bill.due),
        "paid": str(paid),
        "balance": str(bill.due - paid if status is not InvoiceStatus.CREDITED else ZERO),
        "payments": payments,
        "discounts": [{**d, "amount": str(d["amount"])} for d in discounts.values()],
        "declined": [
            {"code": r.get("op") or r.get("part_no"), "name": r["name"], "name_zh": r["name_zh"], "price": r["price"]}
            for r in line_rows(session, wo.id)
            if r["status"] == LineStatus.DECLINED.value
        ],
        "concerns": [
            {"id": c.id, "text": c.text, "cause": c.cause, "correction": c.correction}
            for c in concerns_of(session, wo.id)
        ],
        "next_service": {
            "at": vehicle.next_service_at.isoformat() if vehicle and vehicle.next_service_at else None,
            "km": vehicle.next_service_km if vehicle else None,
        },
        "claim": claim_json(session, invoice.claim_id) if invoice.claim_id else None,
        "credit_note": {
            "number": note.number,
            "amount": str(note.amount),
            "refund": str(note.refund),
            "reason": note.reason,
            "at": note.at.isoformat(),
            "by": _by(session, note.created_by),
        }
        if note is not None
        else None,
    }


def claim_json(session: Session, claim_id: int) -> dict[str, Any] | None:
    """A warranty claim's number, status, amount and lines (operations, and parts with the operation they serve)."""
    claim = session.get(WarrantyClaim, claim_id)
    if claim is None:
        return None
    rows = session.execute(
        select(ClaimLine, LabourOperation.code, Part.part_no)
        .outerjoin(LabourOperation, LabourOperation.id == ClaimLine.operation_id)
        .outerjoin(Part, Part.id == ClaimLine.part_id)
        .where(ClaimLine.claim_id == claim.id)
        .order_by(ClaimLine.id)
    ).all()
    code_of = {c.id: op or part_no for c, op, part_no in rows}
    return {
        "claim_no": claim.claim_no,
        "status": claim.status,
        "amount": str(claim.amount),
        "lines": [
            {
                "kind": c.kind,
                "code": op or part_no,
                "qty": c.qty,
                "hours": str(c.hours) if c.hours is not None else None,
                "amount": str(c.amount),
                "against": code_of.get(c.parent_id) if c.parent_id else None,
            }
            for c, op, part_no in rows
        ],
    }


def takings(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Payments taken in [start, end): each one, and the totals per method (account = put on account)."""
    rows = session.execute(
        select(Payment, Invoice.number, WorkOrder.number)
        .outerjoin(Invoice, Invoice.id == Payment.invoice_id)
        .join(WorkOrder, WorkOrder.id == Payment.work_order_id)
        .where(Payment.at >= start, Payment.at < end)
        .order_by(Payment.at, Payment.id)
    ).all()
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for m in PayMethod:
        totals[m.value] = ZERO
    out = []
    for p, invoice, job in rows:
        totals[p.method] += Decimal(p.amount)
        out.append(
            {
                "at": p.at.isoformat(),
                "invoice": invoice,  # None: a deposit on a job not yet invoiced
                "workorder": job,
                "method": p.method,
                "amount": str(p.amount),
                "by": _by(session, p.taken_by),
            }
        )
    return {
        "payments": out,
        "totals": {k: str(v) for k, v in totals.items()},
        "total": str(sum(totals.values(), ZERO)),
    }


def invoice_list(session: Session, status: InvoiceStatus | None, limit: int = 200) -> list[dict[str, Any]]:
    """The newest invoices (of one status): number, job, status, when, due and what is still owed."""
    stmt = (
        select(Invoice, WorkOrder.number)
        .join(WorkOrder, WorkOrder.id == Invoice.work_order_id)
        .order_by(Invoice.seq.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(Invoice.status == status.value)
    out = []
    for invoice, job in session.execute(stmt).all():
        due = bill_by_id(session, invoice).due
        paid = paid_of(session, invoice.id)
        out.append(
            {
                "number": invoice.number,
                "workorder": job,
                "status": invoice.status,
                "created_at": invoice.created_at.isoformat(),
                "due": str(due),
                "balance": str(due - paid if invoice.status != InvoiceStatus.CREDITED.value else ZERO),
            }
        )
    return out


def deposits_json(session: Session, wo: WorkOrder) -> dict[str, Any]:
    """A job's deposits not yet taken by an invoice, and their total."""
    rows = list(
        session.scalars(
            select(Payment).where(Payment.work_order_id == wo.id, Payment.invoice_id.is_(None)).order_by(Payment.id)
        )
    )
    return {
        "workorder": wo.number,
        "deposits": [
            {"method": p.method, "amount": str(p.amount), "at": p.at.isoformat(), "by": _by(session, p.taken_by)}
            for p in rows
        ],
        "total": str(sum((Decimal(p.amount) for p in rows), ZERO)),
    }


def unpaid(session: Session) -> list[dict[str, Any]]:
    """Open invoices with what is still owed, oldest first (the alerts list them)."""
    out = []
    for invoice, job in session.execute(
        select(Invoice, WorkOrder.number)
        .join(WorkOrder, WorkOrder.id == Invoice.work_order_id)
        .where(Invoice.status == InvoiceStatus.OPEN.value)
        .order_by(Invoice.created_at, Invoice.id)
    ).all():
        balance = bill_by_id(session, invoice).due - paid_of(session, invoice.id)
        out.append(
            {
                "number": invoice.number,
                "workorder": job,
                "since": invoice.created_at.isoformat(),
                "balance": str(balance),
            }
        )
    return out
