"""After the car has left (SPEC 10.5): follow-up calls and their log, comeback decisions, complaints and their steps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class FollowupStatus(NamedState):
    """Where a follow-up call stands (the Chinese names read after 已: 回访 3 已回访完成)."""

    OPEN = "open", "open", "待回访"
    DONE = "done", "done", "回访完成"
    FAILED = "failed", "failed", "回访失败"


class ComplaintStatus(NamedState):
    """A complaint's steps, in their order."""

    OPEN = "open", "open", "新投诉"
    ASSIGNED = "assigned", "assigned", "已分派"
    RESPONDED = "responded", "responded", "已回复"
    RESOLVED = "resolved", "resolved", "已解决"
    CLOSED = "closed", "closed", "已结案"


class ComplaintChannel(NamedState):
    """How a complaint came in."""

    PHONE = "phone", "phone", "电话"
    IN_PERSON = "in_person", "in person", "到店"
    FOLLOWUP = "followup", "follow-up call", "回访"
    ONLINE = "online", "online", "网络"
    LETTER = "letter", "letter", "信函"


class ComplaintCategory(NamedState):
    """What a complaint is about (the monthly statistics group by it)."""

    QUALITY = "quality", "work quality", "维修质量"
    PRICE = "price", "price", "价格"
    TIME = "time", "time taken", "时间"
    SERVICE = "service", "service attitude", "服务态度"
    PARTS = "parts", "parts", "配件"
    DAMAGE = "damage", "damage to the car", "车辆损坏"
    OTHER = "other", "other", "其他"


class Followup(Base):
    """The call after a delivered job: due some days after delivery, tried until reached or out of attempts."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # After this the call is not made any more (counted as failed).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default=FollowupStatus.OPEN.value)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class FollowupCall(Base):
    """One try at reaching the customer: who called, when, reached or not, the score and the note."""

    __tablename__ = "followup_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followups.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reached: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Comeback(Base):
    """The advisor's decision on a job flagged as a comeback of an earlier delivered job of the same vehicle."""

    __tablename__ = "comebacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    of_work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    confirmed: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Complaint(Base):
    """A customer's complaint from any channel, with its deadlines and where it stands."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), nullable=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=ComplaintStatus.OPEN.value, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_by: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ComplaintStep(Base):
    """One step of a complaint (opened, assigned, responded, resolved, closed): who, when, to whom, the note."""

    __tablename__ = "complaint_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
