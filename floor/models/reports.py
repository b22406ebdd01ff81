"""The month-end report of the parts department: handling proposals per cause, and the signed snapshot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.ledger import StockMove


class MonthEnd(Base):
    """One month's report: editable proposals until a supervisor signs; then the frozen snapshot."""

    __tablename__ = "month_ends"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    # cause (a variance reason, "dead_stock", "adjustments") -> the handling proposal text
    proposals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The report as signed; once set, the month's report is read from here and never recomputed.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


# The dead-stock report's probes: a part's last issue or sale, and its last receipt, up to an instant.
Index("ix_stock_moves_part_reason_at", StockMove.part_id, StockMove.reason, StockMove.at)
