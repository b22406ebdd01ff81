"""Reservations: stock held for demand so another job or sale cannot take it.

A reservation belongs to one demand line (a `Holder`: a job's request line, a sales line)
and is not tied to a bin. The invariant, on both databases and under concurrency, is
`sum(reservations of a part) == reserved_totals.qty <= on-hand of the part`.

Locking: every change first locks the part's stock-level rows (the same rows, in the same
order, that the ledger locks when it issues stock on PostgreSQL), then its `reserved_totals`
row. So a reservation and an issue of the same part never interleave, and no deadlock can
come from the order. SQLite has one writer at a time and needs no row locks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from floor.models import Reservation, ReservedTotal, StockLevel, WorkOrder
from floor.models.reservations import HOLDERS


@dataclass(frozen=True)
class Holder:
    """One demand line that may hold stock: `kind` is 'request' or 'sale'."""

    kind: str
    id: int
    work_order_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in HOLDERS:
            raise ValueError(f"unknown reservation holder {self.kind!r}")


@dataclass(frozen=True)
class Availability:
    """On-hand, reserved and available (on-hand minus reserved, never below zero) of one part."""

    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        """What is free to promise or issue to anyone."""
        return max(0, self.on_hand - self.reserved)


def _lock_part(session: Session, part_id: int) -> int:
    """Lock the part's levels then its total (see the module docstring); return on-hand."""
    levels = session.execute(
        select(StockLevel.qty).where(StockLevel.part_id == part_id).order_by(StockLevel.location_id).with_for_update()
    ).scalars()
    return sum(int(q) for q in levels)


def _total(session: Session, part_id: int, lock: bool) -> int:
    stmt = select(ReservedTotal.qty).where(ReservedTotal.part_id == part_id)
    qty = session.scalar(stmt.with_for_update() if lock else stmt)
    return int(qty or 0)


def _add_total(session: Session, part_id: int, delta: int) -> None:
    result = session.execute(
        update(ReservedTotal).where(ReservedTotal.part_id == part_id).values(qty=ReservedTotal.qty + delta)
    )
    if not cast(CursorResult[Any], result).rowcount:  # an UPDATE's result is a cursor result
        session.execute(insert(ReservedTotal).values(part_id=part_id, qty=delta))


def availability(session: Session, part_id: int) -> Availability:
    """On-hand and reserved of one part, read without locks (for people deciding, not for rules)."""
    on_hand = session.scalar(select(func.coalesce(func.sum(StockLevel.qty), 0)).where(StockLevel.part_id == part_id))
    return Availability(int(on_hand or 0), _total(session, part_id, lock=False))


def availability_of(session: Session, part_ids: Iterable[int]) -> dict[int, Availability]:
    """Availability of many parts in two queries (pick lists, boards, reorder suggestions)."""
    ids = sorted(set(part_ids))
    if not ids:
        return {}
    on_hand: dict[int, int] = {
        int(p): int(q or 0)
        for p, q in session.execute(
            select(StockLevel.part_id, func.sum(StockLevel.qty))
            .where(StockLevel.part_id.in_(ids))
            .group_by(StockLevel.part_id)
        )
    }
    reserved: dict[int, int] = {
        int(p): int(q or 0)
        for p, q in session.execute(
            select(ReservedTotal.part_id, ReservedTotal.qty).where(ReservedTotal.part_id.in_(ids))
        )
    }
    return {p: Availability(int(on_hand.get(p) or 0), int(reserved.get(p) or 0)) for p in ids}


def reserved_by_part(session: Session) -> dict[int, int]:
    """Every part's reserved total (parts with none are absent)."""
    rows = session.execute(select(ReservedTotal.part_id, ReservedTotal.qty).where(ReservedTotal.qty != 0))
    return {int(p): int(q) for p, q in rows}


def held(session: Session, holder: Holder) -> int:
    """Units the holder holds now."""
    qty = session.scalar(
        select(Reservation.qty).where(Reservation.holder == holder.kind, Reservation.holder_id == holder.id)
    )
    return int(qty or 0)


def reserve(session: Session, part_id: int, qty: int, holder: Holder) -> int:
    """Hold up to `qty` more units of a part for `holder`; return how many were held (0..qty)."""
    if qty <= 0:
        raise ValueError("a reservation needs a positive quantity")
    on_hand = _lock_part(session, part_id)
    total = _total(session, part_id, lock=True)
    take = min(qty, max(0, on_hand - total))
    if take == 0:
        return 0
    row = session.execute(
        select(Reservation.id, Reservation.part_id).where(
            Reservation.holder == holder.kind, Reservation.holder_id == holder.id
        )
    ).first()
    if row is None:
        session.execute(
            insert(Reservation).values(
                part_id=part_id, qty=take, holder=holder.kind, holder_id=holder.id, work_order_id=holder.work_order_id
            )
        )
    elif row.part_id != part_id:
        raise ValueError(f"{holder.kind} {holder.id} already holds another part")
    else:
        session.execute(update(Reservation).where(Reservation.id == row.id).values(qty=Reservation.qty + take))
    _add_total(session, part_id, take)
    return take


def release(session: Session, holder: Holder, qty: int | None = None) -> int:
    """Give back `qty` units (all when None) the holder holds; return how many were released.

    Issuing or shipping the held stock is also a release: the units leave the shelf and the hold.
    """
    row = session.execute(
        select(Reservation.id, Reservation.part_id, Reservation.qty).where(
            Reservation.holder == holder.kind, Reservation.holder_id == holder.id
        )
    ).first()
    if row is None:
        return 0
    _lock_part(session, row.part_id)
    _total(session, row.part_id, lock=True)
    holding = int(row.qty)
    give = holding if qty is None else max(0, min(qty, holding))
    if give == 0:
        return 0
    if give == holding:
        session.execute(delete(Reservation).where(Reservation.id == row.id))
    else:
        session.execute(update(Reservation).where(Reservation.id == row.id).values(qty=Reservation.qty - give))
    _add_total(session, row.part_id, -give)
    return give


def held_by_others(session: Session, part_id: int, work_order_id: int | None) -> list[tuple[str, int]]:
    """Who else holds this part: (job number, or 'sale' for a sales line, qty), largest first."""
    rows = session.execute(
        select(WorkOrder.number, Reservation.holder, func.sum(Reservation.qty))
        .outerjoin(WorkOrder, WorkOrder.id == Reservation.work_order_id)
        .where(Reservation.part_id == part_id)
        .where(
            (Reservation.work_order_id != work_order_id) | Reservation.work_order_id.is_(None)
            if work_order_id is not None
            else Reservation.part_id == part_id
        )
        .group_by(WorkOrder.number, Reservation.holder)
    ).all()
    out = [(number or holder, int(q)) for number, holder, q in rows if q]
    return sorted(out, key=lambda r: -r[1])
