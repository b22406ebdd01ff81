"""The report summaries, written in the transaction of the ledger moves they sum (no nightly batch).

The KPIs of a year read the stock value at every instant and each part's runs at zero; read from
the moves, that is a pass over a million rows (seconds). Two summaries answer them instead:

- `stock_value_hours`: per UTC hour, the value of the moves outside scrap bins (Σ qty × unit cost),
  that value times the seconds each move came after the hour (so a time-weighted average over any
  span is exact), and the cost and units consumed (issues, returns, sales, cancelled sales and
  the undo of an issue or return). Hours are additive: moves may arrive in any order.
- `store_stock` and `stockout_spans`: per part, the on-hand over all store bins, and the runs at
  zero (on hand <= 0) as spans of time. A part's moves are walked in time order; a move older
  than the part's latest (an offline handheld's upload, or two counters whose scans commit in
  another order than they were read) walks that part's runs again from that move on
  (`replay_tail`: the moves since then, never the part's whole history).

`Ledger.flush` calls `record` after writing the moves; `rebuild` recomputes everything from the
ledger (the migration, data loaded around the ledger); a bin whose kind changes between store,
scrap and others has its moves re-summed in the flush that changes it (`kind_changed`, an
after_flush listener that `floor.core.wiring` installs).
Modules: `hours` (the value hours and what consumes), `runs` (the parts' state rows and walking
them from the ledger), `pg` (PostgreSQL's one-round-trip statements).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.core.ledger_summary.hours import (
    ADD_HOURS,
    CONSUMING,
    CONSUMPTION_REASONS,
    SCRAP,
    STORE,
    consumption_sql,
    rebuild_hours,
    revalue_bin,
)
from floor.core.ledger_summary.pg import add_and_lock_pg, params, shape
from floor.core.ledger_summary.runs import (
    ADD_SPAN,
    PUT_STATE,
    STEP_STATE,
    Run,
    rebuild_runs,
    replay_tail,
    runs_from_ledger,
    select_states,
)
from floor.models import Location

__all__ = [
    "CONSUMPTION_REASONS",
    "Run",
    "consumption_sql",
    "rebuild",
    "rebuild_hours",
    "rebuild_runs",
    "record",
    "runs_from_ledger",
]

_US = Decimal(1_000_000)
_ZERO = Decimal(0)
_Q4 = Decimal("0.0001")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR_US = 3_600_000_000


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


def record(session: Session, moves: Sequence[Move], kinds: Mapping[int, str], pg: bool) -> None:
    """Add one flush's moves (already inserted) to the summaries; `kinds`: location id -> kind."""
    if not moves:
        return
    hours: dict[int, list[Any]] = {}
    store: dict[int, list[tuple[int, int, int, datetime]]] = {}
    epoch, hour_us, used = _EPOCH, _HOUR_US, CONSUMING  # locals: this loop runs once per move
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
        known = add_and_lock_pg(session, conn, rows, parts)
    else:
        rawsql.run_many(session, ADD_HOURS[pg], [(_EPOCH + timedelta(hours=r[0]), *r[1:]) for r in rows], conn)
        known = {int(p): (int(q), last) for p, q, last in select_states(session, conn, parts, False, False)}
    if store:
        _advance(session, conn, pg, store, known)


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
        rawsql.run(session, shape("step", len(steps)), params(steps), conn)
    elif steps:
        rawsql.run_many(session, STEP_STATE, [(q, last, p) for p, q, last in steps], conn)
    if walk:
        runs = {int(r[0]): Run(int(r[1]), r[2], r[3], r[4]) for r in select_states(session, conn, walk, False, True)}
        rows: list[tuple[Any, ...]] = []
        spans: list[tuple[Any, ...]] = []
        for part_id in walk:
            run = runs.get(part_id) or Run()
            spans.extend((part_id, since, until) for since, until in run.walk((m[3], m[2]) for m in store[part_id]))
            rows.append(run.row(part_id))
        rawsql.run_many(session, PUT_STATE, rows, conn)
        if spans:
            rawsql.run_many(session, ADD_SPAN, spans, conn)
    if late:
        _replay_late(session, conn, late, store, known)


def _replay_late(
    session: Session,
    conn: Connection,
    late: list[int],
    store: dict[int, list[tuple[int, int, int, datetime]]],
    known: dict[int, tuple[int, int | None]],
) -> None:
    """Parts with a move older than their latest: their runs are walked again from that move (`replay_tail`)."""
    states = {int(r[0]): r for r in select_states(session, conn, late, False, True)}
    rows: list[tuple[Any, ...]] = []
    spans: list[tuple[Any, ...]] = []
    whole: list[int] = []
    for part_id in late:
        moves = store[part_id]  # sorted by instant: the first is the earliest
        total = known[part_id][0] + sum(m[2] for m in moves)
        walked = replay_tail(conn, part_id, moves[0][3], states[part_id], total)
        if walked is None:
            whole.append(part_id)
            continue
        run, ended = walked
        rows.append(run.row(part_id))
        spans.extend((part_id, since, until) for since, until in ended)
    rawsql.run_many(session, PUT_STATE, rows, conn)
    if spans:
        rawsql.run_many(session, ADD_SPAN, spans, conn)
    if whole:
        rebuild_runs(session, whole)


def kind_changed(session: Session, _ctx: Any) -> None:
    """A bin's kind changed between store, scrap and the others: re-sum what its moves count in."""
    for obj in list(session.dirty):
        if not isinstance(obj, Location):
            continue
        hist = inspect(obj).attrs.kind.history
        if not hist.deleted or not hist.added:
            continue
        old, new = hist.deleted[0], hist.added[0]
        if (old == SCRAP) != (new == SCRAP):
            revalue_bin(session, obj.id, old == SCRAP)
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
