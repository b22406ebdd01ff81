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

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from floor import clock
from floor.core import rawsql
from floor.models import Location, PartRequest, Reservation, ReservedTotal, StockLevel, WorkOrder
from floor.models.base import table_of
from floor.models.master import AVAILABLE_KINDS, PICKABLE_SQL
from floor.models.requests import OPEN_REQUEST_STATUSES
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


# A part's level rows (locked on PostgreSQL), each with whether its bin is pickable (SPEC 10.6: only stock in
# pickable bins is available to reserve or issue).
_LEVELS = {
    lock: rawsql.Statement(
        f'SELECT s."qty", CASE WHEN b."kind" IN ({PICKABLE_SQL}) THEN 1 ELSE 0 END'
        f' FROM "{StockLevel.__tablename__}" s JOIN "{Location.__tablename__}" b ON b."id" = s."location_id"'
        ' WHERE s."part_id" = ? ORDER BY s."location_id"' + (" FOR UPDATE OF s" if lock else "")
    )
    for lock in (False, True)
}
_TOTAL = {
    lock: rawsql.Statement(
        f'SELECT "qty" FROM "{ReservedTotal.__tablename__}" WHERE "part_id" = ?' + (" FOR UPDATE" if lock else "")
    )
    for lock in (False, True)
}
_ADD_TOTAL = rawsql.Statement(f'UPDATE "{ReservedTotal.__tablename__}" SET "qty" = "qty" + ? WHERE "part_id" = ?')
_NEW_TOTAL = rawsql.insert_into(table_of(ReservedTotal), ["part_id", "qty"])
_NEW_HOLD = rawsql.insert_into(
    table_of(Reservation), ["part_id", "qty", "holder", "holder_id", "work_order_id", "created_at"]
)
_WATCHED = (StockLevel, ReservedTotal, Reservation)
_OPEN = ", ".join(f"'{s}'" for s in OPEN_REQUEST_STATUSES)
_DEMAND_OF_PART = rawsql.Statement(
    f'SELECT (SELECT "qty" FROM "{ReservedTotal.__tablename__}" WHERE "part_id" = ?),'
    f' EXISTS (SELECT 1 FROM "{PartRequest.__tablename__}" WHERE "part_id" = ? AND "status" IN ({_OPEN}))'
)


# The scan transaction's cache, in `session.info`: every write of a total or a request line drops the
# part's entry from it (`forget_demand`), so a demand read earlier in the transaction is never served stale.
_CACHE = "floor.scan_demand_cache"


def scan_demand(session: Session, cache: MutableMapping[Any, Any], part_id: int) -> tuple[int, bool]:
    """The part's reserved total and whether open request lines name it, read once per scan transaction.

    `cache` is the scan's per-transaction cache; the warning line and the issue check share it.
    """
    key = ("demand", part_id)
    found = cache.get(key)
    if found is None:
        session.info[_CACHE] = cache
        total, lines = rawsql.run(session, _DEMAND_OF_PART, (part_id, part_id))[0]
        found = cache[key] = (int(total or 0), bool(lines))
    return found


def prefetch_demand(session: Session, cache: MutableMapping[Any, Any], part_ids: Iterable[int]) -> None:
    """`scan_demand` of a batch's parts in one statement, not one per scan (parts already read are kept)."""
    session.info[_CACHE] = cache
    ids = sorted({int(p) for p in part_ids if ("demand", p) not in cache})
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        among = ", ".join(str(p) for p in chunk)  # ints from the catalog: no quoting to get wrong
        found = {p: [0, False] for p in chunk}
        sql = (
            f'SELECT "part_id", "qty", 0 FROM "{ReservedTotal.__tablename__}" WHERE "part_id" IN ({among})'
            f' UNION ALL SELECT DISTINCT "part_id", 0, 1 FROM "{PartRequest.__tablename__}"'
            f' WHERE "part_id" IN ({among}) AND "status" IN ({_OPEN})'
        )
        for part_id, total, lines in rawsql.run(session, rawsql.Statement(sql)):
            entry = found[int(part_id)]
            entry[0] += int(total or 0)
            entry[1] = entry[1] or bool(lines)
        for part_id, (total, lines) in found.items():
            cache[("demand", part_id)] = (total, lines)


def forget_demand(session: Session, part_id: int, cache: MutableMapping[Any, Any] | None = None) -> None:
    """The part's total or request lines change: its demand in the scan's cache (this one, or the session's) is
    read again."""
    cache = session.info.get(_CACHE) if cache is None else cache
    if cache:
        cache.pop(("demand", part_id), None)


def lines_flushed(session: Session, _ctx: Any) -> None:
    """Request lines made, changed or removed through the ORM change their parts' demand."""
    cache = session.info.get(_CACHE)
    if cache:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, PartRequest):
                forget_demand(session, obj.part_id, cache)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _sync(session: Session) -> None:
    """Flush ORM changes to the rows read below (the statements run on the DBAPI cursor, which does not autoflush)."""
    if any(isinstance(o, _WATCHED) for o in (*session.new, *session.dirty)):
        session.flush()


def _lock_part(session: Session, part_id: int) -> int:
    """Lock the part's levels then its total (see the module docstring); return on-hand."""
    _sync(session)
    return sum(int(q) for q, pickable in rawsql.run(session, _LEVELS[_pg(session)], (part_id,)) if pickable)


def _total(session: Session, part_id: int, lock: bool) -> int:
    rows = rawsql.run(session, _TOTAL[lock and _pg(session)], (part_id,))
    return int(rows[0][0] or 0) if rows else 0


