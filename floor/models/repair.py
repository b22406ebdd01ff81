"""The repair order (SPEC 10.2, 10.3): concerns, labour operations, lines, the customer's yes, clocking.

A job's lines are labour (an operation of the catalogue, flat-rate hours) or parts (each one a
request line of SPEC 9.2, `part_requests`, which holds the stock). Each line has a pay type and
a status; the customer's answers are `repair_decisions`, one per time the customer was asked,
with a row per line answered. Technicians clock onto labour lines (`clock_records`); parts
issued by a technician clocked onto a line are recorded against it (`line_parts`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class LineKind(NamedState):
    """What a line sells: work (an operation) or a part."""

    LABOUR = "labour", "labour", "工时"
    PART = "part", "part", "配件"


class PayType(NamedState):
    """Who pays for a line."""

    CUSTOMER = "customer", "customer", "客户"  # reads in sentences: 由客户承担
    WARRANTY = "warranty", "warranty", "三包索赔"
    INTERNAL = "internal", "internal", "内部"


class LineStatus(NamedState):
    """Where a line stands with the customer and the workshop."""

    PROPOSED = "proposed", "proposed", "待客户确认"
    AUTHORIZED = "authorized", "authorized", "客户已确认"
    DECLINED = "declined", "declined", "客户拒绝"
    DONE = "done", "done", "已完工"


# The customer said yes to these (work may be done, parts issued).
AUTHORIZED_STATUSES = (LineStatus.AUTHORIZED.value, LineStatus.DONE.value)
# Lines a part may not be issued for: the customer has not said yes (or said no).
UNAUTHORIZED_STATUSES = (LineStatus.PROPOSED.value, LineStatus.DECLINED.value)


class ConsentHow(NamedState):
    """How the customer gave their answer."""

    SIGNATURE = "signature", "signature on the tablet", "平板签字"
    PHONE = "phone", "by phone", "电话确认"
    IN_PERSON = "in_person", "in person", "当面确认"


class ClockEnd(NamedState):
    """Why a clock record ended."""

    STOP = "stop", "stopped", "停止"
    FINISH = "finish", "line finished", "完工"
    SWITCH = "switch", "clocked onto another line", "转到其他项目"
    HOLD = "hold", "job on hold", "工单暂停"
    CLOSED = "closed", "job closed", "工单关闭"


class Concern(Base):
    """What the customer asked for, in their words; the technician adds the cause and the correction."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text, nullable=True)
    correction: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LabourOperation(Base):
    """A labour operation of the catalogue: its code, names and flat-rate hours."""

    __tablename__ = "labour_operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RepairDecision(Base):
    """One time the customer was asked: how they answered, who took the answer, when (and the signature)."""

    __tablename__ = "repair_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    how: Mapped[str] = mapped_column(String(12))
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class RepairLine(Base):
    """One line of a job: labour (an operation, hours) or a part (a request line), its pay type, status and price."""

    __tablename__ = "repair_lines"
    __table_args__ = (Index("ix_repair_lines_wo_kind_status", "work_order_id", "kind", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    kind: Mapped[str] = mapped_column(String(8))
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("labour_operations.id"), nullable=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"), nullable=True)
    # A part line's request line (SPEC 9.2): it reserves the stock. Unique: the issue scan joins on it.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("part_requests.id"), nullable=True, unique=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2), nullable=True)  # labour: the hours sold
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 4))  # labour: the rate per hour; part: per unit
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # rounded once, per line (floor.core.repair.money)
    pay: Mapped[str] = mapped_column(String(10))
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concerns.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    safety: Mapped[bool] = mapped_column(Boolean, default=False)
    # Added after the customer's first yes on the job: a supplement, asked for again.
    supplement: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("repair_decisions.id"), nullable=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RepairDecisionLine(Base):
    """One line's answer in a decision, with the price the customer said yes or no to."""

    __tablename__ = "repair_decision_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("repair_decisions.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("repair_lines.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # LineStatus.AUTHORIZED or DECLINED
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class ClockRecord(Base):
    """A technician's time on a labour line: clocked on, and off (None while still on)."""

    __tablename__ = "clock_records"
    __table_args__ = (
        # One clock at a time per technician, kept by the database too (two stations at once).
        Index(
            "ux_clock_records_open_technician",
            "technician_id",
            unique=True,
            sqlite_where=text("off_at IS NULL"),
            postgresql_where=text("off_at IS NULL"),
        ),
        Index("ix_clock_records_wo_off", "work_order_id", "off_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    line_id: Mapped[int] = mapped_column(ForeignKey("repair_lines.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    on_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    off_reason: Mapped[str | None] = mapped_column(String(8), nullable=True)
    on_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    off_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class LinePart(Base):
    """Units of a part issued (+) or returned (−) by a technician clocked onto a labour line, recorded against it."""

    __tablename__ = "line_parts"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("repair_lines.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    qty: Mapped[int] = mapped_column(Integer)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
