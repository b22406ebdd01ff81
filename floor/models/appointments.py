"""Appointments (SPEC 9.4): a booked visit whose parts are requested before the job exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class AppointmentStatus(NamedState):
    """Where an appointment stands: only a booked one still waits for its car."""

    BOOKED = "booked", "Booked", "已预约"
    ARRIVED = "arrived", "Arrived", "已到店"
    CANCELLED = "cancelled", "Cancelled", "已取消"


BOOKED, ARRIVED, CANCELLED = AppointmentStatus  # the short names the core's appointment rules use


class Appointment(Base):
    """A customer's booked visit; its request lines (`PartRequest.appointment_id`) move to the job on arrival."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_at_status", "at", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    customer: Mapped[str] = mapped_column(String(200), default="")
    plate: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.BOOKED.value)
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
