"""The stock warning line: each part's alert state and the log of every raise and clear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class AlertEvent(NamedState):
    """A stock alert's two events: the part fell below its line, or recovered."""

    RAISED = "raised", "raised", "触发"
    CLEARED = "cleared", "cleared", "解除"


class StockAlert(Base):
    """A part's warning-line state: active from when on-hand fell below the reorder point until it recovered.

    One row per part (the primary key), so two stations crossing the line at
    the same moment cannot both raise it.
    """

    __tablename__ = "stock_alerts"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False, index=True)
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)  # at the last raise or clear
    reorder_point: Mapped[int] = mapped_column(Integer, default=0)
    times_raised: Mapped[int] = mapped_column(Integer, default=0)


class StockAlertEvent(Base):
    """One crossing of the warning line, down (raised) or back up (cleared)."""

    __tablename__ = "stock_alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # raised | cleared
    on_hand: Mapped[int] = mapped_column(Integer)
    reorder_point: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
