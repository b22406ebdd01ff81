"""The scan event log and the per-station scan session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class ScanMode(NamedState):
    """What the next part scan does at a station (set by `CMD:<verb>`, a job card, a sale or a count)."""

    ISSUE = "ISSUE", "Issue", "领用"
    RETURN = "RETURN", "Return to stock", "退库"
    RECEIVE = "RECEIVE", "Receive", "入库"
    MOVE = "MOVE", "Move", "移库"
    COUNT = "COUNT", "Count", "盘点"
    CORE = "CORE", "Core return", "旧件回收"
    REQUEST = "REQUEST", "Request parts", "申领"
    SALE = "SALE", "Sale", "销售拣货"
    QUARANTINE = "QUARANTINE", "Return intake", "退货入隔离"
    RELEASE = "RELEASE", "Return inspection", "退货检验"
    DISPOSE = "DISPOSE", "Judge cores", "旧件判定"


class StationKind(NamedState):
    """What a station is for: the modes it may enter follow from it (floor.core.wiring.STATION_MODES)."""

    COUNTER = "counter", "Parts counter", "配件柜台"
    STOCKTAKE = "stocktake", "Stocktake", "盘点"
    RECEIVING = "receiving", "Receiving", "收货"
    KIOSK = "kiosk", "Kiosk", "自助终端"
    KEYS = "keys", "Key cabinet", "钥匙柜"


class ScanEvent(Base):
    """Every scan ever received, accepted or rejected, with its result.

    (device, seq) is unique: it is what makes re-sent scans idempotent.
    """

    __tablename__ = "scan_events"
    __table_args__ = (
        Index("uq_scan_events_device_seq", "device", "seq", unique=True),
        Index("ix_scan_events_station_id", "station", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    station: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text, default="")
    aim: Mapped[str | None] = mapped_column(String(3), nullable=True)
    device_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    code: Mapped[str] = mapped_column(String(48))
    message: Mapped[str] = mapped_column(Text)
    message_zh: Mapped[str] = mapped_column(Text)
    effects: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    is_txn: Mapped[bool] = mapped_column(Boolean, default=False)  # moved stock: a target for UNDO
    # Set on a stock-changing event once UNDO has reversed it.
    undone_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class StationSession(Base):
    """The live state of one station: who scans, for which job, where, in what mode."""

    __tablename__ = "station_sessions"

    station: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    pending_qty: Mapped[int | None] = mapped_column(Integer, nullable=True)
    count_id: Mapped[int | None] = mapped_column(ForeignKey("count_sessions.id"), nullable=True)
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON for handler-specific state
    last_scan_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_txn_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
