"""The books a refused request must leave as they were: support.snapshot plus every other table's rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from floor.db import Database
from tests.trust.support import snapshot

# Row counts of the tables snapshot() does not read row by row. A refused request adds no row
# anywhere: no audit entry, no count, no delivery, no print job, no scan event.
COUNTED = (
    "part_barcodes",
    "tags",
    "print_jobs",
    "customer_returns",
    "return_steps",
    "supplier_returns",
    "supplier_return_lines",
    "wo_status_changes",
    "count_sessions",
    "count_locations",
    "count_lines",
    "deliveries",
    "delivery_lines",
    "delivery_receipts",
    "scan_events",
    "audit_entries",
)


def books(db: Database) -> dict[str, Any]:
    """snapshot() plus row counts of every other table and the status of counts, deliveries and returns."""
    out = snapshot(db)
    with db.reading() as s:
        # One round trip for all the counts: the fuzz reads the books after every request.
        counts = s.execute(text("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in COUNTED))).one()
        out.update(zip(COUNTED, counts))
        for table in ("count_sessions", "deliveries", "customer_returns", "supplier_returns"):
            out[f"{table}.status"] = [tuple(r) for r in s.execute(text(f"SELECT id, status FROM {table} ORDER BY id"))]
        out["work_orders.detail"] = [
            tuple(r) for r in s.execute(text("SELECT number, status, promised_at FROM work_orders ORDER BY number"))
        ]
    return out
