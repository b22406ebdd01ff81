"""Fixtures of SPEC 9.4: the small shop plus a foreman, a key cabinet station and a core bin."""

from __future__ import annotations

from typing import Any

import pytest

from floor.config import Config
from floor.core.master import Importer
from floor.db import Database
from tests.conftest import TEST_CONFIG, make_config


def reception_config(**extra: Any) -> Config:
    """The standard stations plus `keys-1` (a key cabinet, no badge needed to check a key in)."""
    stations: list[dict[str, Any]] = [dict(s) for s in TEST_CONFIG["stations"]]
    stations.append({"name": "keys-1", "kind": "keys", "require_badge": False})
    return make_config(stations=stations, **extra)


@pytest.fixture
def cfg() -> Config:
    """Signature not required (the site default)."""
    return reception_config()


@pytest.fixture
def workshop(shop: Database) -> Database:
    """The small shop plus foreman F001 and a core bin."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "F001", "name": "Zhao Lei", "role": "foreman"})
        imp.apply("locations", {"code": "CORE-01", "name": "Core cage", "zone": "Z", "kind": "core"})
        imp.finish()
    return shop
