"""The report summaries, written in the transaction of the ledger moves they sum (no nightly batch).

The KPIs of a year read the stock value at every instant and each part's runs at zero; read from
the moves, that is a pass over a million rows (seconds). Two summaries answer them instead:

- `stock_value_hours`: per UTC hour, the value of the moves outside scrap bins (Σ qty × unit cost),
  that value times the seconds each move came after the hour (so a time-weighted average over any
  span is exact), and the cost and units consumed (issues, returns, sales, cancelled sales and
  the undo of an issue or return). Hours are additive: moves may arrive in any order.
- `store_stock` and `stockout_spans`: per part, the on-hand over all store bins, and the runs at
  zero (on hand <= 0) as spans of time. A part's moves are walked in time order; a move older
  than the part's latest (an offline handheld's upload) rebuilds that part's runs from the ledger.

`Ledger.flush` calls `record` after writing the moves; `rebuild` recomputes everything from the
ledger (the migration, data loaded around the ledger); a bin whose kind changes between store,
scrap and others has its moves re-summed in the flush that changes it (`_kind_changed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.models import Location, StockoutSpan, StockValueHour, StoreStock, UTCDateTime
from floor.models.base import table_of


class Move(Protocol):
    """What the summaries read of a ledger move (floor.core.ledger.Move)."""

    id: int
    part_id: int
    location_id: int
    qty: int
    reason: str
    at: datetime
    unit_cost: Decimal
    work_order_id: int | None


# Moves that consume stock (and their reversal): issues to jobs and returns from them, sales and
# cancelled sales, and an UNDO of an issue or return (an undo that carries a job).
CONSUMPTION_REASONS = ("issue", "return", "sale", "sale_cancel")
_CONSUMING = frozenset(CONSUMPTION_REASONS)
STORE, SCRAP = "store", "scrap"
_US = Decimal(1_000_000)
_ZERO = Decimal(0)
_Q4 = Decimal("0.0001")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000


def is_consumption(reason: str, work_order_id: int | None) -> bool:
    """Whether a move counts in the cost of parts issued and sold."""
    return reason in CONSUMPTION_REASONS or (reason == "undo" and work_order_id is not None)


def consumption_sql(alias: str = "") -> str:
    """The same rule as a SQL condition on stock_moves (optionally qualified by a table alias)."""
    a = f"{alias}." if alias else ""
    reasons = ", ".join(f"'{r}'" for r in CONSUMPTION_REASONS)
    return f"({a}reason IN ({reasons}) OR ({a}reason = 'undo' AND {a}work_order_id IS NOT NULL))"


_HOURS = table_of(StockValueHour)
_HOUR_COLS = [_HOURS.c[n] for n in ("hour", "value", "value_secs", "consumed_cost", "consumed_qty")]


def _add_hours(writer: str) -> rawsql.Statement:
    sums = ", ".join(
        f'"{n}" = "stock_value_hours"."{n}" + excluded."{n}"'
        for n in ("value", "value_secs", "consumed_cost", "consumed_qty")
    )
    return rawsql.Statement(
        'INSERT INTO "stock_value_hours" ("hour", "writer", "value", "value_secs", "consumed_cost", "consumed_qty")'
        f' VALUES (?, {writer}, ?, ?, ?, ?) ON CONFLICT ("hour", "writer") DO UPDATE SET {sums}',
        [c.type for c in _HOUR_COLS],
    )


# A PostgreSQL backend runs one transaction at a time, so its rows are never waited for.
_ADD_HOURS = {False: _add_hours("0"), True: _add_hours("pg_backend_pid()")}

_STATE = table_of(StoreStock)
_STATE_NAMES = ("part_id", "qty", "first_at", "last_us", "zero_since")
_PUT_STATE = rawsql.Statement(
    f'INSERT INTO "store_stock" ({", ".join(_STATE_NAMES)}) VALUES (?, ?, ?, ?, ?)'
    ' ON CONFLICT ("part_id") DO UPDATE SET "qty" = excluded."qty", "first_at" = excluded."first_at",'
    ' "last_us" = excluded."last_us", "zero_since" = excluded."zero_since"',
    [_STATE.c[n].type for n in _STATE_NAMES],
)
# The usual move neither ends nor starts a run at zero: only the on-hand and the latest move change.
_STEP_STATE = rawsql.update_where(_STATE, ["qty", "last_us"], ["part_id"])
_NEW_STATE = rawsql.Statement(
    'INSERT INTO "store_stock" ("part_id", "qty") VALUES (?, 0) ON CONFLICT ("part_id") DO NOTHING'
)
_SPANS = table_of(StockoutSpan)
_ADD_SPAN = rawsql.insert_into(_SPANS, ["part_id", "since", "until"])
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


def record(session: Session, moves: Sequence[Move], kinds: Mapping[int, str], pg: bool) -> None:
    """Add one flush's moves (already inserted) to the summaries; `kinds`: location id -> kind."""
    if not moves:
        return
    hours: dict[int, list[Any]] = {}
    store: dict[int, list[tuple[int, int, int, datetime]]] = {}
    epoch, hour_us, used = _EPOCH, _HOUR_US, _CONSUMING  # locals: this loop runs once per move
    for m in moves:
        kind = kinds[m.location_id]
        at, qty = m.at, m.qty
        d = at - epoch
        us = (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds
        hour, within = divmod(us, hour_us)
        sums = hours.get(hour)
        if sums is None:
            sums = hours[hour] = [_ZERO, _ZERO, _ZERO, 0]
        value = m.unit_cost * qty
        if kind != SCRAP:
            sums[0] += value
            sums[1] += value * within
        if m.reason in used or (m.reason == "undo" and m.work_order_id is not None):
            sums[2] -= value
            sums[3] -= qty
        if kind == STORE:
            found = store.get(m.part_id)
            if found is None:
                store[m.part_id] = [(us, m.id, qty, at)]
            else:
                found.append((us, m.id, qty, at))
    conn = session.connection()
    rows = [(h, v, (vs / _US).quantize(_Q4), c, u) for h, (v, vs, c, u) in sorted(hours.items())]
    parts = sorted(store)
    if pg:
        # One round trip: the hours added, and the parts' state rows read and locked in part order.
        known = _add_and_lock_pg(session, conn, rows, parts)
    else:
        rawsql.run_many(session, _ADD_HOURS[pg], [(_EPOCH + timedelta(hours=r[0]), *r[1:]) for r in rows], conn)
        known = {int(p): (int(q), last) for p, q, last in _select(session, conn, parts, False, False)}
    if store:
        _advance(session, conn, pg, store, known)


_HOURS_SET = (
    "ON CONFLICT (hour, writer) DO UPDATE SET value = stock_value_hours.value + excluded.value,"
    " value_secs = stock_value_hours.value_secs + excluded.value_secs,"
    " consumed_cost = stock_value_hours.consumed_cost + excluded.consumed_cost,"
    " consumed_qty = stock_value_hours.consumed_qty + excluded.consumed_qty"
)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_FEW = 8  # up to this many rows are bound as plain values, more as one array per column
_HOUR_TYPES = ("timestamp", "numeric", "numeric", "numeric", "bigint")
_STEP_TYPES = ("integer", "integer", "bigint")
_BY_SHAPE: dict[tuple[str, int, int], rawsql.Statement] = {}


def _rows(types: tuple[str, ...], n: int, fixed: str = "") -> str:
    """n rows of parameters as `VALUES (?, ...), ...`, or for many one `SELECT ... FROM unnest(?::type[], ...)`.

    Plain values cost psycopg a third of the CPU of arrays to bind, arrays one parameter per column.
    `fixed`: an expression put in as the second column of every row.
    """
    names = [f"c{i}" for i in range(len(types))]
    if n > _FEW:
        cols = [f"x.{c}" for c in names]
        if fixed:
            cols.insert(1, fixed)
        arrays = ", ".join(f"?::{t}[]" for t in types)
        return f"SELECT {', '.join(cols)} FROM unnest({arrays}) AS x ({', '.join(names)})"
    cells = [f"?::{t}" for t in types]
    if fixed:
        cells.insert(1, fixed)
    return "VALUES " + ", ".join([f"({', '.join(cells)})"] * n)


def _params(rows: Sequence[Sequence[Any]]) -> list[Any]:
    """Parameters for `_rows`: row by row for a few rows, else one list per column."""
    if len(rows) > _FEW:
        return [list(col) for col in zip(*rows, strict=True)]
    return [x for row in rows for x in row]


def _shape(kind: str, a: int, b: int = 0) -> rawsql.Statement:
    """A PostgreSQL statement of the summaries by kind and row counts (kept: counts above _FEW share one)."""
    key = (kind, min(a, _FEW + 1), min(b, _FEW + 1))
    stmt = _BY_SHAPE.get(key)
    if stmt is None:
        if kind == "add_lock":
            insert = (
                "INSERT INTO stock_value_hours (hour, writer, value, value_secs, consumed_cost, consumed_qty)"
                f" {_rows(_HOUR_TYPES, a, 'pg_backend_pid()')} {_HOURS_SET}"
            )
            among = f"IN ({', '.join('?' for _ in range(b))})" if b <= _FEW else "= ANY(?::integer[])"
            sql = (
                f"WITH hours AS ({insert}) SELECT part_id, qty, last_us FROM store_stock"
                f" WHERE part_id {among} ORDER BY part_id FOR UPDATE"
                if b
                else insert
            )
        else:  # "step": the new on-hand and latest move of parts whose moves end and start no run at zero
            sql = (
                "UPDATE store_stock AS s SET qty = x.qty, last_us = x.last_us"
                f" FROM ({_rows(_STEP_TYPES, a)}) AS x (part_id, qty, last_us) WHERE s.part_id = x.part_id"
            )
        stmt = rawsql.Statement(sql)
        _BY_SHAPE[key] = stmt
    return stmt


def _add_and_lock_pg(
    session: Session, conn: Connection, hours: list[tuple[Any, ...]], parts: list[int]
) -> dict[int, tuple[int, int | None]]:
    """Add the hours and read the parts' (on-hand, latest move), locked in part order (PostgreSQL).

    Every part of the flush is locked by this one statement, in one order, so two writers of the same
    parts cannot each hold one the other waits for.
    """
    hour_rows = [(_EPOCH_NAIVE + timedelta(hours=h[0]), *h[1:]) for h in hours]  # naive UTC, as stored
    among: list[Any] = list(parts) if len(parts) <= _FEW else [list(parts)]
    rows = rawsql.run(session, _shape("add_lock", len(hour_rows), len(parts)), _params(hour_rows) + among, conn)
    found = {int(p): (int(q), last) for p, q, last in rows}
    missing = [p for p in parts if p not in found]
    while missing:
        # A part's first store move: create its row, then lock it (a second writer waits here for the
        # first). A row deleted while this one waited for it (a full rebuild) is looked for again.
        rawsql.run_many(session, _NEW_STATE, [(p,) for p in missing], conn)
        found.update((int(p), (int(q), last)) for p, q, last in _select(session, conn, missing, True, False))
        missing = [p for p in missing if p not in found]
    return found


def _select(session: Session, conn: Connection, parts: list[int], lock: bool, full: bool) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(parts), 500):
        chunk = parts[i : i + 500]
        rows.extend(rawsql.run(session, _states_of(len(chunk), lock, full), chunk, conn))
    return rows


