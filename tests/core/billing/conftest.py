"""Fixtures of the bill's core tests: the repair shop with a second supervisor."""

from __future__ import annotations

import pytest

from floor.db import Database
from tests.billing_factories import load_billing_shop


@pytest.fixture
def till(shop: Database) -> Database:
    """The small shop, the repair order's data and a second supervisor (SUP2)."""
    load_billing_shop(shop)
    return shop
