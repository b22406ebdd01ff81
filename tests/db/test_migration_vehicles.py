"""Migration 0016 (SPEC 10.1): jobs made before it are linked to a vehicle when their text holds a valid VIN."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from floor.db.migrate import current_revision, downgrade, head_revision, upgrade
from floor.models.base import UTCDateTime

BEFORE = "0014"


JOBS = sa.table(
    "work_orders",
    sa.column("id", sa.Integer()),
    sa.column("number", sa.String()),
    sa.column("vehicle", sa.String()),
    sa.column("customer", sa.String()),
    sa.column("status", sa.String()),
    sa.column("status_since", UTCDateTime()),
    sa.column("created_at", UTCDateTime()),
    sa.column("vin", sa.String()),
    sa.column("plate", sa.String()),
)


def _job(conn, number: str, day: int, vehicle: str = "", vin: str | None = None, plate: str | None = None) -> None:
    at = datetime(2026, 10, day, 9, 0, tzinfo=UTC)
    conn.execute(
        sa.insert(JOBS).values(
            number=number,
            vehicle=vehicle,
            customer="Zhou",
            status="delivered",
            status_since=at,
            created_at=at,
            vin=vin,
            plate=plate,
        )
    )


def test_jobs_before_the_migration_get_their_vehicle(db):
    """GIVEN jobs written before migration 0016: a VIN typed twice with two plates, a VIN in the free text with its
    check digit, one without it, a European VIN (no check digit) in the VIN field, and no VIN
    WHEN the database is upgraded THEN one vehicle per VIN links its jobs, the latest plate is the vehicle's,
    the text without a valid VIN links nothing, and every job keeps its text."""
    downgrade(db.engine, BEFORE)
    try:
        assert current_revision(db.engine) == BEFORE
        with db.engine.begin() as conn:
            _job(conn, "A1", 1, "Ford truck", vin="1M8GDM9AXKP042788", plate="沪A11111")
            _job(conn, "A2", 9, "Ford truck", vin="1m8gdm9axkp042788", plate="沪A22222")  # as typed, lower case
            _job(conn, "B1", 3, "Acura Integra JH4DA9450MS001229 (grey)", plate="沪B33333")
            _job(conn, "C1", 4, "Truck 1M8GDM9A1KP042788 with a typo")
            _job(conn, "D1", 5, "Porsche", vin="WP0ZZZ99ZTS392124")
            _job(conn, "E1", 6, "沪A·12345 VW Passat", plate="沪A12345")
    finally:
        assert upgrade(db.engine) is True  # the shared PostgreSQL database is back at head whatever happened
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        vehicles = {
            vin: (vid, plate)
            for vid, vin, plate in conn.execute(sa.text("SELECT id, vin, plate FROM vehicles ORDER BY vin"))
        }
        jobs = {
            number: (vid, text)
            for number, vid, text in conn.execute(sa.text("SELECT number, vehicle_id, vehicle FROM work_orders"))
        }
    assert set(vehicles) == {"1M8GDM9AXKP042788", "JH4DA9450MS001229", "WP0ZZZ99ZTS392124"}
    assert vehicles["1M8GDM9AXKP042788"][1] == "沪A22222"  # the plate of its latest visit
    assert vehicles["JH4DA9450MS001229"][1] == "沪B33333"
    assert jobs["A1"][0] == jobs["A2"][0] == vehicles["1M8GDM9AXKP042788"][0]
    assert jobs["B1"][0] == vehicles["JH4DA9450MS001229"][0]
    assert jobs["D1"][0] == vehicles["WP0ZZZ99ZTS392124"][0]
    assert jobs["C1"][0] is None and jobs["E1"][0] is None
    assert jobs["B1"][1] == "Acura Integra JH4DA9450MS001229 (grey)" and jobs["E1"][1] == "沪A·12345 VW Passat"
