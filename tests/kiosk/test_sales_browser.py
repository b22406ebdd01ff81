"""The counter in SALE mode in headless Chromium: a counter sale picked by wedge scans, then printed."""

from __future__ import annotations

import json
import urllib.request
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from floor.models import Part
from tests.kiosk.conftest import shot, wait_for

pytestmark = pytest.mark.browser


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_counter_sale_picked_by_wedge_scans(live_server, page) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a confirmed sale of 2 × OF-100 and 1 × SP-200 WHEN the storekeeper scans badge, SO: and the parts
    at the counter THEN the page shows the sale's lines filling up, mode Sale, and the printed receipt is in Chinese."""
    with live_server.db.writing() as s:
        s.execute(update(Part).values(sell_price=Decimal("10.00")))
        from floor.core.sales.customers import upsert_customer

        upsert_customer(s, "R1", "Walk-in Ma", "", "retail")
    sale = _post(
        f"{live_server.url}/api/sales",
        {
            "badge": "S001",
            "customer": "R1",
            "lines": [{"part_no": "OF-100", "qty": 2}, {"part_no": "SP-200", "qty": 1}],
        },
    )
    number = sale["number"]
    assert _post(f"{live_server.url}/api/sales/{number}/confirm", {"badge": "S001"})["status"] == "approved"

    page.goto(f"{live_server.url}/kiosk/counter/counter-1")
    wait_for(page, "document.activeElement && document.activeElement.id === 'scan-input'")
    for text in ("U:S001", f"SO:{number}"):
        page.keyboard.type(text + "\n", delay=5)
    page.wait_for_selector("#sale-lines")
    assert "0 / 3" in page.inner_text("#sale-progress")
    assert page.inner_text("#glance-mode") == "Sale"
    page.keyboard.type("P:OF-100\n", delay=5)
    wait_for(page, "document.querySelector('#sale-progress').textContent.includes('1 / 3')")
    page.keyboard.type("P:OF-100\n", delay=5)
    wait_for(page, "document.querySelector('#sale-progress').textContent.includes('2 / 3')")
    page.keyboard.type("P:OF-100\n", delay=5)  # a third one: over-pick, refused
    page.wait_for_selector("#last-result.result-bad")
    assert "Over-pick" in page.inner_text("#last-result")
    page.keyboard.type("P:SP-200\n", delay=5)
    wait_for(page, "document.querySelector('#sale-progress').textContent.includes('3 / 3')")
    rows = page.locator("#sale-lines tbody tr").all_inner_texts()
    assert len(rows) == 2 and all("line" not in r for r in rows)
    assert page.locator("#sale-lines tr.line-done").count() == 2
    shot(page, "counter-sale")

    shipped = _post(f"{live_server.url}/api/sales/{number}/ship", {"badge": "S001", "collected": True})
    assert shipped["status"] == "shipped"
    page.goto(f"{live_server.url}/kiosk/sales/{number}/print?lang=zh")
    assert page.inner_text("#doc-title") == f"收据 {number}"
    assert page.inner_text("#doc-total") == "30.00"
    shot(page, "sale-receipt-zh")
