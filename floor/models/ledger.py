"""The append-only stock ledger and the per-bin levels kept in step with it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime

# Why each move happened. The ledger is never updated or deleted: UNDO and
# count approvals add compensating moves with their own reason.
MOVE_REASONS = (
    "opening",
    "issue",
    "return",
    "receive",
    "move",
    "adjust",
    "undo",
    "core_return",
    "customer_return",
    "release",
    "scrap",
    "supplier_return",
    "sale",
    "sale_cancel",
)


class StockMove(Base):
    """One signed quantity change of one part in one bin."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_part_loc_at", "part_id", "location_id", "at"),
        # Covers a job's net quantity per part (the job board, RETURN checks) without reading the rows.
        Index("ix_stock_moves_wo_part_qty", "work_order_id", "part_id", "qty"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str | None] = mapped_column(String(128), nullable=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    reverses_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class StockLevel(Base):
    """On-hand of one part in one bin: the running sum of its moves."""

    __tablename__ = "stock_levels"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)
