"""Stock freed outside a receipt goes to the jobs waiting for it, earliest needed first, and the counter is told.

Every test has job 1004 (promised 2026-11-28) holding the 3 brake pads there are, and two jobs waiting for
2 each: 1002 (no promise) asked first, 1001 (promised 2026-11-24) second. Whatever ends 1004's hold, 1001
gets 2 and 1002 the 1 left; the pick page's panel says why; the board's waiting-parts flag follows.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from floor.core.master import Importer
from floor.imports import import_csv
from floor.models import DemandNotice
from tests.web.demand.helpers import ask, invariant, scan

# Promises are dates after the pinned clock (2026-11-23T08:00Z).
pytestmark = pytest.mark.clock


def _requests(client: Any, wo: str) -> list[tuple[str, int, int, int, str]]:
    rows = client.get(f"/api/workorders/{wo}").get_json()["requests"]
    return [(x["part_no"], x["qty"], x["reserved"], x["issued"], x["status"]) for x in rows]


def _board(client: Any) -> dict[str, Any]:
    return {j["number"]: j for j in client.get("/api/workorders/board").get_json()["jobs"]}


def _panel(client: Any, lang: str = "en") -> str:
    """The counter's alert panel of the pick page (receipts and freed stock), as text."""
    page = client.get(f"/kiosk/picks/counter-1?lang={lang}").get_data(as_text=True)
    start = page.find('id="arrivals"')
    assert start >= 0, "no alert panel on the pick page"
    return page[start : page.find("</section>", start)]


def _job_1004(db: Any) -> None:
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("workorders", {"number": "1004", "vehicle": "Audi A4", "promised_at": "2026-11-28T17:00:00Z"})
        imp.finish()


def _waiting(client: Any) -> None:
    """1002 (no promise) then 1001 (promised earliest) ask for 2 brake pads each: nothing free, both backordered."""
    assert ask(client, "1002", [("BP-400", 2)], badge="T002").get_json()["lines"][0]["status"] == "backordered"
    assert ask(client, "1001", [("BP-400", 2)]).get_json()["lines"][0]["status"] == "backordered"


def _holding(db: Any, client: Any) -> int:
    """1004 holds all 3 brake pads (by the API), then 1002 and 1001 wait; returns 1004's line id."""
    _job_1004(db)
    line = ask(client, "1004", [("BP-400", 3)]).get_json()["lines"][0]
    assert (line["reserved"], line["status"]) == (3, "reserved")
    _waiting(client)
    return int(line["id"])


def _served_in_order(client: Any, db: Any) -> None:
    """1001 (needed first) got 2 and is off the waiting list; 1002 got the 1 left and still waits."""
    assert _requests(client, "1001") == [("BP-400", 2, 2, 0, "reserved")]
    assert _requests(client, "1002") == [("BP-400", 2, 1, 0, "partial")]
    board = _board(client)
    assert "waiting_parts" not in board["1001"]["flags"] and not board["1001"]["parts_outstanding"]
    assert "waiting_parts" in board["1002"]["flags"] and board["1002"]["hold_reason"] == "parts"
    special = client.get("/api/special-orders").get_json()["lines"]
    short = [(x["workorder"], x["part_no"], x["qty"]) for x in special if x["workorder"] in ("1001", "1002")]
    assert short == [("1002", "BP-400", 1)]
    part = client.get("/api/parts/BP-400").get_json()
    assert (part["on_hand"], part["reserved"], part["available"]) == (3, 3, 0)
    invariant(db)


def _told(client: Any, why_en: str, why_zh: str) -> None:
    """The pick page's panel tells the counter which part went to whom, and why, in both languages."""
    assert f"BP-400 freed ({why_en}) — reserved for waiting jobs: 1001 (2), 1002 (1)" in _panel(client)
    assert f"BP-400 已释放（{why_zh}）——已为等待的工单预留：1001 (2), 1002 (1)" in _panel(client, "zh")


def _scan_told(result: Any, why_en: str) -> None:
    """A scan that freed the units says so in its effects, as a receipt does."""
    got = result.effects["reserved_for"]
    assert [(x["workorder"], x["part_no"], x["qty"]) for x in got] == [("1001", "BP-400", 2), ("1002", "BP-400", 1)]
    alert = result.effects["alert"]
    assert (
        alert["code"] == "freed_reserved_for_waiting" and why_en in alert["message"] and "1001 (2)" in alert["message"]
    )


