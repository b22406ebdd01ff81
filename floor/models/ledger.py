"""The append-only stock ledger, the per-bin levels and the report summaries kept in step with it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from floor.models.base import Base, UTCDateTime
from floor.models.named import NamedState


class MoveReason(NamedState):
    """Why a stock move happened. The ledger is never updated or deleted: UNDO and count approvals add
    compensating moves with their own reason."""

    OPENING = "opening", "opening balance", "期初"
    ISSUE = "issue", "issue", "领用"
    RETURN = "return", "return to stock", "退库"
    RECEIVE = "receive", "receipt", "入库"
    MOVE = "move", "move", "移库"
    ADJUST = "adjust", "count adjustment", "盘点调整"
    UNDO = "undo", "undo", "撤销"
    CORE_RETURN = "core_return", "core return", "旧件回收"
    CUSTOMER_RETURN = "customer_return", "customer return", "客户退货"
    RELEASE = "release", "release from quarantine", "隔离放行"
    SCRAP = "scrap", "scrap", "报废"
    SUPPLIER_RETURN = "supplier_return", "return to supplier", "退供应商"
    SALE = "sale", "sale", "销售"
    SALE_CANCEL = "sale_cancel", "sale cancelled", "销售取消"


class StockMove(Base):
    """One signed quantity change of one part in one bin."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_part_loc_at", "part_id", "location_id", "at"),
        # Covers a job's net quantity per part (the job board, RETURN checks) without reading the rows.
        Index("ix_stock_moves_wo_part_qty", "work_order_id", "part_id", "qty"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str | None] = mapped_column(String(128), nullable=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), nullable=True, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    reverses_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class StockLevel(Base):
    """On-hand of one part in one bin: the running sum of its moves."""

    __tablename__ = "stock_levels"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)


class StockValueHour(Base):
    """The ledger's value and consumption summed per UTC hour, one row per hour and writer.

    Written by `Ledger.flush` in the transaction of the moves it sums (floor.core.ledger_summary).
    `writer` is the PostgreSQL backend of the writing connection (0 on SQLite): concurrent writers
    add to rows of their own, so the current hour is no lock every transaction queues on.
    """

    __tablename__ = "stock_value_hours"
    # SQLite: rows kept in their key's tree, so adding to an hour writes one page, not a row and an index
    __table_args__ = ({"sqlite_with_rowid": False},)

    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    writer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))  # Σ qty × unit cost, outside scrap bins
    value_secs: Mapped[Decimal] = mapped_column(Numeric(26, 4))  # Σ that value × seconds after the hour
    consumed_cost: Mapped[Decimal] = mapped_column(Numeric(18, 4))  # Σ −qty × unit cost of consumption
    consumed_qty: Mapped[int] = mapped_column(BigInteger)  # Σ −qty of consumption


class StoreStock(Base):
    """A part's on-hand over all store bins, kept with the ledger; when at zero, since when."""

    __tablename__ = "store_stock"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True, autoincrement=False)
    qty: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # its first store move
    # Its latest store move, in microseconds since 1970 UTC: compared on every store move, so an
    # integer (no date parsing); a move older than it makes the part's runs be walked again.
    last_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # qty <= 0: at zero since this instant (None: since before its first move)
    zero_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StockoutSpan(Base):
    """An ended run of a part at zero in the store bins: on hand <= 0 at every instant t, since < t <= until."""

    __tablename__ = "stockout_spans"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None: before its first move
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
