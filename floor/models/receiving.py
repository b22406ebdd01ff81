"""Expected deliveries (purchase orders, packing lists), their lines and what was received against them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class DeliveryKind(NamedState):
    """What announced a delivery."""

    PURCHASE_ORDER = "purchase_order", "purchase order", "采购订单"
    PACKING_LIST = "packing_list", "packing list", "装箱单"


DELIVERY_KINDS = DeliveryKind.values()  # the API description's list of them


class DeliveryStatus(NamedState):
    """Whether a delivery still takes receipts."""

    OPEN = "open", "open", "未关闭"
    CLOSED = "closed", "closed", "已关闭"


class Delivery(Base):
    """A delivery expected from a supplier, identified by the supplier's reference."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("supplier", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=DeliveryKind.PURCHASE_ORDER.value)
    status: Mapped[str] = mapped_column(String(8), default=DeliveryStatus.OPEN.value, index=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class DeliveryLine(Base):
    """The quantity of one part a delivery is expected to bring."""

    __tablename__ = "delivery_lines"
    __table_args__ = (UniqueConstraint("delivery_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    expected: Mapped[int] = mapped_column(Integer)


class DeliveryReceipt(Base):
    """Stock received against a delivery (negative when a receipt was undone); unexpected parts have no line."""

    __tablename__ = "delivery_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    qty: Mapped[int] = mapped_column(Integer)
    lot: Mapped[str | None] = mapped_column(String(64), nullable=True)
    serial: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    reverses_event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
