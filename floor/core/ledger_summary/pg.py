"""PostgreSQL's statements of the summaries: one round trip per flush for the hours and the parts' locks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.core.ledger_summary.hours import HOURS_SET
from floor.core.ledger_summary.runs import NEW_STATE, select_states

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


def params(rows: Sequence[Sequence[Any]]) -> list[Any]:
    """Parameters for `_rows`: row by row for a few rows, else one list per column."""
    if len(rows) > _FEW:
        return [list(col) for col in zip(*rows, strict=True)]
    return [x for row in rows for x in row]


def shape(kind: str, a: int, b: int = 0) -> rawsql.Statement:
    """A PostgreSQL statement of the summaries by kind and row counts (kept: counts above _FEW share one)."""
    key = (kind, min(a, _FEW + 1), min(b, _FEW + 1))
    stmt = _BY_SHAPE.get(key)
    if stmt is None:
        if kind == "add_lock":
            insert = (
                "INSERT INTO stock_value_hours (hour, writer, value, value_secs, consumed_cost, consumed_qty)"
                f" {_rows(_HOUR_TYPES, a, 'pg_backend_pid()')} {HOURS_SET}"
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


def add_and_lock_pg(
    session: Session, conn: Connection, hours: list[tuple[Any, ...]], parts: list[int]
) -> dict[int, tuple[int, int | None]]:
    """Add the hours and read the parts' (on-hand, latest move), locked in part order (PostgreSQL).

    Every part of the flush is locked by this one statement, in one order, so two writers of the same
    parts cannot each hold one the other waits for.
    """
    hour_rows = [(_EPOCH_NAIVE + timedelta(hours=h[0]), *h[1:]) for h in hours]  # naive UTC, as stored
    among: list[Any] = list(parts) if len(parts) <= _FEW else [list(parts)]
    rows = rawsql.run(session, shape("add_lock", len(hour_rows), len(parts)), params(hour_rows) + among, conn)
    found = {int(p): (int(q), last) for p, q, last in rows}
    missing = [p for p in parts if p not in found]
    while missing:
        # A part's first store move: create its row, then lock it (a second writer waits here for the
        # first). A row deleted while this one waited for it (a full rebuild) is looked for again.
        rawsql.run_many(session, NEW_STATE, [(p,) for p in missing], conn)
        found.update((int(p), (int(q), last)) for p, q, last in select_states(session, conn, missing, True, False))
        missing = [p for p in missing if p not in found]
    return found
