"""Master data: parts and their barcode aliases, bins, people, tags, cache version."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class Role(NamedState):
    """A person's role on the floor (what the role table, floor.core.authority, grants by)."""

    TECHNICIAN = "technician", "Technician", "技师"
    STOREKEEPER = "storekeeper", "Storekeeper", "仓库管理员"
    SUPERVISOR = "supervisor", "Supervisor", "主管"
    ADVISOR = "advisor", "Service advisor", "服务顾问"
    FOREMAN = "foreman", "Foreman", "车间主管"


class LocationKind(NamedState):
    """What a bin holds."""

    STORE = "store", "store", "存储"
    QUARANTINE = "quarantine", "quarantine", "隔离"
    CORE = "core", "core", "旧件"
    SCRAP = "scrap", "scrap", "报废"
    RECEIVING = "receiving", "receiving", "收货"


class TagKind(NamedState):
    """What a tag is bound to."""

    KEY = "key", "key fob", "钥匙牌"
    FOLDER = "folder", "job folder", "工单夹"
    BIN = "bin", "bin", "库位"
    TOTE = "tote", "tote", "周转箱"
    WO = "wo", "job card", "工单"


ROLES = Role.values()  # in the order the kiosk lists them
LOCATION_KINDS = LocationKind.values()
# Bins whose stock can be issued and counts as available (SPEC 10.6): quarantine, receiving, scrap and core bins
# hold stock that cannot be picked until it is moved to a store bin.
AVAILABLE_KINDS = (LocationKind.STORE.value,)
PICKABLE_SQL = ", ".join(f"'{k}'" for k in AVAILABLE_KINDS)  # for raw statements: `"kind" IN (...)`


class Part(Base):
    """A stocked part, identified by its part number."""

    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=Decimal(0))
    is_core: Mapped[bool] = mapped_column(Boolean, default=False)
    reorder_point: Mapped[int] = mapped_column(Integer, default=0)
    reorder_qty: Mapped[int] = mapped_column(Integer, default=0)
    max_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    abc: Mapped[str | None] = mapped_column(String(1), nullable=True)
    abc_override: Mapped[str | None] = mapped_column(String(1), nullable=True)
    allow_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # SPEC 9.2: what the part sells for, the charge on an exchange unit, who supplies it.
    sell_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), nullable=True)
    core_charge: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), nullable=True)
    supplier: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)

    barcodes: Mapped[list[PartBarcode]] = relationship(back_populates="part", cascade="all, delete-orphan")

    @property
    def abc_class(self) -> str | None:
        """The ABC class in force: the manual override, else the computed one."""
        return self.abc_override or self.abc


class PartBarcode(Base):
    """A manufacturer barcode alias of a part; numeric GTINs are kept in 14-digit form too."""

    __tablename__ = "part_barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    gtin14: Mapped[str | None] = mapped_column(String(14), index=True, nullable=True)

    part: Mapped[Part] = relationship(back_populates="barcodes")


class Location(Base):
    """A bin (location) in a zone of the store."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    zone: Mapped[str] = mapped_column(String(64), default="", index=True)
    kind: Mapped[str] = mapped_column(String(16), default=LocationKind.STORE.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """A person with a badge and a role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    badge: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # SPEC 10.6: the PIN that says yes to privileged acts (floor.core.pins): the KDF's parameters, salt and hash
    # in one text, wrong tries since the last good one, and until when privileged acts are locked.
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pin_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pin_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Tag(Base):
    """An RFID or barcode tag bound to an object (work-order folder, key fob, bin, tote)."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # a TagKind value
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_where: Mapped[str | None] = mapped_column(String(128), nullable=True)


class MetaValue(Base):
    """Small key/value facts of the instance, e.g. the master-data version for caches."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
