"""Reception, final inspection, hand-over and keys (SPEC 9.4): QC results, signatures, key moves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class QcVerdict(NamedState):
    """A final inspection's verdict."""

    PASS = "pass", "pass", "合格"
    FAIL = "fail", "fail", "不合格"


class KeyDirection(NamedState):
    """A key taken out of the cabinet or hung back."""

    OUT = "out", "taken out", "取出"
    IN = "in", "hung back", "归还"


class QcResult(Base):
    """One final-inspection verdict on a job: pass, or fail (a rework) with its reason."""

    __tablename__ = "qc_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    result: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    # Set when the scan that gave the verdict was undone: such a row no longer counts.
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class JobSignature(Base):
    """The customer's signature at hand-over: a validated PNG kept with the job (one per job)."""

    __tablename__ = "job_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class KeyMove(Base):
    """A job's key taken out of the cabinet by someone, or put back."""

    __tablename__ = "key_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    tag_code: Mapped[str] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(4))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