def _step(qty: int, moves: list[tuple[int, int, int, datetime]]) -> int | None:
    """The on-hand after the moves, or None when walking them from `qty` reaches zero from above or leaves it."""
    above = qty > 0
    for move in moves:
        qty += move[2]
        if (qty > 0) is not above:
            return None
    return qty


def _advance(
    session: Session,
    conn: Connection,
    pg: bool,
    store: dict[int, list[tuple[int, int, int, datetime]]],
    known: dict[int, tuple[int, int | None]],
) -> None:
    """Walk each part's store moves of this flush on from its (locked) state; end and start its runs at zero."""
    steps: list[tuple[int, int, int]] = []
    walk: list[int] = []
    late: list[int] = []
    for part_id in sorted(store):
        moves = store[part_id]
        moves.sort()  # (instant, id): the ledger's order
        qty, last = known.get(part_id) or (0, None)
        if last is None:
            walk.append(part_id)  # its first store move
        elif moves[0][0] < last:
            late.append(part_id)  # older than what was walked: walk the part again from the ledger
        else:
            after = _step(qty, moves)
            if after is None:
                walk.append(part_id)  # a run at zero ends or starts
            else:
                steps.append((part_id, after, moves[-1][0]))
    if steps and pg:  # one statement for them all (psycopg runs an executemany row by row)
        rawsql.run(session, _shape("step", len(steps)), _params(steps), conn)
    elif steps:
        rawsql.run_many(session, _STEP_STATE, [(q, last, p) for p, q, last in steps], conn)
    if walk:
        runs = {int(r[0]): Run(int(r[1]), r[2], r[3], r[4]) for r in _select(session, conn, walk, False, True)}
        rows: list[tuple[Any, ...]] = []
        spans: list[tuple[Any, ...]] = []
        for part_id in walk:
            run = runs.get(part_id) or Run()
            spans.extend((part_id, since, until) for since, until in run.walk((m[3], m[2]) for m in store[part_id]))
            rows.append(run.row(part_id))
        rawsql.run_many(session, _PUT_STATE, rows, conn)
        if spans:
            rawsql.run_many(session, _ADD_SPAN, spans, conn)
    if late:
        rebuild_runs(session, late)


