"""A vehicle is found by VIN or plate with one index hit, among 100,000 vehicles (SPEC 10.1; bench: vehicle_lookup_ms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text

from floor.core.vehicles.records import find_vehicle

MANY = 100_000
# 100,000 vehicles written by the database itself: VIN 'T' + 16 digits, plate 'P' + the number.
FILL = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :many)"
        " INSERT INTO vehicles (vin, plate, make, model, created_at, updated_at)"
        " SELECT 'T' || substr('0000000000000000' || i, -16), 'P' || i, '', '', '2026-01-01', '2026-01-01' FROM n"
    ),
    "postgresql": (
        "INSERT INTO vehicles (vin, plate, make, model, created_at, updated_at)"
        " SELECT 'T' || lpad(i::text, 16, '0'), 'P' || i, '', '', '2026-01-01', '2026-01-01'"
        " FROM generate_series(1, :many) AS i"
    ),
}


def _plan(conn: Any, dialect: str, statement: str, params: Any) -> str:
    if dialect == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).fetchall()
        return " | ".join(str(r[-1]) for r in rows)
    rows = conn.exec_driver_sql("EXPLAIN " + statement, params).fetchall()
    return " | ".join(str(r[0]) for r in rows)


def test_lookup_by_vin_or_plate_is_an_index_hit(db):
    """GIVEN 100,000 vehicles WHEN one is looked up by VIN and by plate THEN each look-up the core runs is planned as an
    index search on its unique index, not a scan of the table."""
    with db.engine.begin() as conn:
        conn.execute(text(FILL[db.dialect]), {"many": MANY})
        conn.execute(text("ANALYZE"))
    seen: list[tuple[str, Any]] = []

    def spy(conn, cursor, statement, params, context, many):
        if "FROM vehicles" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        with db.reading() as s:
            assert find_vehicle(s, "T0000000000054321").plate == "P54321"
            assert find_vehicle(s, "p 77777").vin == "T0000000000077777"
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    assert len(seen) == 2  # the VIN hit answers at once; the plate is a second, single look-up
    with db.engine.connect() as conn:
        plans = [_plan(conn, db.dialect, stmt, params) for stmt, params in seen]
    for plan in plans:
        if db.dialect == "sqlite":
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
            assert "SCAN" not in plan, plan
        else:
            assert "Index Scan" in plan and "Seq Scan" not in plan, plan
