"""The request API of SPEC 9.2: lines reserve or backorder, approval, cancel, release/move, bad input."""

from __future__ import annotations

import pytest

from floor.service.factory import create_app
from tests.conftest import make_config
from tests.web.demand.helpers import ask, invariant, state

# Dates come from the pinned clock (promises, deadlines, closing time, periods).
pytestmark = pytest.mark.clock


def test_request_reserves_what_is_free_and_backorders_the_rest(shop, client):
    """GIVEN OF-100 14 on hand WHEN 1001 asks 10 then 1002 asks 6 THEN 10 reserved; 4 partial; part shows 0 available."""
    r = ask(client, "1001", [("OF-100", 10), ("SP-200", 2)])
    assert r.status_code == 201, r.get_json()
    lines = r.get_json()["lines"]
    assert [(x["part_no"], x["qty"], x["reserved"], x["status"]) for x in lines] == [
        ("OF-100", 10, 10, "reserved"),
        ("SP-200", 2, 2, "reserved"),
    ]
    r2 = ask(client, "1002", [("OF-100", 6)], badge="T002").get_json()["lines"]
    assert [(x["reserved"], x["status"]) for x in r2] == [(4, "partial")]
    part = client.get("/api/parts/OF-100").get_json()
    assert (part["on_hand"], part["reserved"], part["available"]) == (14, 14, 0)
    wo = client.get("/api/workorders/1002").get_json()
    assert [(x["part_no"], x["qty"], x["reserved"], x["issued"], x["status"]) for x in wo["requests"]] == [
        ("OF-100", 6, 4, 0, "partial")
    ]
    assert wo["requests"][0]["filled_from_stock"] is False
    first = client.get("/api/workorders/1001").get_json()["requests"]
    assert all(x["filled_from_stock"] for x in first)
    invariant(shop)


def test_special_orders_per_supplier_and_on_a_delivery(shop, client):
    """GIVEN a backordered line WHEN listed and put on a delivery THEN it shows per supplier and the delivery expects it."""
    client.post("/api/parts", json={"part_no": "BP-400", "name": "Brake pads front", "supplier": "Bosch"})
    ask(client, "1001", [("BP-400", 5)])
    body = client.get("/api/special-orders").get_json()
    assert [(x["workorder"], x["part_no"], x["qty"], x["status"]) for x in body["lines"]] == [
        ("1001", "BP-400", 2, "partial")
    ]
    assert body["suppliers"][0]["supplier"] == "Bosch"
    r = client.post("/api/special-orders/delivery", json={"badge": "S001", "supplier": "Bosch", "reference": "SO-1"})
    assert r.status_code == 201, r.get_json()
    dlv = client.get(f"/api/deliveries/{r.get_json()['delivery']['id']}").get_json()
    assert [(x["part_no"], x["expected"]) for x in dlv["lines"]] == [("BP-400", 2)]
    again = client.post("/api/special-orders/delivery", json={"badge": "T001", "supplier": "Bosch", "reference": "X"})
    assert again.status_code == 403 and again.get_json()["code"] == "role_denied"


def test_approval_above_the_value_waits_for_a_supervisor(shop, db):
    """GIVEN approval_value 100 WHEN an alternator (210) is requested THEN awaiting_approval until a supervisor signs."""
    cfg = make_config(requisition={"approval_value": 100})
    client = create_app(cfg, db, {"TESTING": True}).test_client()
    lines = ask(client, "1001", [("ALT-300", 1), ("SP-200", 4)]).get_json()["lines"]
    assert [x["status"] for x in lines] == ["awaiting_approval", "reserved"]
    alt = lines[0]["id"]
    before = state(db)
    denied = client.post(f"/api/requests/{alt}/approve", json={"badge": "S001", "pin": "2468"})
    assert denied.status_code == 403 and denied.get_json()["code"] == "role_denied"
    assert denied.get_json()["error_zh"]
    assert state(db) == before
    ok = client.post(f"/api/requests/{alt}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "reserved"
    twice = client.post(f"/api/requests/{alt}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert twice.status_code == 409 and twice.get_json()["code"] == "not_awaiting_approval"
    with db.reading() as s:
        from sqlalchemy import select

        from floor.models import AuditEntry

        assert (
            s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "approve_request")) == "U:SUP1"
        )  # the audit names a badge as U:<badge> (authority)


