"""Counter and trade sales: customers, sales orders and their lines, picks, core charges; warranty claims."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class CustomerKind(NamedState):
    """A walk-in customer or a trade account."""

    RETAIL = "retail", "retail", "零售"
    TRADE = "trade", "trade", "批发"


class SaleStatus(NamedState):
    """Where a sale stands."""

    QUOTE = "quote", "quote", "报价"
    AWAITING_APPROVAL = "awaiting_approval", "awaiting approval", "待审批"
    APPROVED = "approved", "approved", "已批准"
    SHIPPED = "shipped", "shipped", "已发货"
    CANCELLED = "cancelled", "cancelled", "已取消"


class ChargeStatus(NamedState):
    """A core charge on a sale: charged until the core comes back."""

    CHARGED = "charged", "charged", "已收取"
    REFUNDED = "refunded", "refunded", "已退还"
    VOID = "void", "void", "作废"


class ClaimStatus(NamedState):
    """Where a warranty claim stands."""

    DRAFT = "draft", "draft", "草稿"
    SUBMITTED = "submitted", "submitted", "已提交"
    APPROVED = "approved", "approved", "已批准"
    REJECTED = "rejected", "rejected", "已驳回"
    CREDITED = "credited", "credited", "已入账"


class Customer(Base):
    """A buyer at the counter: retail (walk-in) or trade (garages, fleets)."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(8), default=CustomerKind.RETAIL.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Sale(Base):
    """A sales order: quote → approved (or awaiting_approval) → shipped, or cancelled."""

    __tablename__ = "sales"
    __table_args__ = (Index("ix_sales_status_shipped_at", "status", "shipped_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set from the id right after the insert (see floor.core.sales.orders.create_sale).
    number: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SaleStatus.QUOTE.value, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    carrier: Mapped[str | None] = mapped_column(String(64), nullable=True)
    tracking: Mapped[str | None] = mapped_column(String(64), nullable=True)
    collected: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set when shipped (the sales records): statistics read these, not every line.
    qty_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goods_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 4), nullable=True)
    cost_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 4), nullable=True)


class SaleLine(Base):
    """One part on a sale: ordered and picked quantity, agreed unit price, core charge per unit."""

    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    list_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), nullable=True)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=Decimal(0))
    core_charge: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=Decimal(0))


class SalePick(Base):
    """Units of a line taken off a shelf (by one scan): cancel puts them back into that bin, UNDO too."""

    __tablename__ = "sale_picks"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    qty: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SaleCoreCharge(Base):
    """One core part unit sold: its charge, refunded when the old unit comes back (a `C:<serial>` tag)."""

    __tablename__ = "sale_core_charges"
    __table_args__ = (Index("ix_sale_core_charges_status", "status", "charged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    status: Mapped[str] = mapped_column(String(8), default=ChargeStatus.CHARGED.value)
    charged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    refunded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    refund_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    # The core row the returned unit became (enters the core dispositions).
    core_id: Mapped[int | None] = mapped_column(ForeignKey("cores.id"), nullable=True)


class WarrantyClaim(Base):
    """A warranty claim to a supplier for a job's cores: draft → submitted → approved/rejected → credited."""

    __tablename__ = "warranty_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_no: Mapped[str] = mapped_column(String(64), unique=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ClaimStatus.DRAFT.value, index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    credited_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    due_by: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    credited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    credited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class ClaimCore(Base):
    """A core named on a claim; a core is on one claim only."""

    __tablename__ = "claim_cores"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("warranty_claims.id"), index=True)
    core_id: Mapped[int] = mapped_column(ForeignKey("cores.id"), unique=True)
