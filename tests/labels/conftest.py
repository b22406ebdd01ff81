"""Fixtures for labels: a workshop with Chinese names, cores and a count; a simulated printer; decoders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from floor import clock
from floor.config import Config, PrinterConfig
from floor.db import Database
from floor.models import Core, CountLocation, CountSession, Location, Part, User, WorkOrder
from hardware_sim.printer import RunningPrinter, start_printer

ISSUED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def labels_db(shop: Database) -> Database:
    """The shared small shop plus a Chinese-named part and person, a core due and a cycle count of zone A."""
    with shop.writing() as s:
        s.add(Part(part_no="04465-33480", name="前刹车片 Front brake pads", unit_cost=0, is_core=False))
        s.add(User(badge="T088", name="李师傅", role="technician"))
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == "1001"))
        alt = s.scalar(select(Part).where(Part.part_no == "ALT-300"))
        assert wo is not None and alt is not None
        s.add(Core(serial="1001-ALT-300-1", work_order_id=wo.id, part_id=alt.id, created_at=ISSUED))
        count = CountSession(kind="cycle", zone="A", blind=True, created_at=clock.now())
        s.add(count)
        s.flush()
        for loc in s.scalars(select(Location).where(Location.zone == "A")):
            s.add(CountLocation(count_id=count.id, location_id=loc.id))
    return shop


# One object of every kind in labels_db, with the payloads its label must carry.
OBJECTS: list[tuple[str, str]] = [
    ("part", "OF-100"),
    ("part", "04465-33480"),
    ("bin", "A-01-01"),
    ("wo", "1001"),
    ("core", "1001-ALT-300-1"),
    ("badge", "T001"),
    ("badge", "T088"),
    ("commands", "counter-1"),
    ("count", "1"),
]


@pytest.fixture
def sim() -> Iterator[RunningPrinter]:
    """A simulated ZPL printer on a pty and on a TCP port of 127.0.0.1."""
    with start_printer(pty=True, tcp_port=0) as running:
        yield running


@pytest.fixture
def printer_cfg(sim: RunningPrinter) -> PrinterConfig:
    """The simulated printer as configured over raw TCP, with a short status timeout."""
    assert sim.tcp_url is not None
    return PrinterConfig(name="zebra-1", url=sim.tcp_url, options={"timeout": 0.5})


@pytest.fixture
def cfg(printer_cfg: PrinterConfig) -> Config:
    """The standard test config plus the simulated printer, used by the counter-1 station."""
    from tests.conftest import TEST_CONFIG, make_config

    stations = [dict(st) for st in TEST_CONFIG["stations"]]
    stations[0]["printer"] = printer_cfg.name
    return make_config(
        stations=stations, printers=[{"name": printer_cfg.name, "url": printer_cfg.url, **printer_cfg.options}]
    )
