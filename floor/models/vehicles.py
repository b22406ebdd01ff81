"""The vehicle file (SPEC 10.1): a car known by its VIN and its plate, belonging to a customer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime


class Vehicle(Base):
    """One car: its VIN (the key), plate, make and model, owner, warranty and next service."""

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    vin: Mapped[str] = mapped_column(String(17), unique=True)
    # Normalised (floor.core.vehicles.plates): capitals, no spaces, dots or dashes. A plate is on one
    # car at a time (re-registration moves it), so a look-up by plate is one unique-index hit.
    plate: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    make: Mapped[str] = mapped_column(String(64), default="")
    model: Mapped[str] = mapped_column(String(64), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    # The maker's warranty: until this day (inclusive) and up to this mileage; either may be absent.
    warranty_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    warranty_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The next service: whichever of the day and the mileage comes first.
    next_service_at: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_service_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