# -- from the ledger -----------------------------------------------------------------------------

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
    rawsql.run_many(session, _PUT_STATE, [run.row(p) for p, (run, _s) in sorted(walked.items())])
    rawsql.run_many(
        session, _ADD_SPAN, [(p, since, until) for p, (_r, ended) in walked.items() for since, until in ended]
    )


def _hours_select(pg: bool, where: str = "", sign: int = 1) -> str:
    """SELECT h, v, vs, c, u: the hour rows summed from the ledger (scrap bins valued 0), narrowed by `where`."""
    if pg:
        hour, secs = "date_trunc('hour', at)", "EXTRACT(EPOCH FROM at - date_trunc('hour', at))"
    else:  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'
        hour = "substr(at, 1, 13) || ':00:00.000000'"
        secs = "(CAST(substr(at, 15, 2) AS INTEGER) * 60 + CAST(substr(at, 18) AS REAL))"
    valued = (
        f"CASE WHEN location_id IN (SELECT id FROM locations WHERE kind = '{SCRAP}') THEN 0 ELSE qty * unit_cost END"
    )
    used = consumption_sql()
    return (
        f"SELECT {hour} AS h, {sign} * SUM({valued}) AS v, {sign} * SUM(({valued}) * {secs}) AS vs,"
        f" {sign} * SUM(CASE WHEN {used} THEN -qty * unit_cost ELSE 0 END) AS c,"
        f" {sign} * SUM(CASE WHEN {used} THEN -qty ELSE 0 END) AS u"
        f" FROM stock_moves{where} GROUP BY {hour}"
    )


