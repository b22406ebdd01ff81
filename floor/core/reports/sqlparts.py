"""SQL fragments the reports share, written once for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from floor.core.ledger_summary import consumption_sql
from floor.models.ledger import MoveReason

# Moves that consume stock: issues to jobs and their returns (and the undo of either), sales and
# their cancellations. Their negated cost is the cost of parts issued and sold (one home: the summary's rule).
CONSUMPTION = consumption_sql()
# Moves that are an issue or a sale (what makes stock alive for the dead-stock report).
ISSUE_OR_SALE = (MoveReason.ISSUE.value, MoveReason.SALE.value)
SCRAP_BINS = "(SELECT id FROM locations WHERE kind = 'scrap')"
STORE_BINS = "(SELECT id FROM locations WHERE kind = 'store')"


def is_pg(session: Session) -> bool:
    """True on PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def days_since_start(session: Session, column: str = "at") -> str:
    """Days (with the fraction) from the instant bound as `:start` to `column`."""
    if is_pg(session):
        return f"(EXTRACT(EPOCH FROM ({column} - :start)) / 86400.0)"
    return f"(julianday({column}) - julianday(:start))"
