"""Fixtures for the store's inflow: the small workshop plus a quarantine bin and a scrap bin."""

from __future__ import annotations

import pytest

from floor.core.master import Importer
from floor.db import Database


@pytest.fixture
def store(shop: Database) -> Database:
    """The small workshop with quarantine bin Q-01 and scrap bin X-01."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "Q-01", "name": "Returns quarantine", "zone": "Q", "kind": "quarantine"})
        imp.apply("locations", {"code": "X-01", "name": "Scrap cage", "zone": "X", "kind": "scrap"})
        imp.finish()
    return shop
