"""SPEC 9.3's discount floor (`sell_price × 0.9`) holds for every customer kind, trade included (issue 24)."""

from __future__ import annotations

from tests.web.sales.conftest import new_sale


def test_a_trade_price_below_the_floor_waits_for_a_supervisor(client, store, cfg) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a 14.5 % trade discount WHEN a trade customer's sale at its default price is confirmed
    THEN awaiting_approval (47.03 < 49.50); a retail sale at 49.50 confirms approved."""
    cfg.raw["sales"] = {"trade_discount_pct": 14.5}
    number = new_sale(client, "T1", [{"part_no": "BP-400", "qty": 1}])
    assert client.get(f"/api/sales/{number}").get_json()["lines"][0]["price"] == "47.03"
    confirmed = client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()
    assert confirmed["status"] == "awaiting_approval", confirmed
    retail = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 1, "price": "49.50"}])
    assert client.post(f"/api/sales/{retail}/confirm", json={"badge": "S001"}).get_json()["status"] == "approved"


def test_a_trade_price_typed_below_the_floor_waits_too(client, store, cfg) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a 20 % trade discount WHEN a trade sale is quoted at 45.00 (trade price 44.00 would be even lower)
    THEN awaiting_approval, and SUP1 (who did not quote it) approves it with the PIN."""
    cfg.raw["sales"] = {"trade_discount_pct": 20}
    number = new_sale(client, "T1", [{"part_no": "BP-400", "qty": 1, "price": "45.00"}])
    assert (
        client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()["status"] == "awaiting_approval"
    )
    ok = client.post(f"/api/sales/{number}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "approved"