def test_cancel_own_line_or_with_the_role(shop, client):
    """GIVEN T001's line WHEN T002 cancels it THEN role_denied; T001 may; a foreman-level role may cancel others'."""
    line = ask(client, "1001", [("OF-100", 3)]).get_json()["lines"][0]["id"]
    other = ask(client, "1001", [("SP-200", 3)]).get_json()["lines"][0]["id"]
    before = state(shop)
    r = client.post(f"/api/requests/{line}/cancel", json={"badge": "T002"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert state(shop) == before
    assert client.post(f"/api/requests/{line}/cancel", json={"badge": "T001"}).get_json()["status"] == "cancelled"
    assert client.post(f"/api/requests/{other}/cancel", json={"badge": "S001"}).get_json()["status"] == "cancelled"
    part = client.get("/api/parts/OF-100").get_json()
    assert part["reserved"] == 0 and part["available"] == 14
    again = client.post(f"/api/requests/{line}/cancel", json={"badge": "T001"})
    assert again.status_code == 409 and again.get_json()["code"] == "request_closed"


def test_supervisor_releases_and_moves_reservations(shop, client):
    """GIVEN 1001 holds all 3 brake pads and 1002 waits WHEN a supervisor moves 2 THEN 1001 holds 1, 1002 holds 2."""
    a = ask(client, "1001", [("BP-400", 3)]).get_json()["lines"][0]["id"]
    b = ask(client, "1002", [("BP-400", 2)], badge="T002").get_json()["lines"][0]
    assert b["status"] == "backordered"
    denied = client.post(f"/api/requests/{a}/move", json={"badge": "S001", "to": b["id"]})
    assert denied.status_code == 403
    r = client.post(f"/api/requests/{a}/move", json={"badge": "SUP1", "to": b["id"]})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["from"]["reserved"], body["from"]["status"]) == (1, "partial")
    assert (body["to"]["reserved"], body["to"]["status"]) == (2, "reserved")
    rel = client.post(f"/api/requests/{a}/release", json={"badge": "SUP1"}).get_json()
    assert (rel["reserved"], rel["status"]) == (0, "backordered")
    assert client.get("/api/parts/BP-400").get_json()["available"] == 1
    invariant(shop)


def test_pick_queue_earliest_promised_first_with_bins(shop, client):
    """GIVEN reservations for 1002 (no promise) and 1001 (promised) THEN 1001 comes first, with the bins to pick from."""
    ask(client, "1002", [("SP-200", 2)], badge="T002")
    ask(client, "1001", [("OF-100", 12), ("BP-400", 9)])
    picks = client.get("/api/picks").get_json()["picks"]
    assert [(p["workorder"], p["part_no"], p["qty"], p["location"]) for p in picks] == [
        ("1001", "OF-100", 12, "A-01-01"),
        ("1001", "BP-400", 3, "A-01-01"),
        ("1002", "SP-200", 2, "A-01-01"),
    ]
    assert [b["location"] for b in picks[0]["bins"]] == ["A-01-01", "B-02-01"]
    one = client.get("/api/picks?workorder=1002").get_json()["picks"]
    assert [p["workorder"] for p in one] == ["1002"]


@pytest.mark.parametrize(
    ("wo", "lines", "badge", "status", "code"),
    [
        ("1001", [("NOPE-1", 1)], "T001", 404, "unknown_part"),
        ("1001", [("OF-100", 0)], "T001", 400, "bad_request_qty"),
        ("1001", [("OF-100", -2)], "T001", 400, "bad_request_qty"),
        ("1001", [("OF-100", "3")], "T001", 400, "bad_request_qty"),
        ("1001", [("OF-100", 1), ("OF-100", 0)], "T001", 400, "bad_request_qty"),
        ("1001", [], "T001", 400, "no_lines"),
        ("1003", [("OF-100", 1)], "T001", 409, "wo_closed"),
        ("1001", [("OF-100", 1)], "NOBODY", 403, "unknown_badge"),
    ],
)
def test_bad_requests_change_nothing(shop, client, wo, lines, badge, status, code):
    """GIVEN a bad request WHEN posted THEN a clear code in both languages, and no line, hold or stock changed."""
    before = state(shop)
    r = ask(client, wo, lines, badge=badge)
    assert r.status_code == status, r.get_json()
    body = r.get_json()
    assert body["code"] == code and body["error"] and body["error_zh"]
    assert state(shop) == before


def test_malformed_bodies_are_400(shop, client):
    """GIVEN bodies of the wrong shape THEN 400 naming the field; an unknown job or line 404."""
    assert client.post("/api/workorders/1001/requests", json={"badge": "T001"}).status_code == 400
    assert client.post("/api/workorders/1001/requests", json={"badge": "T001", "lines": [3]}).status_code == 400
    assert client.post("/api/workorders/1001/requests", json={"lines": []}).status_code == 400
    assert ask(client, "9999", [("OF-100", 1)]).status_code == 404
    r = client.post("/api/requests/424242/approve", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 404 and r.get_json()["code"] == "unknown_request"
    line = ask(client, "1001", [("OF-100", 1)]).get_json()["lines"][0]["id"]
    assert client.post(f"/api/requests/{line}/move", json={"badge": "SUP1", "to": "x"}).status_code == 400


def test_special_order_received_through_the_api_reserves_for_the_job(shop, client):
    """GIVEN a backordered line put on a delivery WHEN the delivery is received through the API
    THEN the line is reserved and the special order is gone."""
    client.post("/api/parts", json={"part_no": "BP-400", "name": "Brake pads front", "supplier": "Bosch"})
    ask(client, "1002", [("BP-400", 3)], badge="T002")  # holds all 3 on hand
    line = ask(client, "1001", [("BP-400", 2)]).get_json()["lines"][0]
    assert line["status"] == "backordered"
    dlv = client.post("/api/special-orders/delivery", json={"badge": "S001", "supplier": "Bosch", "reference": "SO-9"})
    dlv_id = dlv.get_json()["delivery"]["id"]
    r = client.post(
        f"/api/deliveries/{dlv_id}/receive",
        json={"badge": "S001", "lines": [{"part_no": "BP-400", "qty": 2, "location": "A-01-02"}]},
    )
    assert r.status_code == 200, r.get_json()
    got = client.get("/api/workorders/1001").get_json()["requests"]
    assert [(x["reserved"], x["status"]) for x in got] == [(2, "reserved")]
    assert client.get("/api/special-orders").get_json()["lines"] == []
    invariant(shop)
