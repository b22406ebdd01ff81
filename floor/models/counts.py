"""Count sessions (cycle counts and full stocktakes), their bins and counted lines."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime, utcnow

COUNT_STATUSES = ("open", "approved", "cancelled")


class CountSession(Base):
    """One stocktake: a cycle count of some bins or a full count of a zone or the store."""

    __tablename__ = "count_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # cycle | full
    zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class CountLocation(Base):
    """A bin that belongs to a count session."""

    __tablename__ = "count_locations"

    count_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CountLine(Base):
    """The counted quantity of one part in one bin of a count session."""

    __tablename__ = "count_lines"
    __table_args__ = (UniqueConstraint("count_id", "location_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    counted: Mapped[int] = mapped_column(Integer, default=0)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recount: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
