"""The audit trail: who did what to which object, outside the scan event log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime


class AuditEntry(Base):
    """One write someone made: actor (badge or API token name), action, object, details as JSON.

    Scans are audited by their own event log (station, device, actor per scan); this
    table records the other writes (master data, approvals, waivers) and a summary
    line per scan batch received over the API.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(48), index=True)
    object: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON
