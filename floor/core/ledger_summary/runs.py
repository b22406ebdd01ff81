"""Each part's on-hand over the store bins and its runs at zero: the state rows, and walking them from the ledger."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.models import StockoutSpan, StoreStock, UTCDateTime
from floor.models.base import table_of

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_STATE = table_of(StoreStock)
_STATE_NAMES = ("part_id", "qty", "first_at", "last_us", "zero_since")
PUT_STATE = rawsql.Statement(
    f'INSERT INTO "store_stock" ({", ".join(_STATE_NAMES)}) VALUES (?, ?, ?, ?, ?)'
    ' ON CONFLICT ("part_id") DO UPDATE SET "qty" = excluded."qty", "first_at" = excluded."first_at",'
    ' "last_us" = excluded."last_us", "zero_since" = excluded."zero_since"',
    [_STATE.c[n].type for n in _STATE_NAMES],
)
# The usual move neither ends nor starts a run at zero: only the on-hand and the latest move change.
STEP_STATE = rawsql.update_where(_STATE, ["qty", "last_us"], ["part_id"])
NEW_STATE = rawsql.Statement(
    'INSERT INTO "store_stock" ("part_id", "qty") VALUES (?, 0) ON CONFLICT ("part_id") DO NOTHING'
)
_SPANS = table_of(StockoutSpan)
ADD_SPAN = rawsql.insert_into(_SPANS, ["part_id", "since", "until"])
_SELECTS: dict[tuple[int, bool, bool], rawsql.Statement] = {}


def _states_of(count: int, lock: bool, full: bool = False) -> rawsql.Statement:
    """SELECT of `count` parts' store state (part, qty, last move; `full`: also first move and zero since), sorted.

    On PostgreSQL the rows are locked, in one order, for the rest of the transaction.
    """
    stmt = _SELECTS.get((count, lock, full))
    if stmt is None:
        names = _STATE_NAMES if full else ("part_id", "qty", "last_us")
        marks = ", ".join("?" for _ in range(count))
        stmt = rawsql.Statement(
            f'SELECT {", ".join(names)} FROM "store_stock" WHERE "part_id" IN ({marks})'
            f' ORDER BY "part_id"{" FOR UPDATE" if lock else ""}',
            (),
            [_STATE.c[n].type for n in names],
        )
        if count <= 64:  # the usual batch sizes; rarer ones are built each time
            _SELECTS[(count, lock, full)] = stmt
    return stmt


def micros(moment: datetime) -> int:
    """An instant as microseconds since 1970 UTC."""
    return (moment - _EPOCH) // _ONE_US


@dataclass
class Run:
    """A part's store on-hand after the moves walked so far, and since when it is at zero."""

    qty: int = 0
    first_at: datetime | None = None
    last_us: int | None = None
    zero_since: datetime | None = None  # meaningful while qty <= 0; None: since before the first move

    def walk(self, moves: Iterable[tuple[datetime, int]]) -> list[tuple[datetime | None, datetime]]:
        """Apply moves (in time order); return the runs at zero they end, as (since, until)."""
        ended: list[tuple[datetime | None, datetime]] = []
        qty, zero = self.qty, self.zero_since
        last: datetime | None = None
        for at, q in moves:
            new = qty + q
            if qty <= 0 < new:
                if zero is None or zero < at:  # a run of no length holds no instant
                    ended.append((zero, at))
            elif new <= 0 < qty:
                zero = at
            qty = new
            if self.first_at is None:
                self.first_at = at
            last = at
        if last is not None:
            self.last_us = max(self.last_us or 0, micros(last))
        self.qty, self.zero_since = qty, (zero if qty <= 0 else None)
        return ended

    def row(self, part_id: int) -> tuple[Any, ...]:
        """The store_stock row."""
        return (part_id, self.qty, self.first_at, self.last_us, self.zero_since)


def select_states(
    session: Session, conn: Connection, parts: list[int], lock: bool, full: bool
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(parts), 500):
        chunk = parts[i : i + 500]
        rows.extend(rawsql.run(session, _states_of(len(chunk), lock, full), chunk, conn))
    return rows


_STORE_MOVES = """
SELECT part_id, at, qty FROM stock_moves
WHERE location_id IN (SELECT id FROM locations WHERE kind = 'store'){parts}
ORDER BY part_id, at, id
"""


