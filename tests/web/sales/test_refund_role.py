"""Refunding a sale's core charge has its own row in the role table (`refund_core`, issue 24)."""

from __future__ import annotations

import pytest

from floor.core.authority import DEFAULT_TABLE
from tests.web.sales.conftest import new_sale, scan

pytestmark = pytest.mark.clock


def _sold_alternator(client) -> str:  # type: ignore[no-untyped-def]
    number = new_sale(client, "T1", [{"part_no": "ALT-300", "qty": 1}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    scan(client, "counter-1", "U:S001", f"SO:{number}", "P:ALT-300")
    resp = client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return number


def test_a_technician_cannot_refund_a_core_charge(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a shipped sale with a core charge WHEN a technician scans its core tag or calls the API THEN role_denied
    and the charge stands; a storekeeper refunds it."""
    assert "technician" not in DEFAULT_TABLE["refund_core"]
    number = _sold_alternator(client)
    serial = f"S{number}-1-1"
    res = scan(client, "counter-2", "U:T001", f"C:{serial}")
    assert res[-1]["code"] == "role_denied" and not res[-1]["ok"], res[-1]
    api = client.post(f"/api/sales/{number}/cores/refund", json={"badge": "T001", "serial": serial})
    assert api.status_code == 403 and api.get_json()["code"] == "role_denied"
    assert client.get(f"/api/sales/{number}").get_json()["core_charges"]["refunded"] == "0.00"
    ok = scan(client, "counter-2", "U:S001", f"C:{serial}")
    assert ok[-1]["code"] == "core_refunded", ok[-1]
