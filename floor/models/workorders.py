"""Work orders (job cards), their status history and the cores due on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class Status(NamedState):
    """A job's stage on the floor (the values are the API's `status` strings; floor.core.workorders.status moves it).

    The Chinese names read inside the scan messages too ("工单 1001 已交车"), hence 交车 rather than 已交车.
    """

    RECEIVED = "received", "Received", "接车"
    DISPATCHED = "dispatched", "Dispatched", "已派工"
    IN_PROGRESS = "in_progress", "In repair", "维修中"
    ON_HOLD = "on_hold", "On hold", "暂停"
    QC = "qc", "Final QC", "质检"
    WASHING = "washing", "Washing", "洗车"
    READY = "ready", "Ready", "待交车"
    DELIVERED = "delivered", "Delivered", "交车"
    CANCELLED = "cancelled", "Cancelled", "取消"


# The one definition of a closed job; floor.core.workorders.status derives CLOSED and OPEN from it.
CLOSED_STATUSES = (Status.DELIVERED.value, Status.CANCELLED.value)


class HoldReason(NamedState):
    """Why a job on hold waits."""

    PARTS = "parts", "waiting for parts", "等待配件"
    APPROVAL = "approval", "waiting for the customer's approval", "等待客户确认增项"


class OldParts(NamedState):
    """What becomes of the parts taken off the car, as agreed at reception."""

    RETURN = "return", "Customer takes them", "客户带走"
    DISPOSE = "dispose", "Workshop disposes", "厂内处理"


class CoreStatus(NamedState):
    """Where a core due back from a job stands."""

    DUE = "due", "due", "待回收"
    RETURNED = "returned", "returned", "已回收"
    WAIVED = "waived", "waived", "已豁免"


class CoreDisposition(NamedState):
    """What becomes of a returned core."""

    REUSABLE = "reusable", "reusable", "可再利用"
    SCRAP = "scrap", "scrap", "报废"
    WARRANTY = "warranty", "warranty claim", "三包索赔"
    SUPPLIER_CORE = "supplier_core", "back to the supplier", "退供应商旧件"
    CUSTOMER_KEPT = "customer_kept", "kept by the customer", "客户带走"


class WorkOrder(Base):
    """A job card: one vehicle's job in the workshop."""

    __tablename__ = "work_orders"
    # After-sales (floor.core.aftersales) finds the jobs delivered lately by their closing time.
    # A vehicle's latest deliveries (the comeback check at reception) by one index range.
    __table_args__ = (
        Index("ix_work_orders_status_closed_at", "status", "closed_at"),
        Index("ix_work_orders_vehicle_closed_at", "vehicle_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    vehicle: Mapped[str] = mapped_column(String(200), default="")
    customer: Mapped[str] = mapped_column(String(200), default="")
    promised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    estimate_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.RECEIVED.value, index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    team: Mapped[str | None] = mapped_column(String(64), nullable=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    hold_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the job leaves final QC forward (to washing or ready); READY and DELIVER need it.
    qc_passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Reception (SPEC 9.4): the car as it came in and the customer's wishes; all optional.
    plate: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    vin: Mapped[str | None] = mapped_column(String(17), nullable=True)
    mileage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fuel_pct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    belongings: Mapped[str | None] = mapped_column(Text, nullable=True)
    old_parts: Mapped[str | None] = mapped_column(String(8), nullable=True)  # an OldParts value
    wash: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    advisor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Who passed final QC (CMD:PASS); cleared when the job goes back to in_progress.
    qc_passed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The key: who has it out of the cabinet and since when (null while it hangs in the cabinet).
    key_holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    key_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The vehicle file (SPEC 10.1): the car and the customer by reference (`vehicle`, `customer` stay free text).
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), nullable=True, index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    # Kept by floor.core.repair and floor.core.clocking, read with the job on every part scan (JobRef), so a
    # job without them costs the issue path nothing: its part lines the customer has not said yes to, and
    # the technicians clocked onto its lines now.
    parts_unauthorized: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clocked_on: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def is_open(self) -> bool:
        """True unless delivered or cancelled."""
        return self.status not in CLOSED_STATUSES


class WorkOrderStatusChange(Base):
    """One move of a job from one status to another, with who and when."""

    __tablename__ = "wo_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The hold reason in force after the move (parts / approval), so UNDO can restore it.
    hold_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Core(Base):
    """A used part (core) due back from a job, with its own serial and tag."""

    __tablename__ = "cores"
    __table_args__ = (Index("ix_cores_wo_part_status", "work_order_id", "part_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    # None for a core sold over the counter and brought back (floor.core.sales.cores).
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True, nullable=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issue_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=CoreStatus.DUE.value, index=True)
    disposition: Mapped[str | None] = mapped_column(String(16), nullable=True)
    claim_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    returned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    waived_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Why a core stopped being due without coming back: supervisor waiver, issue undone, part returned unused.
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The scan events that changed it, so UNDO of that scan can put it back.
    returned_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disposed_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    waived_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The core tag's print job, if one was queued (cancelled when the issue is undone before printing).
    print_job_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
