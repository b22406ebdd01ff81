"""The use cases' tests: a site with one label printer (the small workshop is `shop`, tests/conftest.py)."""

from __future__ import annotations

import pytest

from floor.config import Config
from tests.conftest import make_config


@pytest.fixture
def site() -> Config:
    """The test config with one label printer (jobs are only queued: no worker runs)."""
    return make_config(printers=[{"name": "zebra", "url": "tcp://127.0.0.1:9"}])
