"""The durable label print queue."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime, utcnow

PRINT_STATUSES = ("queued", "sending", "printed", "failed")


class PrintJob(Base):
    """One label (or batch) waiting for, being sent to, or printed on a printer."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
