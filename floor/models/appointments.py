"""Appointments (SPEC 9.4): a booked visit whose parts are requested before the job exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime

BOOKED, ARRIVED, CANCELLED = "booked", "arrived", "cancelled"
APPOINTMENT_STATUSES = (BOOKED, ARRIVED, CANCELLED)  # only a booked one still waits for its car


class Appointment(Base):
    """A customer's booked visit; its request lines (`PartRequest.appointment_id`) move to the job on arrival."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_at_status", "at", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    customer: Mapped[str] = mapped_column(String(200), default="")
    plate: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="booked")
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
