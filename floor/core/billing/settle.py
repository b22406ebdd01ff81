"""What happens to an invoice after it is made: discounts, payments, the credit note (SPEC 10.4).

- A discount (`pct` or `amount`) is on one customer line or on the whole customer part (spread over its
  lines in whole cents). It may not bring what is owed below what was already paid (a deposit too). When the discounts on that line (or on the
  invoice) would come to more than `[billing] max_discount_pct` of its price, a supervisor approves
  it with their PIN, and never the person giving it (floor.core.billing.approval).
- Payments: cash, card, transfer, or `account` (trade customers only); several per invoice, never
  more than is still owed. Paid in full: `paid`, or `on_account` when any of it went on account.
- A credit note (its own number, a PIN and a reason) reverses the whole invoice; the invoice stays,
  `credited`, and the job may be invoiced again.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable
from floor.core.billing import numbers
from floor.core.billing.approval import check_approver
from floor.core.billing.errors import APPROVE_DISCOUNT, CREDIT, DISCOUNT, TAKE_PAYMENT, BillingError, require
from floor.core.billing.invoicing import bill_by_id, customer_of
from floor.core.billing.money import discount_value, read_amount, read_pct, spread
from floor.core.repair.money import ZERO
from floor.core.repair.settings import BillingSettings
from floor.models import CreditNote, Invoice, InvoiceDiscount, InvoiceLine, Payment, WorkOrder
from floor.models.billing import DiscountScope, InvoiceStatus, PayMethod
from floor.models.repair import PayType
from floor.models.workorders import CLOSED_STATUSES, Status

MAX_REASON = 2000


def _check_credited(session: Session, invoice: Invoice) -> None:
    if invoice.status == InvoiceStatus.CREDITED.value:
        note = session.scalar(select(CreditNote.number).where(CreditNote.invoice_id == invoice.id))
        raise BillingError("invoice_credited", number=invoice.number, credit_note=note or "-")


def _check_open(session: Session, invoice: Invoice) -> None:
    _check_credited(session, invoice)
    if invoice.status != InvoiceStatus.OPEN.value:
        raise BillingError("invoice_not_open", number=invoice.number, status=invoice.status)


def lock_invoice(session: Session, invoice: Invoice) -> None:
    """Lock the invoice's row for this write (PostgreSQL; SQLite has one writer): two tills, one balance."""
    if session.get_bind().dialect.name == "postgresql":
        session.flush()
        session.refresh(invoice, with_for_update=True)


def paid_of(session: Session, invoice_id: int) -> Decimal:
    """What has been paid (or put on account) against an invoice."""
    return Decimal(
        str(session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.invoice_id == invoice_id)))
    ).quantize(Decimal("0.01"))


def _line_no(session: Session, invoice: Invoice, value: object) -> InvoiceLine:
    """An invoice line by its number on the invoice (1, 2, …); `unknown_invoice_line` otherwise."""
    ids = list(
        session.scalars(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id))
    )
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= len(ids):
        raise BillingError("unknown_invoice_line", number=invoice.number, line=str(value)[:20])
    line = session.get(InvoiceLine, ids[int(text) - 1])
    assert line is not None
    return line


def discount(
    session: Session,
    invoice: Invoice,
    actor: Any,
    at: datetime,
    *,
    pct: object = None,
    amount: object = None,
    line: object = None,
    approver: object = None,
    pin: object = None,
    roles: RoleTable,
    billing: BillingSettings,
) -> list[InvoiceDiscount]:
    """Give a discount on a customer line (`line`: its number on the invoice) or on the invoice's customer part."""
    require(roles, actor, DISCOUNT)
    lock_invoice(session, invoice)
    _check_open(session, invoice)
    if (pct is None) == (amount is None):
        raise BillingError("discount_pct_or_amount")
    the_pct = read_pct(pct) if pct is not None else None
    bill = bill_by_id(session, invoice)
    customer = [p for p in bill.lines if p.pay == PayType.CUSTOMER.value]
    if line is not None:
        target = _line_no(session, invoice, line)
        if target.pay != PayType.CUSTOMER.value:
            raise BillingError("discount_not_customer", line=str(line), pay=target.pay)
        targets = [p for p in customer if p.id == target.id]
        scope, shown = DiscountScope.LINE.value, f"line {line}"
    else:
        targets, scope, shown = customer, DiscountScope.INVOICE.value, f"invoice {invoice.number}"
    gross = sum((p.price for p in targets), ZERO)
    left = sum((p.net for p in targets), ZERO)
    if gross == 0:
        raise BillingError("nothing_to_discount", number=invoice.number)
    value = discount_value(gross, left, the_pct, read_amount(amount) if the_pct is None else None, shown)
    given = gross - left + value  # every discount on this line (or on the invoice) with this one
    effective = (given * 100 / gross).quantize(Decimal("0.01"))
    approved_by = None
    if effective > billing.max_discount_pct:
        if approver is None:
            raise BillingError("approver_required", pct=str(effective), max=str(billing.max_discount_pct))
        approved_by = check_approver(
            session, approver, pin, doer_id=getattr(actor, "id", None), act=APPROVE_DISCOUNT, roles=roles
        ).id
    shares = spread(value, [(p.id, p.net) for p in targets])
    act = (
        int(
            session.scalar(
                select(func.coalesce(func.max(InvoiceDiscount.act), 0)).where(InvoiceDiscount.invoice_id == invoice.id)
            )
            or 0
        )
        + 1
    )
    rows = [
        InvoiceDiscount(
            invoice_id=invoice.id,
            line_id=line_id,
            act=act,
            scope=scope,
            pct=the_pct,
            amount=share,
            given_by=getattr(actor, "id", None),
            approved_by=approved_by,
            at=at,
        )
        for line_id, share in sorted(shares.items())
    ]
    session.add_all(rows)
    session.flush()
    paid, due = paid_of(session, invoice.id), bill_by_id(session, invoice).due
    if due < paid:  # a discount never makes money owed back: it comes before what was paid (a deposit too)
        raise BillingError("discount_below_paid", amount=str(value), number=invoice.number, paid=str(paid))
    if due == paid:
        _settle(session, invoice, at)
    _announce(session, invoice)
    return rows


