"""A counter sale end to end: quote, confirm (reserves), pick by scan in SALE mode, collected, records."""

from __future__ import annotations

from sqlalchemy import select

from floor.core import reservations
from floor.models import Part, StockMove
from tests.web.sales.conftest import new_sale, scan


def _available(db, part_no: str):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        pid = s.scalar(select(Part.id).where(Part.part_no == part_no))
        return reservations.availability(s, pid)


def test_counter_sale_picked_by_scan_and_collected(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "OF-100", "qty": 3}, {"part_no": "SP-200", "qty": 4, "price": "6.00"}])
    sale = client.get(f"/api/sales/{number}").get_json()
    assert sale["status"] == "quote"
    assert sale["total"] == "60.00"  # 3 × 12.00 + 4 × 6.00
    assert [ln["price"] for ln in sale["lines"]] == ["12.00", "6.00"]

    resp = client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["status"] == "approved"  # 6.00 is within 10 % of 6.50
    assert _available(store, "OF-100").reserved == 3

    results = scan(client, "counter-1", "U:S001", f"SO:{number}", "P:OF-100", "Q:2", "P:OF-100")
    assert [r["code"] for r in results] == ["actor_set", "sale_set", "sale_picked", "qty_set", "sale_picked"]
    partial = client.get(f"/api/sales/{number}").get_json()
    assert [(ln["picked"], ln["qty"]) for ln in partial["lines"]] == [(3, 3), (0, 4)]  # partial pick is visible
    assert _available(store, "OF-100").reserved == 0  # the hold became the picked units
    assert _available(store, "OF-100").on_hand == 11

    # Shipping now is refused: SP-200 is not picked.
    resp = client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True})
    assert resp.status_code == 409 and resp.get_json()["code"] == "sale_not_picked"
    assert resp.get_json()["error_zh"]

    over = scan(client, "counter-1", "Q:5", "P:SP-200")
    assert over[-1]["code"] == "over_pick" and not over[-1]["ok"]
    assert scan(client, "counter-1", "Q:4", "P:SP-200")[-1]["code"] == "sale_picked"

    resp = client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    done = resp.get_json()
    assert done["status"] == "shipped" and done["collected"] is True
    with store.reading() as s:
        moves = s.execute(
            select(StockMove.reason, StockMove.qty, StockMove.ref).where(StockMove.reason == "sale")
        ).all()
    assert sorted(m.qty for m in moves) == [-4, -2, -1]
    assert {m.ref for m in moves} == {f"SO:{number}"}
    listed = client.get("/api/sales?from=2026-11-01&to=2026-11-30").get_json()["sales"]
    assert [s["number"] for s in listed] == [number]
    csv_text = client.get("/api/sales.csv?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert number in csv_text and "shipped" in csv_text


def test_discount_needs_supervisor(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 1, "price": "40.00"}])
    confirmed = client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()
    assert confirmed["status"] == "awaiting_approval"
    # Not approved yet: picking is refused.
    results = scan(client, "counter-1", "U:S001", f"SO:{number}")
    assert results[-1]["code"] == "sale_bad_status"
    denied = client.post(f"/api/sales/{number}/approve", json={"badge": "S001", "pin": "2468"})
    assert denied.status_code == 403 and denied.get_json()["code"] == "role_denied"
    ok = client.post(f"/api/sales/{number}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "approved"


def test_trade_discount_and_cancel_puts_stock_back(client, store, cfg) -> None:  # type: ignore[no-untyped-def]
    cfg.raw["sales"] = {"trade_discount_pct": 10}
    number = new_sale(client, "T1", [{"part_no": "BP-400", "qty": 2}])
    sale = client.get(f"/api/sales/{number}").get_json()
    assert sale["lines"][0]["price"] == "49.50"  # 55.00 less 10 %, just on the floor: no approval needed
    assert client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()["status"] == "approved"
    scan(client, "counter-1", "U:S001", f"SO:{number}", "P:BP-400")
    assert _available(store, "BP-400").on_hand == 2
    assert _available(store, "BP-400").reserved == 1
    resp = client.post(f"/api/sales/{number}/cancel", json={"badge": "S001"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "cancelled"
    after = _available(store, "BP-400")
    assert (after.on_hand, after.reserved) == (3, 0)
    # Picking a cancelled sale is refused, selecting it too.
    results = scan(client, "counter-1", "P:BP-400")
    assert results[-1]["code"] == "sale_bad_status" and not results[-1]["ok"]
    assert _available(store, "BP-400").on_hand == 3


def test_undo_of_a_pick_holds_the_units_again(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "SP-200", "qty": 2}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    scan(client, "counter-1", "U:S001", f"SO:{number}", "Q:2", "P:SP-200")
    assert _available(store, "SP-200").reserved == 0
    assert scan(client, "counter-1", "CMD:UNDO")[-1]["code"] == "undone"
    sale = client.get(f"/api/sales/{number}").get_json()
    assert sale["lines"][0]["picked"] == 0
    after = _available(store, "SP-200")
    assert (after.on_hand, after.reserved) == (16, 2)


def test_undo_and_pick_again_in_one_batch(client, store) -> None:  # type: ignore[no-untyped-def]
    number = new_sale(client, "R1", [{"part_no": "SP-200", "qty": 1}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    results = scan(client, "counter-1", "U:S001", f"SO:{number}", "P:SP-200", "CMD:UNDO", "P:SP-200", "P:SP-200")
    assert [r["code"] for r in results[2:]] == ["sale_picked", "undone", "sale_picked", "over_pick"]
    sale = client.get(f"/api/sales/{number}").get_json()
    assert sale["lines"][0]["picked"] == 1
    after = _available(store, "SP-200")
    assert (after.on_hand, after.reserved) == (15, 0)
