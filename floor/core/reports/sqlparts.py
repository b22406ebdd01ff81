"""SQL fragments the reports share, written once for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

# Moves that consume stock: issues to jobs and their returns (and the undo of either), sales and
# their cancellations. Their negated cost is the cost of parts issued and sold.
CONSUMPTION = (
    "(reason IN ('issue', 'return', 'sale', 'sale_cancel') OR (reason = 'undo' AND work_order_id IS NOT NULL))"
)
# Moves that are an issue or a sale (what makes stock alive for the dead-stock report).
ISSUE_OR_SALE = ("issue", "sale")
SCRAP_BINS = "(SELECT id FROM locations WHERE kind = 'scrap')"
STORE_BINS = "(SELECT id FROM locations WHERE kind = 'store')"


def is_pg(session: Session) -> bool:
    """True on PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def day_index(session: Session, column: str = "at") -> str:
    """The whole UTC days from the date bound as `:d0` (YYYY-MM-DD) to `column`'s day."""
    if is_pg(session):
        return f"(CAST({column} AS DATE) - CAST(:d0 AS DATE))"
    # :d0 is a midnight and the moves are after it: truncating the difference gives the day
    return f"CAST(julianday({column}) - julianday(:d0) AS INTEGER)"


def days_since_start(session: Session, column: str = "at") -> str:
    """Days (with the fraction) from the instant bound as `:start` to `column`."""
    if is_pg(session):
        return f"(EXTRACT(EPOCH FROM ({column} - :start)) / 86400.0)"
    return f"(julianday({column}) - julianday(:start))"


def period_scan(session: Session, days: int, column: str = "at") -> str:
    """`column` as a range condition operand: on SQLite a long period reads the table, not the time index.

    SQLite has no statistics on ranges; walking the `at` index for most of the ledger costs an index
    lookup per row, several times a straight scan. `+at` keeps the planner off the index.
    """
    return f"+{column}" if days > 62 and not is_pg(session) else column
