"""The value hours: the ledger's value, time-weighted value and consumption per UTC hour, and what consumes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.models import StockValueHour
from floor.models.base import table_of
from floor.models.ledger import MoveReason

# Moves that consume stock (and their reversal): issues to jobs and returns from them, sales and
# cancelled sales, and an UNDO of an issue or return (an undo that carries a job).
CONSUMPTION_REASONS = tuple(
    r.value for r in (MoveReason.ISSUE, MoveReason.RETURN, MoveReason.SALE, MoveReason.SALE_CANCEL)
)
CONSUMING = frozenset(CONSUMPTION_REASONS)
STORE, SCRAP = "store", "scrap"


def consumption_sql(alias: str = "") -> str:
    """The consuming moves as a SQL condition on stock_moves (optionally qualified by a table alias); `record` checks
    the same in Python."""
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
ADD_HOURS = {False: _add_hours("0"), True: _add_hours("pg_backend_pid()")}


HOURS_SET = (
    "ON CONFLICT (hour, writer) DO UPDATE SET value = stock_value_hours.value + excluded.value,"
    " value_secs = stock_value_hours.value_secs + excluded.value_secs,"
    " consumed_cost = stock_value_hours.consumed_cost + excluded.consumed_cost,"
    " consumed_qty = stock_value_hours.consumed_qty + excluded.consumed_qty"
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


def revalue_bin(session: Session, location_id: int, was_scrap: bool) -> None:
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
