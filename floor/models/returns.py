"""Customer returns held in quarantine, every step of their inspection, and return shipments to suppliers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class ReturnReason(NamedState):
    """Why a customer brought parts back."""

    QUALITY_DEFECT = "quality_defect", "quality defect", "质量问题"
    WRONG_SPEC = "wrong_spec", "wrong specification", "规格不符"
    WRONG_SHIPMENT = "wrong_shipment", "wrong shipment", "发错货"
    CUSTOMER_REASON = "customer_reason", "customer's own reason", "客户原因"


class FreightPayer(NamedState):
    """Who pays a return's freight (the Chinese names read in 运费由公司承担)."""

    COMPANY = "company", "the company", "公司"
    CUSTOMER = "customer", "the customer", "客户"


# Who pays the freight: the company for a quality defect and for its own errors (a wrong shipment, a wrong
# spec the workshop chose: seed 000), the customer for a change of mind.
FREIGHT_PAYER = {
    ReturnReason.QUALITY_DEFECT: FreightPayer.COMPANY,
    ReturnReason.WRONG_SHIPMENT: FreightPayer.COMPANY,
    ReturnReason.WRONG_SPEC: FreightPayer.COMPANY,
    ReturnReason.CUSTOMER_REASON: FreightPayer.CUSTOMER,
}


class ReturnStatus(NamedState):
    """Where a customer return stands."""

    QUARANTINED = "quarantined", "in quarantine", "隔离待检"
    CLOSED = "closed", "closed", "已关闭"
    CANCELLED = "cancelled", "cancelled", "已取消"


class ReturnStepKind(NamedState):
    """One step of a return's inspection and shipment."""

    RECEIVED = "received", "received", "已接收"
    RESTOCKED = "restocked", "restocked", "已重新入库"
    SCRAPPED = "scrapped", "scrapped", "已报废"
    TO_SUPPLIER = "to_supplier", "set aside for the supplier", "待退供应商"
    SHIPPED = "shipped", "shipped", "已发运"
    UNDONE = "undone", "undone", "已撤销"


class ShipmentStatus(NamedState):
    """Whether a return shipment to a supplier has left."""

    OPEN = "open", "open", "未发运"
    SHIPPED = "shipped", "shipped", "已发运"


class ShipmentLineKind(NamedState):
    """What a return shipment's line sends back."""

    CUSTOMER_RETURN = "customer_return", "customer return", "客户退货"
    WARRANTY = "warranty", "warranty claim", "三包索赔"
    SUPPLIER_CORE = "supplier_core", "core for the supplier", "退供应商旧件"


class CustomerReturn(Base):
    """Parts a customer brought back, held in a quarantine bin until inspected."""

    __tablename__ = "customer_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    freight_payer: Mapped[str] = mapped_column(String(8))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    sale_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[str] = mapped_column(String(12), default="quarantined", index=True)
    qty_restocked: Mapped[int] = mapped_column(Integer, default=0)
    qty_scrapped: Mapped[int] = mapped_column(Integer, default=0)
    qty_to_supplier: Mapped[int] = mapped_column(Integer, default=0)
    qty_shipped: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def pending(self) -> int:
        """Units still waiting for an inspection outcome."""
        if self.status == "cancelled":
            return 0
        return self.qty - self.qty_restocked - self.qty_scrapped - self.qty_to_supplier

    @property
    def awaiting_shipment(self) -> int:
        """Units judged to go back to the supplier and not yet picked into a shipment."""
        return self.qty_to_supplier - self.qty_shipped


class ReturnStep(Base):
    """One step in a return's life (received, restocked, scrapped, to_supplier, shipped, undone), with who and when."""

    __tablename__ = "return_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    qty: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_returns.id"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    undone: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class SupplierReturn(Base):
    """A shipment back to a supplier: customer returns judged faulty, warranty parts, supplier cores."""

    __tablename__ = "supplier_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    reference: Mapped[str | None] = mapped_column(String(64), nullable=True)  # RMA or carrier reference
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SupplierReturnLine(Base):
    """One line of a return shipment's packing list: a quantity of a returned part, or one core."""

    __tablename__ = "supplier_return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("supplier_returns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    qty: Mapped[int] = mapped_column(Integer)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("customer_returns.id"), nullable=True)
    core_id: Mapped[int | None] = mapped_column(ForeignKey("cores.id"), nullable=True, unique=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