def test_a_cancelled_request_line_frees_its_units_for_the_earliest_needed(shop, client):
    """GIVEN 1004 holding all 3 brake pads, 1002 and 1001 waiting WHEN 1004's line is cancelled (API)
    THEN 1001 (promised first) gets 2, 1002 the last one, and the counter is told."""
    line = _holding(shop, client)
    r = client.post(f"/api/requests/{line}/cancel", json={"badge": "T001"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled", r.get_json()
    _served_in_order(client, shop)
    _told(client, f"request {line} cancelled", f"申领行 {line} 已取消")


def test_a_supervisor_release_goes_to_the_next_waiting_job_not_back(shop, client):
    """GIVEN 1004 holding 3 WHEN a supervisor releases 2 of them THEN they go to 1001 (not back to 1004, now short);
    WHEN he releases the last THEN 1002 gets it, and 1004's line stays backordered."""
    line = _holding(shop, client)
    r = client.post(f"/api/requests/{line}/release", json={"badge": "SUP1", "qty": 2})
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["reserved"], r.get_json()["status"]) == (1, "partial")
    assert _requests(client, "1001") == [("BP-400", 2, 2, 0, "reserved")]
    assert _requests(client, "1002") == [("BP-400", 2, 0, 0, "backordered")]
    r = client.post(f"/api/requests/{line}/release", json={"badge": "SUP1"})
    assert (r.get_json()["reserved"], r.get_json()["status"]) == (0, "backordered")
    _served_in_order(client, shop)
    assert "waiting_parts" in _board(client)["1004"]["flags"]
    assert f"BP-400 freed (released from request {line}) — reserved for waiting jobs: 1002 (1)" in _panel(client)
    assert "reserved for waiting jobs: 1001 (2)" in _panel(client)


def test_a_job_cancelled_by_scan_frees_its_holds_for_waiting_jobs(shop, service, client):
    """GIVEN 1004 holding 3 WHEN it is cancelled by scan THEN 1001 gets 2, 1002 1; the scan and the panel say so."""
    _holding(shop, client)
    res = scan(service, "U:SUP1", "WO:1004", "CMD:CANCEL")
    assert res[-1].code == "status_changed", res[-1].message
    assert _requests(client, "1004") == [("BP-400", 3, 0, 0, "cancelled")]
    _served_in_order(client, shop)
    _scan_told(res[-1], "job 1004 cancelled")
    _told(client, "job 1004 cancelled", "工单 1004 已取消")
    with shop.reading() as s:  # the notice names the scan that freed the units
        assert s.scalars(select(DemandNotice.event_id)).all() == [res[-1].event_id]


def test_a_job_cancelled_through_the_api_frees_its_holds_for_waiting_jobs(shop, client):
    """GIVEN 1004 holding 3 WHEN it is cancelled through the API THEN the same: 1001 gets 2, 1002 1, counter told."""
    _holding(shop, client)
    r = client.post("/api/workorders/1004/status", json={"status": "cancelled", "badge": "SUP1"})
    assert r.status_code == 200, r.get_json()
    _served_in_order(client, shop)
    _told(client, "job 1004 cancelled", "工单 1004 已取消")


def test_a_delivered_job_frees_what_it_held_unissued(shop, service, client):
    """GIVEN 1004 asked 4, holds 3 and got 1 of them issued, 1001 and 1002 waiting WHEN 1004 is delivered by scans
    THEN its 2 unissued units go to 1001 (nothing left for 1002), and the counter is told."""
    _job_1004(shop)
    ask(client, "1004", [("BP-400", 3)])
    assert scan(service, "U:T001", "WO:1004", "CMD:ISSUE", "Q:1", "P:BP-400")[-1].code == "issued"
    _waiting(client)
    texts = ("CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY", "CMD:DELIVER")
    res = scan(service, *texts)
    assert res[-1].code == "status_changed", [r.message for r in res]
    assert _requests(client, "1004") == [("BP-400", 3, 0, 1, "issued")]
    assert _requests(client, "1001") == [("BP-400", 2, 2, 0, "reserved")]
    assert _requests(client, "1002") == [("BP-400", 2, 0, 0, "backordered")]
    assert [(x["workorder"], x["qty"]) for x in res[-1].effects["reserved_for"]] == [("1001", 2)]
    assert "BP-400 freed (job 1004 delivered) — reserved for waiting jobs: 1001 (2)" in _panel(client)
    invariant(shop)


def test_parts_returned_to_stock_go_to_the_waiting_jobs(shop, service, client):
    """GIVEN 1004 was issued all 3 brake pads and 1002, 1001 wait WHEN 1004 returns the 3 unused by scan
    THEN 1001 gets 2 and 1002 1, and the return scan tells the counter."""
    _job_1004(shop)
    ask(client, "1004", [("BP-400", 3)])
    assert scan(service, "U:T001", "WO:1004", "CMD:ISSUE", "Q:3", "P:BP-400")[-1].code == "issued"
    _waiting(client)
    res = scan(service, "CMD:RETURN", "Q:3", "P:BP-400")
    assert res[-1].code == "returned", res[-1].message
    assert _requests(client, "1004") == [("BP-400", 3, 0, 0, "cancelled")]
    _served_in_order(client, shop)
    _scan_told(res[-1], "returned from job 1004")
    _told(client, "returned from job 1004", "工单 1004 退回")


def test_an_undone_request_scan_frees_its_hold_for_the_waiting_jobs(shop, service, client):
    """GIVEN 1004 holding 3 by a REQUEST scan and 1002, 1001 waiting WHEN the request is undone
    THEN its line is cancelled and 1001 gets 2, 1002 1; the counter is told."""
    _job_1004(shop)
    res = scan(service, "U:T001", "WO:1004", "CMD:REQUEST", "Q:3", "P:BP-400")
    assert res[-1].code == "requested_reserved", res[-1].message
    _waiting(client)
    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert _requests(client, "1004") == [("BP-400", 3, 0, 0, "cancelled")]
    _served_in_order(client, shop)
    _told(client, "a scan undone", "扫描已撤销")


def test_closing_a_job_judges_the_warning_line_again(shop, service, client):
    """GIVEN 1004 holding 10 of the 14 oil filters (warning line 5: raised, 4 free) WHEN it is cancelled by scan
    THEN the alert is cleared (14 free); WHEN 1001 then holds 10 and is cancelled through the API THEN raised and cleared again."""
    _job_1004(shop)
    ask(client, "1004", [("OF-100", 10)])
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert [e["alert"] for e in log] == ["raised"]
    assert scan(service, "U:SUP1", "WO:1004", "CMD:CANCEL")[-1].code == "status_changed"
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert sorted(e["alert"] for e in log) == ["cleared", "raised"]
    assert "OF-100" not in {x["part_no"] for x in client.get("/api/alerts").get_json()["low_stock"]}
    ask(client, "1001", [("OF-100", 10)])
    r = client.post("/api/workorders/1001/status", json={"status": "cancelled", "badge": "SUP1"})
    assert r.status_code == 200, r.get_json()
    log = client.get("/api/alerts/log?part_no=OF-100").get_json()["events"]
    assert sorted(e["alert"] for e in log) == ["cleared", "cleared", "raised", "raised"]


def test_a_stock_import_lowering_a_level_trims_holds_and_a_raise_serves_waiting_jobs(shop, client):
    """GIVEN 1001 holding 2 brake pads and 1002 holding 1 (all 3 on hand) WHEN an import sets the bin to 1
    THEN holds shrink to 1, the job needed last (1002, no promise) giving first; WHEN an import sets it to 5
    THEN 1001 then 1002 are served again and the counter is told the part is in stock."""
    ask(client, "1001", [("BP-400", 2)])
    ask(client, "1002", [("BP-400", 1)], badge="T002")
    report = import_csv(shop, "stock", b"part_no,location,qty\nBP-400,A-01-01,1\n")
    assert not report.errors, report.errors
    assert _requests(client, "1001") == [("BP-400", 2, 1, 0, "partial")]
    assert _requests(client, "1002") == [("BP-400", 1, 0, 0, "backordered")]
    part = client.get("/api/parts/BP-400").get_json()
    assert (part["on_hand"], part["reserved"], part["available"]) == (1, 1, 0)
    invariant(shop)
    report = import_csv(shop, "stock", b"part_no,location,qty\nBP-400,A-01-01,5\n")
    assert not report.errors, report.errors
    assert _requests(client, "1001") == [("BP-400", 2, 2, 0, "reserved")]
    assert _requests(client, "1002") == [("BP-400", 1, 1, 0, "reserved")]
    assert "BP-400 in stock — reserved for waiting jobs: 1001 (1), 1002 (1)" in _panel(client)
    invariant(shop)


def test_the_panel_lists_receipts_and_freed_units_newest_first(shop, service, client):
    """GIVEN 1004's hold freed to 1001 and 1002 (1002 still short 1) WHEN a brake pad is received
    THEN the panel shows the receipt for 1002 above the earlier freed units."""
    line = _holding(shop, client)
    assert client.post(f"/api/requests/{line}/cancel", json={"badge": "T001"}).status_code == 200
    res = scan(service, "U:S001", "CMD:RECEIVE", "Q:1", "P:BP-400", station="dock-1", device="dock")
    assert res[-1].code == "received_reserved", res[-1].message
    panel = _panel(client)
    receipt = panel.find("reserved for waiting jobs: 1002 (1)")
    freed = panel.find(f"BP-400 freed (request {line} cancelled)")
    assert 0 <= receipt < freed, panel
    assert _requests(client, "1002") == [("BP-400", 2, 2, 0, "reserved")]
    invariant(shop)
