"""Bad input to sales: each refused with a clear code in English and Chinese, and nothing changed."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.models import AuditEntry, Reservation, Sale, StockLevel, StockMove
from tests.web.sales.conftest import new_sale, scan


def _snapshot(db):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(Sale)),
            s.scalar(select(func.count()).select_from(StockMove)),
            s.scalar(select(func.count()).select_from(Reservation)),
            sorted(s.execute(select(StockLevel.part_id, StockLevel.location_id, StockLevel.qty)).all()),
        )


def _refused(resp, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    body = resp.get_json()
    assert (resp.status_code, body.get("code")) == (status, code), body
    assert body["error"] and body["error_zh"] and body["error"] != body["error_zh"]


def test_quote_refusals(client, store) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(store)
    cases = [
        ({"customer": "NOBODY", "lines": [{"part_no": "OF-100", "qty": 1}]}, 404, "unknown_customer"),
        ({"customer": "R1", "lines": [{"part_no": "NOPE", "qty": 1}]}, 404, "unknown_part"),
        ({"customer": "R1", "lines": [{"part_no": "OF-100", "qty": 1, "price": "-1"}]}, 400, "bad_price"),
        ({"customer": "R1", "lines": [{"part_no": "OF-100", "qty": 1, "price": "abc"}]}, 400, "bad_price"),
        ({"customer": "R1", "lines": [{"part_no": "OF-100", "qty": 0}]}, 400, "bad_qty"),
        ({"customer": "R1", "lines": []}, 400, "sale_no_lines"),
        ({"customer": "R1", "lines": [{"part_no": "OF-100", "qty": 1}], "badge": "T001"}, 403, "role_denied"),
    ]
    for body, status, code in cases:
        _refused(client.post("/api/sales", json={"badge": "S001", **body}), status, code)
    assert client.post("/api/sales", json={"customer": "R1", "lines": []}).status_code == 400  # no badge
    assert _snapshot(store) == before


def test_confirm_above_stock_is_refused(client, store) -> None:  # type: ignore[no-untyped-def]
    first = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 2}])
    assert client.post(f"/api/sales/{first}/confirm", json={"badge": "S001"}).status_code == 200
    second = new_sale(client, "R1", [{"part_no": "OF-100", "qty": 1}, {"part_no": "BP-400", "qty": 2}])
    before = _snapshot(store)
    resp = client.post(f"/api/sales/{second}/confirm", json={"badge": "S001"})
    _refused(resp, 409, "sale_over_available")
    assert "only 1" in resp.get_json()["error"].lower()
    assert _snapshot(store) == before  # the OF-100 line's hold was rolled back too
    assert client.get(f"/api/sales/{second}").get_json()["status"] == "quote"


def test_ship_and_pick_refusals(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "SP-200", "qty": 2}])
    _refused(
        client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True}), 409, "sale_bad_status"
    )
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    _refused(
        client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True}), 409, "sale_not_picked"
    )
    scan(client, "counter-1", "U:S001", f"SO:{number}", "Q:2", "P:SP-200")
    _refused(client.post(f"/api/sales/{number}/ship", json={"badge": "S001"}), 400, "ship_needs_carrier")
    _refused(client.post("/api/sales/999999/ship", json={"badge": "S001", "collected": True}), 404, "unknown_sale")
    not_on = scan(client, "counter-1", "P:OF-100")[-1]
    assert (not_on["ok"], not_on["code"]) == (False, "not_on_sale")
    tech = scan(client, "counter-2", "U:T001", f"SO:{number}")[-1]
    assert (tech["ok"], tech["code"]) == (False, "role_denied")
    unknown = scan(client, "counter-2", "U:S001", "SO:424242")[-1]
    assert (unknown["ok"], unknown["code"]) == (False, "unknown_sale")
    assert client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True}).status_code == 200
    _refused(client.post(f"/api/sales/{number}/cancel", json={"badge": "S001"}), 409, "sale_bad_status")


def test_pick_respects_other_holders(client, store) -> None:  # type: ignore[no-untyped-def]
    # BP-400: 3 on hand. A confirmed sale holds 2; a second sale of 1 takes the last one.
    held = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 2}])
    client.post(f"/api/sales/{held}/confirm", json={"badge": "S001"})
    mine = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 1}])
    client.post(f"/api/sales/{mine}/confirm", json={"badge": "S001"})
    res = scan(client, "counter-1", "U:S001", f"SO:{mine}", "P:BP-400")
    assert res[-1]["code"] == "sale_picked"
    with store.reading() as s:
        reserved = s.scalar(select(func.sum(Reservation.qty)))
    assert reserved == 2  # the other sale's hold is untouched


def test_audit_trail_of_a_sale(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "OF-100", "qty": 1}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    with store.reading() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object == f"SO:{number}")))
    assert actions == ["sales.quote", "sales.confirm"]
