"""Count sessions (cycle counts and full stocktakes), their bins and counted lines.

A bin is counted in passes: the first `L:<bin>` of a session starts pass 1, a
recount starts the next pass. A line belongs to the pass it was last counted
in; lines of an older pass count as zero (the recount did not find the part).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class CountStatus(NamedState):
    """Where a count stands (the Chinese names read after 已: 盘点单 3 已审批)."""

    OPEN = "open", "open", "进行中"
    APPROVED = "approved", "approved", "审批"  # not 已审批: the count_closed message says 已{state_zh}
    CANCELLED = "cancelled", "cancelled", "取消"


class CountKind(NamedState):
    """A cycle count of some bins or a full stocktake."""

    CYCLE = "cycle", "cycle count", "月度小盘点"
    FULL = "full", "annual full count", "年度大盘点"


class VarianceReason(NamedState):
    """Why a count differed from the book; recorded per variance line at approval."""

    DAMAGE = "damage", "damage", "损坏"
    MISPLACED = "misplaced", "misplaced", "错放"
    THEFT = "theft", "theft", "失窃"
    RECEIVING_ERROR = "receiving_error", "receiving error", "收货差错"
    ISSUING_ERROR = "issuing_error", "issuing error", "领用差错"
    UNKNOWN = "unknown", "unknown", "原因不明"


VARIANCE_REASONS = VarianceReason.values()  # the API description's list of them


class CountSession(Base):
    """One stocktake: a cycle count of some bins or a full count of a zone or the store."""

    __tablename__ = "count_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # cycle | full
    zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default=CountStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class CountLocation(Base):
    """A bin that belongs to a count session, and where its counting stands."""

    __tablename__ = "count_locations"

    count_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    # Start of the current pass (the bin's first count scan of that pass); null until counted.
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The last count scan in the bin: a part not found by then is counted as zero as of this moment.
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    pass_no: Mapped[int] = mapped_column(Integer, default=0)
    station: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CountLine(Base):
    """The counted quantity of one part in one bin of a count session."""

    __tablename__ = "count_lines"
    __table_args__ = (UniqueConstraint("count_id", "location_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    counted: Mapped[int] = mapped_column(Integer, default=0)
    # The line's first count scan in its pass: expected stock is taken as of this moment.
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recount: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    pass_no: Mapped[int] = mapped_column(Integer, default=1)
    # Frozen at approval, so an approved count reads the same forever.
    expected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), nullable=True)
    move_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
