"""Kiosk enrolment: one-time tokens that bind a browser to a station (SPEC 9.1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime


class KioskEnrolment(Base):
    """A one-time enrolment URL for a station: only its hash is stored; used once, before it expires.

    Kept in the database (not in one process's memory) so any worker of `floor serve` can redeem it.
    """

    __tablename__ = "kiosk_enrolments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64), default="cli")
