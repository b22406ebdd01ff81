"""The durable label print queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


# queued -> sending -> printed is the normal path. A job found in 'sending' when a
# worker starts may or may not have reached the printer before the crash; it goes to
# 'interrupted' and is never resent on its own (at-most-once), a person reprints it.
class PrintStatus(NamedState):
    """Where a print job stands."""

    QUEUED = "queued", "queued", "排队中"
    SENDING = "sending", "sending", "发送中"
    PRINTED = "printed", "printed", "已打印"
    FAILED = "failed", "failed", "打印失败"
    INTERRUPTED = "interrupted", "interrupted", "已中断"
    CANCELLED = "cancelled", "cancelled", "已取消"


class PrintJob(Base):
    """One label (or batch) waiting for, being sent to, or printed on a printer."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_printer_status_id", "printer", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PrintStatus.QUEUED.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Jobs enqueued together (e.g. every bin label of a zone) share a batch name.
    batch: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # When the worker marked it 'sending' (committed before the first byte is written).
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A reprint points at the job it repeats.
    reprint_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
