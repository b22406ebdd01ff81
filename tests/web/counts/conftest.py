"""Count tests: the standard config plus a second handheld and explicit [counts] settings; scan helpers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from floor import clock as one_clock
from floor.config import Config
from floor.core.results import ScanInput, ScanResult
from floor.db import Database
from floor.models import CountSession, StockLevel, StockMove
from tests.conftest import TEST_CONFIG, make_config

COUNTS = {
    "abc_cutoffs": [80, 15, 5],
    "frequency": {"A": 12, "B": 4, "C": 1},
    "full_count": "12-31",
    "recount_qty": 2,
    "recount_value": "100.00",
}


@pytest.fixture
def cfg() -> Config:
    """The standard stations (idle timeout one hour) plus handheld-2, and the default [counts] settings written out."""
    # Scan times are minutes apart in these tests: a long idle timeout keeps sessions alive between them.
    stations = [{**st, "idle_timeout_s": 3600} for st in TEST_CONFIG["stations"]]
    stations.append({"name": "handheld-2", "kind": "stocktake", "require_badge": True, "idle_timeout_s": 3600})
    return make_config(stations=stations, counts=COUNTS)


class Clock:
    """Scan times for a test: minutes after a start well in the past, so every scan's `at` is explicit."""

    def __init__(self) -> None:
        self.t0 = (one_clock.now() - timedelta(hours=2)).replace(microsecond=0)

    def __call__(self, minutes: float) -> datetime:
        return self.t0 + timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    """A test clock two hours in the past."""
    return Clock()


def scan(
    service: Any,
    station: str,
    *items: tuple[str, datetime] | str,
    device: str | None = None,
    at: datetime | None = None,
) -> list[ScanResult]:
    """Send scans (text, or (text, at)) from a station as one batch."""
    inputs = []
    for item in items:
        text, when = item if isinstance(item, tuple) else (item, at)
        inputs.append(ScanInput(text.encode(), None, when))
    return service.submit(station, device or f"dev-{station}", inputs)


def open_count(db: Database, clock: Clock, kind: str = "cycle", blind: bool = True, **where: Any) -> int:
    """Open a count (through the core) as of the clock's start."""
    from floor.core.counts.plans import create_count

    with db.writing() as s:
        count = create_count(s, kind, where.get("zone"), where.get("locations"), blind)
        s.execute(update(CountSession).where(CountSession.id == count.id).values(created_at=clock(0)))
        return count.id


def levels(db: Database) -> dict[tuple[str, str], int]:
    """Current on-hand by (bin code, part_no), non-zero only."""
    from floor.models import Location, Part

    with db.reading() as s:
        rows = s.execute(
            select(Location.code, Part.part_no, StockLevel.qty)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Part, Part.id == StockLevel.part_id)
            .where(StockLevel.qty != 0)
        )
        return {(loc, pn): int(q) for loc, pn, q in rows}


def adjust_moves(db: Database) -> list[tuple[str | None, int]]:
    """The (ref, qty) of every adjustment move, in order."""
    with db.reading() as s:
        return [
            (r, int(q))
            for r, q in s.execute(
                select(StockMove.ref, StockMove.qty).where(StockMove.reason == "adjust").order_by(StockMove.id)
            )
        ]


def by_line(report: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Report lines as {(bin, part_no): (counted, expected, variance)}."""
    return {(ln["location"], ln["part_no"]): (ln["counted"], ln["expected"], ln["variance"]) for ln in report["lines"]}


@pytest.fixture
def store(shop: Database) -> Database:
    """The small shop with its opening stock booked three hours ago (before every clock time)."""
    with shop.writing() as s:
        rows = s.execute(select(StockMove.id, StockMove.at)).all()
        for move_id, at in rows:
            s.execute(update(StockMove).where(StockMove.id == move_id).values(at=at - timedelta(hours=3)))
    return shop
