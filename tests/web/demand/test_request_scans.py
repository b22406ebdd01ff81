"""Parts demand on the scan path: REQUEST mode, issues against reservations, returns, UNDO, closing jobs, receipts."""

from __future__ import annotations

import pytest

from floor.service.factory import create_app
from tests.conftest import make_config
from tests.web.demand.helpers import ask, invariant, scan, state

# Dates come from the pinned clock (promises, deadlines, closing time, periods).
pytestmark = pytest.mark.clock


def _requests(client, wo: str) -> list[tuple[str, int, int, int, str]]:
    rows = client.get(f"/api/workorders/{wo}").get_json()["requests"]
    return [(x["part_no"], x["qty"], x["reserved"], x["issued"], x["status"]) for x in rows]


def test_request_mode_requests_instead_of_issuing(shop, service, client):
    """GIVEN CMD:REQUEST at a counter WHEN parts are scanned THEN lines are made and reserved, no stock moves."""
    res = scan(service, "U:T001", "WO:1001", "CMD:REQUEST", "Q:3", "P:OF-100", "Q:5", "P:BP-400")
    assert [r.code for r in res] == [
        "actor_set",
        "wo_set",
        "mode_set",
        "qty_set",
        "requested_reserved",
        "qty_set",
        "requested_partial",
    ]
    assert "申领" in res[2].message_zh and "预留" in res[4].message_zh
    assert _requests(client, "1001") == [("OF-100", 3, 3, 0, "reserved"), ("BP-400", 5, 3, 0, "partial")]
    assert client.get("/api/parts/OF-100").get_json()["on_hand"] == 14


def test_request_mode_at_a_kiosk_and_not_at_a_dock(shop, service):
    """GIVEN a kiosk and a receiving dock WHEN CMD:REQUEST is scanned THEN the kiosk takes it, the dock refuses it."""
    assert scan(service, "CMD:REQUEST", station="kiosk-1")[0].code == "mode_set"
    assert scan(service, "U:S001", "CMD:REQUEST", station="dock-1", device="d2")[1].code == "mode_not_allowed"


def test_issue_consumes_own_reservation_and_refuses_anothers(shop, service, client):
    """GIVEN 1001 holds 12 of 14 oil filters WHEN 1002 takes 3 THEN reserved_for_other naming 1001; 1001 takes its own."""
    ask(client, "1001", [("OF-100", 12)])
    before = state(shop)
    res = scan(service, "U:T002", "WO:1002", "CMD:ISSUE", "Q:3", "P:OF-100", station="counter-2", device="c2")
    assert res[-1].code == "reserved_for_other", res[-1].message
    assert "1001" in res[-1].message and "1001" in res[-1].message_zh
    assert state(shop) == before
    ok = scan(service, "U:T002", "WO:1002", "CMD:ISSUE", "Q:2", "P:OF-100", station="counter-2", device="c2")
    assert ok[-1].code == "issued"
    res = scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:5", "P:OF-100")
    assert res[-1].code == "issued" and res[-1].effects["requests"][0]["qty"] == 5
    assert _requests(client, "1001") == [("OF-100", 12, 7, 5, "reserved")]
    res = scan(service, "Q:3", "P:OF-100", "L:B-02-01", "Q:4", "P:OF-100")
    assert [r.code for r in res] == ["qty_set", "issued", "location_set", "qty_set", "issued"]
    assert _requests(client, "1001") == [("OF-100", 12, 0, 12, "issued")]
    part = client.get("/api/parts/OF-100").get_json()
    assert (part["on_hand"], part["reserved"]) == (0, 0)
    invariant(shop)


