"""Stock held for demand (a job's request line, a sales line): reservations and each part's total."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class HolderKind(NamedState):
    """What may hold stock. A holder is one demand line; it holds at most one reservation."""

    REQUEST = "request", "job request", "工单申领"
    SALE = "sale", "sale", "销售单"


class Reservation(Base):
    """Units of one part held for one demand line (not tied to a bin: any bin's stock serves it)."""

    __tablename__ = "reservations"
    __table_args__ = (
        UniqueConstraint("holder", "holder_id", name="uq_reservations_holder"),
        Index("ix_reservations_part_id", "part_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    qty: Mapped[int] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(String(16))
    holder_id: Mapped[int] = mapped_column(Integer)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ReservedTotal(Base):
    """The sum of a part's reservations, kept in step: one row to lock and read on every issue."""

    __tablename__ = "reserved_totals"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)
