"""Gapless numbers per series (invoices, credit notes): a counter row bumped inside the write's transaction.

`next_number` makes sure the series' row exists (`INSERT … ON CONFLICT DO NOTHING`, which waits for a
concurrent insert rather than failing), then `UPDATE … SET last = last + 1 RETURNING last`. On
PostgreSQL the update holds the row lock until the transaction ends, so two servers invoicing at
once take turns; on SQLite the write transaction already holds the database. A transaction that
rolls back gives its number back: the series has no gaps and no doubles. Call it as late as
possible in the transaction (every check before it), so the lock is held briefly.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PREFIX = {INVOICE: "INV", CREDIT_NOTE: "CN"}
WIDTH = 6

_ENSURE = text("INSERT INTO number_counters (name, last) VALUES (:name, 0) ON CONFLICT (name) DO NOTHING")
_BUMP = text("UPDATE number_counters SET last = last + 1 WHERE name = :name RETURNING last")


def next_number(session: Session, series: str) -> tuple[int, str]:
    """The series' next sequence number and its printed form (INV000001, CN000001)."""
    session.flush()  # the ORM's pending rows first: the bump is the last statement before the invoice's own
    session.execute(_ENSURE, {"name": series})
    seq = int(session.execute(_BUMP, {"name": series}).scalar_one())
    return seq, f"{PREFIX[series]}{seq:0{WIDTH}d}"
