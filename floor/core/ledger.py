"""The stock ledger: moves and levels written together, and on-hand at any moment.

`Ledger` is the unit of work of one write transaction. It locks and caches the
stock levels it touches, refuses moves that would drive a bin negative, buffers
the moves and writes them (and the new levels) in bulk at `flush`. A per-scan
journal lets a rejected scan leave no trace in the buffers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, and_, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from floor.core import ledger_summary, rawsql
from floor.models import Location, StockLevel, StockMove
from floor.models.base import table_of
from floor.models.ledger import MoveReason

# Moves that carry a work order are exactly its issues, returns and their undos,
# so a job's net issued quantity is minus the sum of its moves.
WO_REASONS = (MoveReason.ISSUE.value, MoveReason.RETURN.value, MoveReason.UNDO.value)
_MOVE_COLUMNS = (
    "id",
    "part_id",
    "location_id",
    "qty",
    "reason",
    "at",
    "unit_cost",
    "work_order_id",
    "actor_id",
    "event_id",
    "ref",
    "reverses_id",
)
_INSERT_MOVES = rawsql.insert_into(table_of(StockMove), _MOVE_COLUMNS)
_UPDATE_LEVEL = rawsql.update_where(table_of(StockLevel), ["qty"], ["part_id", "location_id"])
_LEVELS_OF: dict[tuple[int, bool], rawsql.Statement] = {}  # (number of parts, lock) -> statement


def _levels_of(count: int, lock: bool) -> rawsql.Statement:
    """SELECT of the levels of `count` parts in every bin, sorted (so locks are taken in one order)."""
    stmt = _LEVELS_OF.get((count, lock))
    if stmt is None:
        marks = ", ".join("?" for _ in range(count))
        stmt = rawsql.Statement(
            f'SELECT "part_id", "location_id", "qty" FROM "{StockLevel.__tablename__}" WHERE "part_id" IN ({marks})'
            f' ORDER BY "part_id", "location_id"{" FOR UPDATE" if lock else ""}'
        )
        if count <= 64:  # the usual batch sizes; rarer ones are built each time
            _LEVELS_OF[(count, lock)] = stmt
    return stmt


class NegativeStock(Exception):
    """A move would take a bin below zero for a part that does not allow it."""

    def __init__(self, part_id: int, location_id: int, on_hand: int, qty: int) -> None:
        super().__init__(f"part {part_id} in bin {location_id}: on hand {on_hand}, move {qty}")
        self.part_id, self.location_id, self.on_hand, self.qty = part_id, location_id, on_hand, qty


@dataclass
class Move:
    """A buffered stock move (written at flush)."""

    id: int
    part_id: int
    location_id: int
    qty: int
    reason: str
    at: datetime
    unit_cost: Decimal
    work_order_id: int | None = None
    actor_id: int | None = None
    event_id: int | None = None
    ref: str | None = None
    reverses_id: int | None = None

    def values(self) -> tuple[Any, ...]:
        """The move's column values in insert order."""
        return (
            self.id,
            self.part_id,
            self.location_id,
            self.qty,
            self.reason,
            self.at,
            self.unit_cost,
            self.work_order_id,
            self.actor_id,
            self.event_id,
            self.ref,
            self.reverses_id,
        )


class IdAllocator:
    """Hands out primary keys before rows are inserted, so buffered rows can refer to each other.

    On SQLite the writer holds the database lock, so max(id)+1 is safe; on
    PostgreSQL ids come from the table's sequence in blocks.
    """

    def __init__(self, session: Session, table: Table, block: int = 64) -> None:
        self.session, self.table, self.block = session, table, block
        self.pg = session.get_bind().dialect.name == "postgresql"
        self._ids: list[int] = []
        self._next: int | None = None

    def seed(self, max_id: int | None) -> None:
        """Start after a max(id) the caller already read (SQLite only: saves a query)."""
        if not self.pg:
            self._next = (max_id or 0) + 1

    def next(self) -> int:
        """The next free id."""
        if not self.pg:
            if self._next is None:
                self._next = (self.session.scalar(select(func.max(self.table.c.id))) or 0) + 1
            value, self._next = self._next, self._next + 1
            return value
        if not self._ids:
            seq = f"{self.table.name}_id_seq"
            self._ids = list(
                self.session.scalars(text(f"SELECT nextval('{seq}') FROM generate_series(1, :n)"), {"n": self.block})
            )
        return self._ids.pop(0)