_INTO_HOURS = "INSERT INTO stock_value_hours (hour, writer, value, value_secs, consumed_cost, consumed_qty) "


def rebuild_hours(session: Session) -> None:
    """Rewrite the value hours from the ledger."""
    pg = session.get_bind().dialect.name == "postgresql"
    session.execute(text("DELETE FROM stock_value_hours"))
    session.execute(text(f"{_INTO_HOURS}SELECT h, 0, v, vs, c, u FROM ({_hours_select(pg)}) x"))


def _revalue_bin(session: Session, location_id: int, was_scrap: bool) -> None:
    """A bin became scrap (or stopped being scrap): take its moves' value out of (or put it into) the hours."""
    pg = session.get_bind().dialect.name == "postgresql"
    # The bin's new kind is flushed already, so `_hours_select` values its moves as they now count;
    # adding that (or taking it away) moves them from one side to the other. Consumption stays.
    sign = 1 if was_scrap else -1
    valued = f"CASE WHEN location_id = {int(location_id)} THEN qty * unit_cost ELSE 0 END"
    secs = (
        "EXTRACT(EPOCH FROM at - date_trunc('hour', at))"
        if pg
        else "(CAST(substr(at, 15, 2) AS INTEGER) * 60 + CAST(substr(at, 18) AS REAL))"
    )
    hour = "date_trunc('hour', at)" if pg else "substr(at, 1, 13) || ':00:00.000000'"
    writer = "pg_backend_pid()" if pg else "0"
    session.execute(
        text(
            f"{_INTO_HOURS}SELECT {hour}, {writer}, {sign} * SUM({valued}), {sign} * SUM(({valued}) * {secs}), 0, 0"
            f" FROM stock_moves WHERE location_id = {int(location_id)} GROUP BY {hour}"
            ' ON CONFLICT ("hour", "writer") DO UPDATE SET "value" = stock_value_hours."value" + excluded."value",'
            ' "value_secs" = stock_value_hours."value_secs" + excluded."value_secs"'
        )
    )


@event.listens_for(Session, "after_flush")
def _kind_changed(session: Session, _ctx: Any) -> None:
    """A bin's kind changed between store, scrap and the others: re-sum what its moves count in."""
    for obj in list(session.dirty):
        if not isinstance(obj, Location):
            continue
        hist = inspect(obj).attrs.kind.history
        if not hist.deleted or not hist.added:
            continue
        old, new = hist.deleted[0], hist.added[0]
        if (old == SCRAP) != (new == SCRAP):
            _revalue_bin(session, obj.id, old == SCRAP)
        if (old == STORE) != (new == STORE):
            parts = session.scalars(
                text("SELECT DISTINCT part_id FROM stock_moves WHERE location_id = :loc ORDER BY part_id"),
                {"loc": obj.id},
            ).all()
            rebuild_runs(session, [int(p) for p in parts])


def rebuild(session: Session) -> None:
    """Rewrite every summary from the ledger (after loading moves around the Ledger, or to repair)."""
    rebuild_hours(session)
    rebuild_runs(session)
