"""The bill (SPEC 10.4): invoices from a job, their lines, discounts, payments, credit notes, gate releases.

An invoice is never edited or deleted: its lines are written once when the job is invoiced; a discount,
a payment and a credit note are rows of their own. `live_job_id` is the job while the invoice stands
(NULL once credited): unique, so the database itself keeps a job invoiced once. Numbers come from
`number_counters`, a row per series bumped in the invoicing transaction (gapless: a rolled-back
invoice gives its number back).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class InvoiceStatus(NamedState):
    """Where an invoice stands."""

    OPEN = "open", "open", "未结清"
    PAID = "paid", "paid", "已付清"
    ON_ACCOUNT = "on_account", "on account", "挂账"
    CREDITED = "credited", "credited", "已红冲"


class PayMethod(NamedState):
    """How a payment was made."""

    CASH = "cash", "cash", "现金"
    CARD = "card", "card", "刷卡"
    TRANSFER = "transfer", "transfer", "转账"
    ACCOUNT = "account", "on account", "挂账"


class DiscountScope(NamedState):
    """What a discount applies to: one line, or the customer's part of the whole invoice."""

    LINE = "line", "line", "单行"
    INVOICE = "invoice", "invoice", "整张发票"


class NumberCounter(Base):
    """The last number given in a series (`invoice`, `credit_note`); bumped under its row lock."""

    __tablename__ = "number_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    """A job's invoice: its number, status and tax rate; lines, discounts and payments are rows of their own."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # The job while the invoice stands, NULL once credited: unique, so a job has one standing invoice.
    live_job_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=InvoiceStatus.OPEN.value, index=True)
    tax_pct: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_claims.id"), nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_via: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InvoiceLine(Base):
    """One line as invoiced: labour (sold hours x rate) or parts (issued less returned x sell price), rounded once."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    repair_line_id: Mapped[int | None] = mapped_column(ForeignKey("repair_lines.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(8))  # labour | part
    pay: Mapped[str] = mapped_column(String(10))  # customer | warranty | internal
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concerns.id"), nullable=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("labour_operations.id"), nullable=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(64))  # the operation's code or the part number
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(Integer, default=1)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2), nullable=True)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))  # parts: what the units cost
    # A part line: the labour line (of this invoice) its units were issued against (clocking attribution).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_lines.id"), nullable=True)


class InvoiceDiscount(Base):
    """A discount's share on one line (an invoice-wide discount writes one row per customer line, same `act`)."""

    __tablename__ = "invoice_discounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("invoice_lines.id"), index=True)
    act: Mapped[int] = mapped_column(Integer)  # the discount it belongs to (its first row's number in the invoice)
    scope: Mapped[str] = mapped_column(String(8))  # a DiscountScope value
    pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 3), nullable=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    given_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Payment(Base):
    """Money taken against an invoice (or put on the trade customer's account), or a deposit on a job not yet
    invoiced (`invoice_id` NULL until the job's invoice takes it)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), nullable=True, index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)


class CreditNote(Base):
    """The reversal of a whole invoice, with its own number and reason (the invoice itself stays)."""

    __tablename__ = "credit_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # what the invoice asked of the customer (due)
    tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    refund: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # what had been paid on it (owed back)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class GateRelease(Base):
    """A supervisor let a job's car leave unpaid: who, why, when."""

    __tablename__ = "gate_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ClaimLine(Base):
    """A warranty line on a claim: an operation, or a part tied to the operation it was issued against."""

    __tablename__ = "claim_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("warranty_claims.id"), index=True)
    invoice_line_id: Mapped[int] = mapped_column(ForeignKey("invoice_lines.id"))
    kind: Mapped[str] = mapped_column(String(8))
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("labour_operations.id"), nullable=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"), nullable=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2), nullable=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("claim_lines.id"), nullable=True)
