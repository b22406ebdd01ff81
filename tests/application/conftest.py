"""The use cases' tests: the small workshop on each database, and a site with one label printer."""

from __future__ import annotations

import pytest

from floor.config import Config
from floor.db import Database
from tests.conftest import make_config
from tests.factories import load_small_shop


@pytest.fixture
def shop(db: Database) -> Database:
    """The small workshop (every person's PIN is the test PIN)."""
    load_small_shop(db)
    return db


@pytest.fixture
def site() -> Config:
    """The test config with one label printer (jobs are only queued: no worker runs)."""
    return make_config(printers=[{"name": "zebra", "url": "tcp://127.0.0.1:9"}])
