"""Fixtures of the web API tests: the small shop with the repair order's data."""

from __future__ import annotations

import pytest

from floor.db import Database
from tests.repair_factories import load_repair_shop


@pytest.fixture
def garage(shop: Database) -> Database:
    """The small shop plus customers, the labour catalogue, sell prices and vehicle 1M8GDM9AXKP042788 (沪A12345)."""
    load_repair_shop(shop)
    return shop