def runs_from_ledger(session: Session, part_ids: Sequence[int] | None = None) -> dict[int, tuple[Run, list[Any]]]:
    """Each part's store state and ended runs at zero, walked from the ledger (all parts, or these)."""
    out: dict[int, tuple[Run, list[Any]]] = {}
    chunks: list[Sequence[int] | None] = (
        [None] if part_ids is None else [part_ids[i : i + 500] for i in range(0, len(part_ids), 500)]
    )
    conv = UTCDateTime()
    for chunk in chunks:
        cond = "" if chunk is None else f" AND part_id IN ({', '.join(str(int(p)) for p in chunk)})"
        current: int | None = None
        batch: list[tuple[datetime, int]] = []

        def close(part_id: int | None, batch: list[tuple[datetime, int]]) -> None:
            if part_id is not None:
                run = Run()
                out[part_id] = (run, run.walk(batch))

        for part_id, at, qty in session.execute(text(_STORE_MOVES.format(parts=cond))):
            if part_id != current:
                close(current, batch)
                current, batch = part_id, []
            batch.append((conv.process_result_value(at, None), int(qty)))  # type: ignore[arg-type]
        close(current, batch)
    return out


def rebuild_runs(session: Session, part_ids: Sequence[int] | None = None) -> None:
    """Rewrite the store state and runs at zero of these parts (default: all) from the ledger.

    A named part's state row is rewritten in place, not deleted and inserted again: another writer
    waiting for its lock must find it when the lock is free (a row deleted meanwhile is skipped).
    """
    if part_ids is None:
        session.execute(text("DELETE FROM stockout_spans"))
        session.execute(text("DELETE FROM store_stock"))
    else:
        for i in range(0, len(part_ids), 500):
            ids = ", ".join(str(int(p)) for p in part_ids[i : i + 500])
            session.execute(text(f"DELETE FROM stockout_spans WHERE part_id IN ({ids})"))
    walked = runs_from_ledger(session, part_ids)
    gone = [int(p) for p in part_ids or () if int(p) not in walked]  # no store move left (a bin changed kind)
    for i in range(0, len(gone), 500):
        ids = ", ".join(str(p) for p in gone[i : i + 500])
        session.execute(text(f"DELETE FROM store_stock WHERE part_id IN ({ids})"))
    rawsql.run_many(session, PUT_STATE, [run.row(p) for p, (run, _s) in sorted(walked.items())])
    rawsql.run_many(
        session, ADD_SPAN, [(p, since, until) for p, (_r, ended) in walked.items() for since, until in ended]
    )


# A part's store moves from an instant on, in the ledger's order (the index on part, bin and time serves it).
_TAIL = text(
    "SELECT at, qty FROM stock_moves WHERE part_id = :p AND at >= :t"
    " AND location_id IN (SELECT id FROM locations WHERE kind = 'store') ORDER BY at, id"
).bindparams(bindparam("t", type_=UTCDateTime()))
# The part's runs at zero that hold or follow the instant just before `t`: they are walked again.
_CUT_SPANS = text("DELETE FROM stockout_spans WHERE part_id = :p AND until >= :t RETURNING since, until").bindparams(
    bindparam("t", type_=UTCDateTime())
)


def _instant(value: Any) -> datetime:
    """A time read by a plain text statement (SQLite gives text) as an aware UTC datetime."""
    moment = _CONV.process_result_value(value, None)  # type: ignore[arg-type]
    assert moment is not None
    return moment


_CONV = UTCDateTime()


def replay_tail(
    conn: Connection, part_id: int, start: datetime, state: Sequence[Any], total: int
) -> tuple[Run, list[Any]] | None:
    """Walk a part's runs again from `start` (its earliest late move) instead of from its first move.

    A move older than the part's latest changes the on-hand of every instant after it, and nothing
    before it: the runs that end before `start` stand, the ones holding or following it are cut and
    walked again from the on-hand just before `start` (`total`, the on-hand after every move, less the
    moves from `start` on). The work is the part's moves since `start` (an offline upload's minutes),
    not its history. `state` is its full store_stock row (part, qty, first_at, last_us, zero_since) as
    before this flush. None when the moves reach back to the part's first move: the caller walks it whole.
    """
    _part, qty, first_at, last_us, zero_since = state
    if first_at is None or start <= first_at:
        return None
    tail = [(_instant(at), int(q)) for at, q in conn.execute(_TAIL, {"p": part_id, "t": start})]
    before = total - sum(q for _at, q in tail)
    cut = [
        (None if s_ is None else _instant(s_), _instant(u))
        for s_, u in conn.execute(_CUT_SPANS, {"p": part_id, "t": start})
    ]
    since: datetime | None = None
    if before <= 0:  # at zero just before `start`: since when?
        holding = [(u, s_) for s_, u in cut if s_ is None or s_ < start]
        if holding:
            since = min(holding, key=lambda pair: pair[0])[1]  # the run that ended first after `start`
        elif int(qty) <= 0:
            since = zero_since  # the run still going before this flush
        else:
            return None  # the summary does not agree with the ledger: walk the part whole
    run = Run(before, first_at, last_us, since)
    return run, run.walk(tail)
