"""Fixtures for the workshop side: the small shop plus a core bin, and a counter with a label printer."""

from __future__ import annotations

from typing import Any

import pytest

from floor.config import Config
from floor.core.master import Importer
from floor.db import Database
from tests.conftest import TEST_CONFIG, make_config


@pytest.fixture
def cfg() -> Config:
    """The standard test config; counter-1 has a label printer (never reached: jobs only queue)."""
    stations: list[dict[str, Any]] = [dict(s) for s in TEST_CONFIG["stations"]]
    stations[0]["printer"] = "counter-zebra"
    return make_config(stations=stations, printers=[{"name": "counter-zebra", "url": "tcp://127.0.0.1:9"}])


@pytest.fixture
def workshop(shop: Database) -> Database:
    """The small shop plus a core bin (kind core) for reusable cores."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "CORE-01", "name": "Core cage", "zone": "Z", "kind": "core"})
        imp.finish()
    return shop
