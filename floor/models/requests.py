"""Parts requested for a job (SPEC 9.2): one line per part and request, with its fill and approval."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class RequestStatus(NamedState):
    """Where a job's request line stands."""

    RESERVED = "reserved", "Reserved", "已预留"
    PARTIAL = "partial", "Partly reserved", "部分预留"
    BACKORDERED = "backordered", "Backordered", "缺货待订"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval", "待审批"
    ISSUED = "issued", "Issued", "已领用"
    CANCELLED = "cancelled", "Cancelled", "已取消"


# Lines that still want something from the store (the pick queue, special orders, the board).
OPEN_REQUEST_STATUSES = (
    RequestStatus.RESERVED.value,
    RequestStatus.PARTIAL.value,
    RequestStatus.BACKORDERED.value,
    RequestStatus.AWAITING_APPROVAL.value,
)


class PartRequest(Base):
    """One part asked for a job: how many, how many issued; what it holds is its reservation."""

    __tablename__ = "part_requests"
    __table_args__ = (
        Index("ix_part_requests_part_status", "part_id", "status"),
        Index("ix_part_requests_wo_status", "work_order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None while the line belongs to an appointment only (SPEC 9.4): arrival moves it to the new job.
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True, index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    qty: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=Decimal(0))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # Who asked, as the audit trail names it (a badge, or an API token's name).
    requested_via: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The scan that made the line (UNDO of that scan cancels it).
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    # First-time fill: met in full from stock at the moment of the request (for the fill-rate report).
    filled_from_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RequestIssue(Base):
    """Units of a line met by one issue scan, and how many of them its reservation held (for UNDO)."""

    __tablename__ = "part_request_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("part_requests.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    qty: Mapped[int] = mapped_column(Integer)
    released: Mapped[int] = mapped_column(Integer, default=0)


class RequestClosure(Base):
    """A line a job's closing scan (DELIVER, CANCEL) closed, and what its hold gave back then (for UNDO).

    UNDO of that scan opens the line again and holds the same units if they are still free;
    the row is deleted as it is used, so nothing is restored twice.
    """

    __tablename__ = "part_request_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("part_requests.id"), index=True)
    event_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # The line's status when the job closed (what it was before becoming issued/cancelled).
    status: Mapped[str] = mapped_column(String(20))
    released: Mapped[int] = mapped_column(Integer, default=0)


class DemandNotice(Base):
    """What the counter was told when stock went to waiting lines outside a receipt scan (SPEC 9.2).

    A receipt scan tells it in its own scan event (`received_reserved`); every other way units reach
    a waiting line (a hold ended: a cancel, a release, a closed job, an appointment or a sale; a return,
    an UNDO, an API stock write) leaves one row per part, shown beside the receipts on the pick page.
    """

    __tablename__ = "demand_notices"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    code: Mapped[str] = mapped_column(String(48))
    message: Mapped[str] = mapped_column(Text)
    message_zh: Mapped[str] = mapped_column(Text)
    # The scan that freed the units, when a scan did (kept after an UNDO: the units stay where they went).
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