def _add_total(session: Session, part_id: int, delta: int, exists: bool | None = None) -> None:
    """Change the part's total; `exists` when the caller just read the row (saves the insert attempt)."""
    forget_demand(session, part_id)
    if exists is False:
        rawsql.run(session, _NEW_TOTAL, (part_id, delta))
        return
    cursor_rows = (
        session.connection()
        .exec_driver_sql(_ADD_TOTAL.compiled(session.get_bind().dialect).sql, (delta, part_id))
        .rowcount
    )
    if not cursor_rows:
        rawsql.run(session, _NEW_TOTAL, (part_id, delta))


def pickable_bins() -> Any:
    """The ids of bins whose stock is available (a subquery): store bins, not quarantine, receiving, core or scrap."""
    return select(Location.id).where(Location.kind.in_(AVAILABLE_KINDS))


def availability(session: Session, part_id: int) -> Availability:
    """On-hand (in pickable bins) and reserved of one part, read without locks (for people deciding, not rules)."""
    on_hand = session.scalar(
        select(func.coalesce(func.sum(StockLevel.qty), 0)).where(
            StockLevel.part_id == part_id, StockLevel.location_id.in_(pickable_bins())
        )
    )
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
            .where(StockLevel.part_id.in_(ids), StockLevel.location_id.in_(pickable_bins()))
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


def reserve(
    session: Session, part_id: int, qty: int, holder: Holder, on_hand: int | None = None, fresh: bool = False
) -> int:
    """Hold up to `qty` more units of a part for `holder`; return how many were held (0..qty).

    `on_hand` is for the scan path only: its ledger already holds the part's level rows
    (locked on PostgreSQL) and knows the on-hand including moves not yet written.
    `fresh` says the holder was made in this transaction and holds nothing yet (saves a lookup).
    """
    if qty <= 0:
        raise ValueError("a reservation needs a positive quantity")
    if on_hand is None:
        on_hand = _lock_part(session, part_id)
    else:
        _sync(session)
    rows = rawsql.run(session, _TOTAL[_pg(session)], (part_id,))
    total = int(rows[0][0] or 0) if rows else 0
    take = min(qty, max(0, on_hand - total))
    if take == 0:
        return 0
    row = (
        None
        if fresh
        else session.execute(
            select(Reservation.id, Reservation.part_id).where(
                Reservation.holder == holder.kind, Reservation.holder_id == holder.id
            )
        ).first()
    )
    if row is None:
        rawsql.run(session, _NEW_HOLD, (part_id, take, holder.kind, holder.id, holder.work_order_id, clock.now()))
    elif row.part_id != part_id:
        raise ValueError(f"{holder.kind} {holder.id} already holds another part")
    else:
        session.execute(update(Reservation).where(Reservation.id == row.id).values(qty=Reservation.qty + take))
    _add_total(session, part_id, take, exists=bool(rows))
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


# -- the scan path: stock leaving the shelf for its holder ----------------------------------------------
# Raw statements (floor.core.rawsql): the scan path runs them on every issue and pick, and
# SQLAlchemy's statement building costs more than the database work. Same invariant and lock
# order as `release`: the part's level rows, then its total, then the hold.
_RES = table_of(Reservation)
_HELD = rawsql.select_where(_RES, ["id", "part_id", "qty"], ["holder", "holder_id"])
_SET_HELD = rawsql.update_where(_RES, ["qty"], ["id"])
_DROP_HELD = rawsql.Statement(f'DELETE FROM "{_RES.name}" WHERE "id" = ?')
_LESS_TOTAL = rawsql.Statement(f'UPDATE "{ReservedTotal.__tablename__}" SET "qty" = "qty" - ? WHERE "part_id" = ?')


def _take(session: Session, res_id: int, part_id: int, held_qty: int, qty: int) -> int:
    """Take up to `qty` units out of one hold whose part rows the caller holds; return how many."""
    give = min(qty, int(held_qty))
    if give <= 0:
        return 0
    if give == held_qty:
        rawsql.run(session, _DROP_HELD, (res_id,))
    else:
        rawsql.run(session, _SET_HELD, (held_qty - give, res_id))
    rawsql.run(session, _LESS_TOTAL, (give, part_id))
    forget_demand(session, part_id)
    return give


def consume_locked(session: Session, holder: Holder, part_id: int, qty: int) -> int:
    """`release` for the scan path, whose ledger already holds the part's level rows (locked on PostgreSQL).

    An issue of held stock to a job (parts demand): the same rows change as in `release`, in the same order.
    """
    rows = rawsql.run(session, _HELD, (holder.kind, holder.id))
    if not rows or qty <= 0:
        return 0
    res_id, _part, held_qty = rows[0]
    return _take(session, res_id, part_id, held_qty, qty)


def consume(session: Session, holder: Holder, qty: int, row: tuple[int, int, int] | None = None) -> int:
    """Take up to `qty` units out of the holder's hold because they leave the shelf for it; return how many.

    `release` for a sale's pick: it locks the part's level rows then its total itself (PostgreSQL;
    SQLite has one writer). `row` is the hold's (reservation id, part id, qty) when the caller has just read it.
    """
    rows = [row] if row is not None else rawsql.run(session, _HELD, (holder.kind, holder.id))
    if not rows or qty <= 0:
        return 0
    res_id, part_id, held_qty = rows[0]
    if _pg(session):
        rawsql.run(session, _LEVELS[True], (part_id,))
        rawsql.run(session, _TOTAL[True], (part_id,))
    return _take(session, res_id, part_id, held_qty, qty)