class Ledger:
    """The stock side of one write transaction: locked levels, buffered moves, a journal."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pg = session.get_bind().dialect.name == "postgresql"
        self.levels: dict[tuple[int, int], int] = {}
        self.changed: set[tuple[int, int]] = set()
        self.moves: list[Move] = []
        self.wo_base: dict[tuple[int, int], int] = {}  # net issued before this transaction, loaded lazily
        self.wo_delta: dict[tuple[int, int], int] = {}  # change of net issued within this transaction
        self.ids = IdAllocator(session, table_of(StockMove))
        self._journal: list[Callable[[], object]] = []
        self._journaling = False  # only the scan path takes changes back, and it calls mark() first
        # Bin kinds for the report summaries: the scan path hands in its catalog's bins (id -> info
        # with .kind), so a flush asks the database only for bins the catalog does not know.
        self.locations: Mapping[int, Any] = {}
        self._kinds: dict[int, str] = {}

    # -- reading (with row locks on PostgreSQL) ---------------------------------
    def on_hand(self, part_id: int, location_id: int) -> int:
        """Current on-hand of a part in a bin, including this transaction's moves."""
        key = (part_id, location_id)
        qty = self.levels.get(key)
        if qty is None:
            qty = self._load_level(part_id, location_id)
            self.levels[key] = qty
        return qty

    def _load_level(self, part_id: int, location_id: int) -> int:
        cond = and_(StockLevel.part_id == part_id, StockLevel.location_id == location_id)
        stmt = select(StockLevel.qty).where(cond)
        if self.pg:
            stmt = stmt.with_for_update()
        qty = self.session.scalar(stmt)
        if qty is None:
            ins = (
                (pg_insert if self.pg else sqlite_insert)(StockLevel)
                .values(part_id=part_id, location_id=location_id, qty=0)
                .on_conflict_do_nothing()
            )
            self.session.execute(ins)
            qty = self.session.scalar(stmt)
        return int(qty or 0)

    def prefetch(self, part_ids: set[int]) -> None:
        """Load (and on PostgreSQL lock) the levels of these parts in every bin with one query."""
        todo = sorted(p for p in part_ids if not any(k[0] == p for k in self.levels))
        for i in range(0, len(todo), 500):
            chunk = todo[i : i + 500]
            for part_id, location_id, qty in rawsql.run(self.session, _levels_of(len(chunk), self.pg), chunk):
                self.levels.setdefault((part_id, location_id), int(qty))

    def wo_issued(self, work_order_id: int, part_id: int) -> int:
        """Net quantity of a part issued to a job (issues minus returns), this transaction included."""
        key = (work_order_id, part_id)
        base = self.wo_base.get(key)
        if base is None:
            total = self.session.scalar(
                select(func.coalesce(func.sum(StockMove.qty), 0)).where(
                    StockMove.work_order_id == work_order_id, StockMove.part_id == part_id
                )
            )
            base = self.wo_base[key] = -int(total or 0)
        return base + self.wo_delta.get(key, 0)

    # -- writing ---------------------------------------------------------------
    def move(
        self,
        part_id: int,
        location_id: int,
        qty: int,
        reason: str,
        at: datetime,
        unit_cost: Decimal,
        allow_negative: bool = False,
        **fields: Any,
    ) -> Move:
        """Buffer one move after checking the bin stays non-negative; return it."""
        key = (part_id, location_id)
        before = self.on_hand(part_id, location_id)
        if qty < 0 and before + qty < 0 and not allow_negative:
            raise NegativeStock(part_id, location_id, before, qty)
        self._set(self.levels, key, before + qty)
        if self._journaling and key not in self.changed:
            self._journal.append(lambda: self.changed.discard(key))
        self.changed.add(key)
        wo = fields.get("work_order_id")
        if wo is not None:
            self.wo_delta.setdefault((wo, part_id), 0)
            self._set(self.wo_delta, (wo, part_id), self.wo_delta[(wo, part_id)] - qty)
        mv = Move(self.ids.next(), part_id, location_id, qty, reason, at, unit_cost, **fields)
        self.moves.append(mv)
        if self._journaling:
            self._journal.append(self.moves.pop)
        return mv

    def _set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        if self._journaling:
            old = table[key]
            self._journal.append(lambda: table.__setitem__(key, old))
        table[key] = value

    # -- per-scan journal ------------------------------------------------------
    def mark(self) -> None:
        """Start a scan: changes after this can be taken back with `rollback_to_mark`."""
        self._journaling = True
        self._journal.clear()

    def rollback_to_mark(self) -> None:
        """Undo every buffered change since `mark` (a rejected scan changes nothing)."""
        while self._journal:
            self._journal.pop()()

    def moves_of_event(self, event_id: int) -> list[Move]:
        """The moves a scan event made, from this transaction's buffer or the database."""
        buffered = [m for m in self.moves if m.event_id == event_id]
        if buffered:
            return buffered
        rows = self.session.execute(
            select(StockMove).where(StockMove.event_id == event_id).order_by(StockMove.id)
        ).scalars()
        return [
            Move(
                r.id,
                r.part_id,
                r.location_id,
                r.qty,
                r.reason,
                r.at,
                Decimal(r.unit_cost),
                r.work_order_id,
                r.actor_id,
                r.event_id,
                r.ref,
                r.reverses_id,
            )
            for r in rows
        ]

    def _kinds_of(self, moves: list[Move]) -> dict[int, str]:
        """The kind of every bin the moves touch."""
        kinds = self._kinds
        missing: set[int] = set()
        for m in moves:
            loc = m.location_id
            if loc not in kinds:
                info = self.locations.get(loc)
                if info is not None:
                    kinds[loc] = info.kind
                else:
                    missing.add(loc)
        if missing:
            for loc, kind in self.session.execute(select(Location.id, Location.kind).where(Location.id.in_(missing))):
                kinds[loc] = kind
        return kinds

    def flush(self) -> None:
        """Write buffered moves and the changed levels, and add the moves to the report summaries."""
        if self.moves:
            moves = self.moves
            rawsql.run_many(self.session, _INSERT_MOVES, [m.values() for m in moves])
            ledger_summary.record(self.session, moves, self._kinds_of(moves), self.pg)
            self.moves = []
        if self.changed:
            # Sorted: concurrent PostgreSQL writers touch rows in one order.
            rawsql.run_many(self.session, _UPDATE_LEVEL, [(self.levels[key], *key) for key in sorted(self.changed)])
            self.changed.clear()
        self._journal.clear()


def on_hand_at(session: Session, part_id: int, location_id: int | None, at: datetime) -> int:
    """On-hand of a part (in one bin, or in all bins) as of a moment, summed from the ledger."""
    stmt = select(func.coalesce(func.sum(StockMove.qty), 0)).where(StockMove.part_id == part_id, StockMove.at <= at)
    if location_id is not None:
        stmt = stmt.where(StockMove.location_id == location_id)
    return int(session.scalar(stmt) or 0)


def bins_of(session: Session, part_id: int) -> dict[int, int]:
    """Current on-hand per bin of one part (bins with a non-zero quantity)."""
    rows = session.execute(
        select(StockLevel.location_id, StockLevel.qty).where(StockLevel.part_id == part_id, StockLevel.qty != 0)
    )
    return {loc: int(qty) for loc, qty in rows}


def totals_by_part(session: Session) -> dict[int, int]:
    """Current on-hand of every part over all bins."""
    out: dict[int, int] = defaultdict(int)
    for part_id, qty in session.execute(
        select(StockLevel.part_id, func.sum(StockLevel.qty)).group_by(StockLevel.part_id)
    ):
        out[part_id] = int(qty)
    return out