def test_awaiting_approval_cannot_be_issued(shop, db):
    """GIVEN an alternator line awaiting approval WHEN it is issued THEN refused; after approval it issues."""
    cfg = make_config(requisition={"approval_value": "100"})
    client = create_app(cfg, db, {"TESTING": True}).test_client()
    from floor.application.scan_service import ScanService

    service = ScanService(cfg, db)
    line = ask(client, "1001", [("ALT-300", 2)]).get_json()["lines"][0]
    assert (line["status"], line["reserved"]) == ("awaiting_approval", 2)
    res = scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "P:ALT-300")
    assert res[-1].code == "request_awaiting_approval" and not res[-1].ok
    client.post(f"/api/requests/{line['id']}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert scan(service, "P:ALT-300")[-1].code == "issued"


def test_undo_of_a_request_scan_and_of_an_issue(shop, service, client):
    """GIVEN a request by scan WHEN undone THEN cancelled and released; an undone issue restores the hold."""
    scan(service, "U:T001", "WO:1001", "CMD:REQUEST", "Q:4", "P:OF-100")
    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert _requests(client, "1001") == [("OF-100", 4, 0, 0, "cancelled")]
    ask(client, "1001", [("SP-200", 6)])
    assert scan(service, "CMD:ISSUE", "Q:4", "P:SP-200")[-1].code == "issued"
    assert _requests(client, "1001")[-1] == ("SP-200", 6, 2, 4, "reserved")
    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert _requests(client, "1001")[-1] == ("SP-200", 6, 6, 0, "reserved")
    invariant(shop)


def test_return_cancel_and_delivery_release_holds(shop, service, client):
    """GIVEN holds on jobs WHEN a part is returned, a job cancelled THEN what they still held is free again."""
    ask(client, "1001", [("SP-200", 6)])
    scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:SP-200", "CMD:RETURN", "P:SP-200")
    assert _requests(client, "1001") == [("SP-200", 6, 0, 1, "issued")]
    ask(client, "1002", [("OF-100", 4), ("BP-400", 1)], badge="T002")
    assert client.get("/api/parts/OF-100").get_json()["reserved"] == 4
    r = client.post("/api/workorders/1002/status", json={"status": "cancelled", "badge": "SUP1"})
    assert r.status_code == 200, r.get_json()
    assert [x[-1] for x in _requests(client, "1002")] == ["cancelled", "cancelled"]
    assert client.get("/api/parts/OF-100").get_json()["reserved"] == 0
    invariant(shop)


def test_delivered_job_releases_unissued_holds(shop, service, client):
    """GIVEN job 1001 with a held line WHEN it is delivered by scans THEN the hold is released."""
    ask(client, "1001", [("BP-400", 2)])
    # READY needs a PASS of final inspection, by a supervisor who did not work on the job (SPEC 9.4).
    texts = ("U:T001", "WO:1001", "CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY", "CMD:DELIVER")
    res = scan(service, *texts, station="counter-2", device="x")
    assert [r.code for r in res][-4:-1] == ["actor_set", "qc_passed", "status_changed"], [r.message for r in res]
    assert res[-1].code == "status_changed", res[-1].message
    assert _requests(client, "1001") == [("BP-400", 2, 0, 0, "cancelled")]
    assert client.get("/api/parts/BP-400").get_json()["available"] == 3


def test_receipt_reserves_for_waiting_jobs_earliest_promised_first(shop, service, client):
    """GIVEN 1002 and 1001 (promised earlier) waiting for brake pads WHEN 4 arrive THEN 1001 is served first, the counter told."""
    ask(client, "1002", [("BP-400", 5)], badge="T002")  # 3 held, 2 short
    ask(client, "1001", [("BP-400", 3)])
    assert _requests(client, "1001")[0][2:] == (0, 0, "backordered")
    wait = client.get("/api/workorders/board").get_json()["jobs"]
    flagged = {j["number"]: j for j in wait}
    assert "waiting_parts" in flagged["1001"]["flags"] and flagged["1001"]["parts_outstanding"]
    res = scan(service, "U:S001", "CMD:RECEIVE", "Q:4", "P:BP-400", station="dock-1", device="dock")
    assert res[-1].ok, res[-1].message
    reserved = res[-1].effects["reserved_for"]
    assert [(x["workorder"], x["qty"]) for x in reserved] == [("1001", 3), ("1002", 1)]
    assert (
        res[-1].effects["alert"]["code"] == "special_order_arrived" and "1001" in res[-1].effects["alert"]["message_zh"]
    )
    assert res[-1].code == "received_reserved" and "1001 (3)" in res[-1].message and "预留" in res[-1].message_zh
    picks_page = client.get("/kiosk/picks/counter-1?lang=en").get_data(as_text=True)
    assert 'id="arrivals"' in picks_page and "reserved for waiting jobs: 1001 (3), 1002 (1)" in picks_page
    assert _requests(client, "1001")[0][2:] == (3, 0, "reserved")
    assert _requests(client, "1002")[0][2:] == (4, 0, "partial")
    board = {j["number"]: j for j in client.get("/api/workorders/board").get_json()["jobs"]}
    assert "waiting_parts" not in board["1001"]["flags"] and not board["1001"]["parts_outstanding"]
    assert "waiting_parts" in board["1002"]["flags"] and board["1002"]["hold_reason"] == "parts"
    invariant(shop)


def test_reserved_stock_is_not_free_for_the_warning_line(shop, service, client):
    """GIVEN OF-100 (14 on hand, warning line 5) WHEN 10 are requested THEN the alert is raised and the reorder list
    counts 4 free; cancelling the request clears it."""
    line = ask(client, "1001", [("OF-100", 10)]).get_json()["lines"][0]["id"]
    low = {x["part_no"]: x for x in client.get("/api/alerts").get_json()["low_stock"]}
    assert low["OF-100"]["on_hand"] == 4 and low["OF-100"]["suggested_qty"] >= 1
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert [e["alert"] for e in log] == ["raised"]
    client.post(f"/api/requests/{line}/cancel", json={"badge": "T001"})
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert sorted(e["alert"] for e in log) == ["cleared", "raised"]
    res = scan(service, "U:T001", "WO:1001", "CMD:REQUEST", "Q:10", "P:OF-100")
    assert res[-1].effects["stock_alerts"][0]["alert"] == "raised"


def test_undone_receipt_takes_back_the_holds_it_gave(shop, service, client):
    """GIVEN a receipt that reserved brake pads for a waiting job WHEN the receipt is undone
    THEN holds shrink to the stock there is, the job promised latest (1002: no promise) losing first."""
    ask(client, "1002", [("BP-400", 3)], badge="T002")
    ask(client, "1001", [("BP-400", 2)])
    res = scan(service, "U:S001", "CMD:RECEIVE", "Q:2", "P:BP-400", station="dock-1", device="dock")
    assert res[-1].code == "received_reserved"
    assert _requests(client, "1001")[0][2:] == (2, 0, "reserved")
    assert scan(service, "CMD:UNDO", station="dock-1", device="dock")[-1].code == "undone"
    assert _requests(client, "1001")[0][2:] == (2, 0, "reserved")
    assert _requests(client, "1002")[0][2:] == (1, 0, "partial")
    invariant(shop)


def test_demand_read_ahead_follows_changes_later_in_the_batch(shop, service, client):
    """GIVEN 1001 holds 12 of 14 oil filters WHEN one batch delivers 1001 and then issues 3 to 1002
    THEN the issue sees the freed stock: the batch's demand was read ahead, and the delivery's release re-reads it."""
    ask(client, "1001", [("OF-100", 12)])
    texts = ("U:T001", "WO:1001", "CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY", "CMD:DELIVER")
    res = scan(service, *texts, "WO:1002", "CMD:ISSUE", "Q:3", "P:OF-100", station="counter-2", device="x")
    assert res[7].code == "status_changed", [r.message for r in res]
    assert res[-1].code == "issued", res[-1].message
    assert _requests(client, "1001") == [("OF-100", 12, 0, 0, "cancelled")]
    part = client.get("/api/parts/OF-100").get_json()
    assert (part["on_hand"], part["reserved"]) == (11, 0)
    invariant(shop)


def test_demand_read_ahead_follows_a_request_made_earlier_in_the_batch(shop, service):
    """GIVEN no demand for oil filters WHEN one batch requests 12 for 1001 and then issues 3 to 1002
    THEN the issue is refused: the request made in the batch counts, though the batch's demand was read before it."""
    res = scan(
        service,
        *("U:T001", "WO:1001", "CMD:REQUEST", "Q:12", "P:OF-100"),
        *("U:T002", "WO:1002", "CMD:ISSUE", "Q:3", "P:OF-100"),
    )
    assert res[4].code == "requested_reserved", res[4].message
    assert res[-1].code == "reserved_for_other", res[-1].message
    invariant(shop)