def pay(
    session: Session,
    invoice: Invoice,
    actor: Any,
    via: str,
    at: datetime,
    *,
    method: object,
    amount: object,
    roles: RoleTable,
) -> Payment:
    """Take a payment (or put an amount on a trade customer's account); never more than is owed."""
    require(roles, actor, TAKE_PAYMENT)
    lock_invoice(session, invoice)
    how = PayMethod.parse(method)
    if how is None:
        raise BillingError("bad_pay_method", method=str(method)[:20])
    value = read_amount(amount)
    _check_open(session, invoice)
    if how is PayMethod.ACCOUNT:
        customer = customer_of(session, invoice)
        if customer is None or customer.kind != "trade":
            raise BillingError("not_trade_customer", number=invoice.number, customer=customer.name if customer else "-")
    balance = bill_by_id(session, invoice).due - paid_of(session, invoice.id)
    if value > balance:
        raise BillingError("overpayment", amount=str(value), balance=str(balance), number=invoice.number)
    payment = _record_payment(session, invoice.id, invoice.work_order_id, how, value, actor, via, at)
    if value == balance:
        _settle(session, invoice, at)
    _announce(session, invoice)
    return payment


def _record_payment(
    session: Session,
    invoice_id: int | None,
    wo_id: int,
    how: PayMethod,
    value: Decimal,
    actor: Any,
    via: str,
    at: datetime,
) -> Payment:
    """THE row of money taken: against an invoice, or a job's deposit before its invoice (`invoice_id` None)."""
    payment = Payment(
        invoice_id=invoice_id,
        work_order_id=wo_id,
        method=how.value,
        amount=value,
        taken_by=getattr(actor, "id", None),
        via=via[:64],
        at=at,
    )
    session.add(payment)
    session.flush()
    return payment


def _settle(session: Session, invoice: Invoice, at: datetime) -> None:
    """Nothing more is owed: `paid`, or `on_account` when any of it went on the customer's account."""
    on_account = session.scalar(
        select(Payment.id).where(Payment.invoice_id == invoice.id, Payment.method == PayMethod.ACCOUNT.value).limit(1)
    )
    invoice.status = (InvoiceStatus.ON_ACCOUNT if on_account else InvoiceStatus.PAID).value
    invoice.settled_at = at


def deposit(
    session: Session,
    wo: WorkOrder,
    actor: Any,
    via: str,
    at: datetime,
    *,
    method: object,
    amount: object,
    roles: RoleTable,
) -> Payment:
    """A deposit on an open job not yet invoiced (expensive parts, taken at reception): cash, card or transfer.

    The job's invoice takes its deposits as payments when it is made.
    """
    require(roles, actor, TAKE_PAYMENT)
    how = PayMethod.parse(method)
    if how is None or how is PayMethod.ACCOUNT:
        raise BillingError("bad_deposit_method", method=str(method)[:20])
    value = read_amount(amount)
    if wo.status in CLOSED_STATUSES:
        raise BillingError(
            "deposit_job_closed",
            number=wo.number,
            status=wo.status,
            status_zh=Status.shown(wo.status),
        )
    standing = session.scalar(select(Invoice.number).where(Invoice.live_job_id == wo.id))
    if standing is not None:
        raise BillingError("already_invoiced", number=wo.number, invoice=standing)
    payment = _record_payment(session, None, wo.id, how, value, actor, via, at)
    changes.publish(session, changes.JOBS, number=wo.number)
    return payment


def deposits_of(session: Session, wo_id: int) -> list[Payment]:
    """A job's deposits not yet taken by an invoice, oldest first."""
    return list(
        session.scalars(
            select(Payment).where(Payment.work_order_id == wo_id, Payment.invoice_id.is_(None)).order_by(Payment.id)
        )
    )


def credit(
    session: Session,
    invoice: Invoice,
    approver: object,
    pin: object,
    reason: object,
    at: datetime,
    *,
    roles: RoleTable,
) -> CreditNote:
    """Reverse a whole invoice with a credit note of its own number, by a supervisor with their PIN and a reason.

    Four eyes: not the person who made the invoice. The invoice stays (`credited`); the job may be invoiced again.
    """
    lock_invoice(session, invoice)
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise BillingError("reason_required")
    _check_credited(session, invoice)
    who = check_approver(session, approver, pin, doer_id=invoice.created_by, act=CREDIT, roles=roles)
    bill = bill_by_id(session, invoice)
    paid = paid_of(session, invoice.id)
    seq, number = numbers.next_number(session, numbers.CREDIT_NOTE)
    note = CreditNote(
        number=number,
        seq=seq,
        invoice_id=invoice.id,
        amount=bill.due,
        tax=bill.tax,
        refund=paid,
        reason=text[:MAX_REASON],
        created_by=who.id,
        at=at,
    )
    session.add(note)
    invoice.status, invoice.live_job_id = InvoiceStatus.CREDITED.value, None
    session.flush()
    _announce(session, invoice)
    return note


def _announce(session: Session, invoice: Invoice) -> None:
    number = session.scalar(select(WorkOrder.number).where(WorkOrder.id == invoice.work_order_id))
    changes.publish(session, changes.JOBS, number=number or "")
