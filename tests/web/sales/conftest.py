"""The sales tests' workshop: the small shop with sell prices, core charges, customers and special bins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from floor.core.master import Importer
from floor.db import Database
from floor.models import Part

PRICES = {
    "OF-100": ("12.00", None),
    "SP-200": ("6.50", None),
    "ALT-300": ("320.00", "60.00"),
    "BP-400": ("55.00", None),
}


@pytest.fixture
def store(shop: Database) -> Database:
    """The small shop, priced, with a retail and a trade customer, a core bin and a quarantine bin."""
    with shop.writing() as s:
        for part_no, (price, core) in PRICES.items():
            s.execute(
                update(Part)
                .where(Part.part_no == part_no)
                .values(sell_price=Decimal(price), core_charge=Decimal(core) if core else None, supplier="Bosch")
            )
        imp = Importer(s)
        imp.apply("locations", {"code": "CORE-1", "name": "Cores", "zone": "C", "kind": "core"})
        imp.apply("locations", {"code": "Q-1", "name": "Quarantine", "zone": "Q", "kind": "quarantine"})
        imp.finish()
        from floor.core.sales.customers import upsert_customer

        upsert_customer(s, "R1", "Walk-in Ma", "13800000000", "retail")
        upsert_customer(s, "T1", "Garage Huang", "021-555", "trade")
    return shop


def scan(client: FlaskClient, station: str, *texts: str) -> list[dict[str, Any]]:
    """Post scans through the API; return the results."""
    resp = client.post(
        "/api/scans", json={"station": station, "device": "t-scanner", "scans": [{"data": t} for t in texts]}
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["results"]


def new_sale(client: FlaskClient, customer: str, lines: list[dict[str, Any]], badge: str = "S001") -> str:
    """A quote; return its number."""
    resp = client.post("/api/sales", json={"badge": badge, "customer": customer, "lines": lines})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()["number"]
