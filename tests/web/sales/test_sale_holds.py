"""What a sale holds at each of its ends: nothing left once it is shipped or cancelled, never above stock."""

from __future__ import annotations

from sqlalchemy import select

from floor.core import reservations
from floor.models import Part, Reservation, SaleLine
from tests.web.demand.helpers import invariant
from tests.web.sales.conftest import new_sale, scan


def _stock(db, part_no: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        pid = s.scalar(select(Part.id).where(Part.part_no == part_no))
        a = reservations.availability(s, pid)
        return a.on_hand, a.reserved


def _held(db, number: str) -> int:  # type: ignore[no-untyped-def]
    """Units the sale's lines hold now."""
    with db.reading() as s:
        from floor.models import Sale

        rows = s.scalars(
            select(Reservation.qty)
            .join(SaleLine, (Reservation.holder == "sale") & (Reservation.holder_id == SaleLine.id))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.number == number)
        ).all()
        return sum(rows)


def _confirmed(client, lines, customer: str = "R1") -> str:  # type: ignore[no-untyped-def]
    number = new_sale(client, customer, lines)
    resp = client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return number


def test_undo_of_a_pick_of_the_last_units_holds_them_again(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a sale of all 3 brake pads, picked WHEN the pick is undone THEN the sale holds the 3 units again
    (the units the undo puts back count: before the fix the hold read the shelf without them and held nothing)."""
    number = _confirmed(client, [{"part_no": "BP-400", "qty": 3}])
    assert scan(client, "counter-1", "U:S001", f"SO:{number}", "Q:3", "P:BP-400")[-1]["code"] == "sale_picked"
    assert _stock(store, "BP-400") == (0, 0)
    assert scan(client, "counter-1", "CMD:UNDO")[-1]["code"] == "undone"
    assert _stock(store, "BP-400") == (3, 3)
    assert _held(store, number) == 3
    # A job asking now finds nothing free: the sale's units are its own.
    body = {"badge": "T001", "lines": [{"part_no": "BP-400", "qty": 1}]}
    line = client.post("/api/workorders/1001/requests", json=body).get_json()["lines"][0]
    assert (line["reserved"], line["status"]) == (0, "backordered")
    invariant(store)


def test_stock_leaving_trims_sale_holds_after_job_lines(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN 2 brake pads received, a sale holding 4 and a job holding 1 WHEN the receipt is undone
    THEN holds shrink to the 3 on hand: the job line gives first (a receipt re-reserves for it), then the sale."""
    assert scan(client, "dock-1", "U:S001", "CMD:RECEIVE", "Q:2", "P:BP-400")[-1]["ok"]
    number = _confirmed(client, [{"part_no": "BP-400", "qty": 4}])
    body = {"badge": "T001", "lines": [{"part_no": "BP-400", "qty": 1}]}
    assert client.post("/api/workorders/1001/requests", json=body).get_json()["lines"][0]["reserved"] == 1
    assert _stock(store, "BP-400") == (5, 5)
    # The dock's last transaction is the receipt.
    assert scan(client, "dock-1", "CMD:UNDO")[-1]["code"] == "undone"
    assert _stock(store, "BP-400") == (3, 3)
    assert _held(store, number) == 3
    job = client.get("/api/workorders/1001").get_json()["requests"][0]
    assert (job["reserved"], job["status"]) == (0, "backordered")
    invariant(store)


def test_every_end_of_a_sale_leaves_it_holding_nothing(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN sales shipped, cancelled picked or unpicked, and awaiting approval then cancelled
    THEN none holds a unit and what they held is free again."""
    shipped = _confirmed(client, [{"part_no": "SP-200", "qty": 2}, {"part_no": "OF-100", "qty": 1}])
    scan(client, "counter-1", "U:S001", f"SO:{shipped}", "Q:2", "P:SP-200", "P:OF-100")
    assert client.post(f"/api/sales/{shipped}/ship", json={"badge": "S001", "collected": True}).status_code == 200
    half = _confirmed(client, [{"part_no": "SP-200", "qty": 4}])
    scan(client, "counter-1", f"SO:{half}", "Q:1", "P:SP-200")
    untouched = _confirmed(client, [{"part_no": "OF-100", "qty": 5}])
    discounted = _confirmed(client, [{"part_no": "BP-400", "qty": 1, "price": "1.00"}])
    assert client.get(f"/api/sales/{discounted}").get_json()["status"] == "awaiting_approval"
    assert _stock(store, "SP-200") == (13, 3) and _stock(store, "OF-100") == (13, 5)
    for number in (half, untouched, discounted):
        resp = client.post(f"/api/sales/{number}/cancel", json={"badge": "S001"})
        assert resp.status_code == 200, resp.get_data(as_text=True)
    for number in (shipped, half, untouched, discounted):
        assert _held(store, number) == 0, number
    assert _stock(store, "SP-200") == (14, 0)
    assert _stock(store, "OF-100") == (13, 0)
    assert _stock(store, "BP-400") == (3, 0)
    invariant(store)


def test_a_sales_hold_moves_the_warning_line_both_ways(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN oil filters (14 on hand, warning line 5) WHEN a sale of 10 is confirmed THEN the alert is raised
    (4 free); WHEN the sale is cancelled THEN it is cleared."""
    number = _confirmed(client, [{"part_no": "OF-100", "qty": 10}])
    low = {x["part_no"]: x for x in client.get("/api/alerts").get_json()["low_stock"]}
    assert low["OF-100"]["on_hand"] == 4
    assert client.post(f"/api/sales/{number}/cancel", json={"badge": "S001"}).status_code == 200
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert sorted(e["alert"] for e in log) == ["cleared", "raised"]


def test_a_cancelled_sale_frees_its_hold_and_picks_for_waiting_jobs(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a sale holding all 3 brake pads, 2 of them picked, and jobs 1002 (no promise) and 1001 (promised)
    waiting for 2 each WHEN the sale is cancelled THEN the held unit and the 2 put back go to 1001 (2) then 1002 (1),
    and the pick page tells the counter why."""
    number = _confirmed(client, [{"part_no": "BP-400", "qty": 3}])
    assert scan(client, "counter-1", "U:S001", f"SO:{number}", "Q:2", "P:BP-400")[-1]["code"] == "sale_picked"
    for wo, badge in (("1002", "T002"), ("1001", "T001")):
        body = {"badge": badge, "lines": [{"part_no": "BP-400", "qty": 2}]}
        assert client.post(f"/api/workorders/{wo}/requests", json=body).get_json()["lines"][0]["reserved"] == 0
    assert client.post(f"/api/sales/{number}/cancel", json={"badge": "S001"}).status_code == 200
    got = {
        wo: [(x["reserved"], x["status"]) for x in client.get(f"/api/workorders/{wo}").get_json()["requests"]]
        for wo in ("1001", "1002")
    }
    assert got == {"1001": [(2, "reserved")], "1002": [(1, "partial")]}
    assert _stock(store, "BP-400") == (3, 3) and _held(store, number) == 0
    page = client.get("/kiosk/picks/counter-1?lang=en").get_data(as_text=True)
    assert f"BP-400 freed (sale {number} cancelled) — reserved for waiting jobs: 1001 (2), 1002 (1)" in page
    invariant(store)
