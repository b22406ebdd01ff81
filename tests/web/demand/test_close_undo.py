"""UNDO of the scan that cancelled or delivered a job: its request lines open again and hold what the closing
released, as far as that stock is still free; the rest is backordered and the board says the job waits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.models import RequestClosure
from tests.web.demand.helpers import ask, invariant, scan, state

# Dates come from the pinned clock (promises on the board).
pytestmark = pytest.mark.clock


def _requests(client, wo: str) -> list[tuple[str, int, int, int, str]]:
    rows = client.get(f"/api/workorders/{wo}").get_json()["requests"]
    return [(x["part_no"], x["qty"], x["reserved"], x["issued"], x["status"]) for x in rows]


def _board(client, wo: str) -> dict:
    jobs = {j["number"]: j for j in client.get("/api/workorders/board").get_json()["jobs"]}
    return jobs[wo]


def _reserved(client, part_no: str) -> int:
    return client.get(f"/api/parts/{part_no}").get_json()["reserved"]


def _closures(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(RequestClosure)) or 0


def test_undo_of_a_cancel_restores_the_holds(shop, service, client):
    """GIVEN job 1001 holding 4 oil filters and 3 of 5 brake pads WHEN it is cancelled by scan and the cancel undone
    THEN both lines hold what they held, the brake pads short by 2 again, and the board shows it waiting for parts."""
    ask(client, "1001", [("OF-100", 4), ("BP-400", 5)])
    before = _requests(client, "1001")
    assert before == [("OF-100", 4, 4, 0, "reserved"), ("BP-400", 5, 3, 0, "partial")]
    res = scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL")
    assert res[-1].code == "status_changed", res[-1].message
    assert [x[2:] for x in _requests(client, "1001")] == [(0, 0, "cancelled"), (0, 0, "cancelled")]
    assert _reserved(client, "OF-100") == 0 and _reserved(client, "BP-400") == 0
    assert _closures(shop) == 2

    res = scan(service, "CMD:UNDO")
    assert res[-1].code == "undone", res[-1].message
    assert client.get("/api/workorders/1001").get_json()["status"] != "cancelled"
    assert _requests(client, "1001") == before
    assert _reserved(client, "OF-100") == 4 and _reserved(client, "BP-400") == 3
    job = _board(client, "1001")
    assert "waiting_parts" in job["flags"] and job["parts_outstanding"]
    assert _closures(shop) == 0  # used up: nothing can be restored twice
    invariant(shop)


def test_undo_of_a_delivery_restores_the_unissued_hold(shop, service, client):
    """GIVEN 1001 asked 6 spark plugs and got 2 issued WHEN it is delivered (4 held released) and the DELIVER undone
    THEN the line is open again holding 4 with 2 issued, and the job is ready again."""
    ask(client, "1001", [("SP-200", 6)])
    assert scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:SP-200")[-1].code == "issued"
    assert _requests(client, "1001") == [("SP-200", 6, 4, 2, "reserved")]
    texts = ("CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY", "CMD:DELIVER")
    res = scan(service, *texts)
    assert res[-1].code == "status_changed", [r.message for r in res]
    assert _requests(client, "1001") == [("SP-200", 6, 0, 2, "issued")]
    assert _reserved(client, "SP-200") == 0

    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert client.get("/api/workorders/1001").get_json()["status"] == "ready"
    assert _requests(client, "1001") == [("SP-200", 6, 4, 2, "reserved")]
    assert _reserved(client, "SP-200") == 4
    assert "waiting_parts" not in _board(client, "1001")["flags"]
    invariant(shop)


def test_undo_after_another_job_took_the_stock_backorders_the_rest(shop, service, client):
    """GIVEN 1001 held all 3 brake pads WHEN it is cancelled, job 1002 takes 2 of them at another counter, and the
    cancel is undone THEN 1001 holds the 1 left, is short 2 (partial), and waits for parts; nothing above stock."""
    ask(client, "1001", [("BP-400", 3)])
    assert scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL")[-1].code == "status_changed"
    res = scan(service, "U:T002", "WO:1002", "CMD:ISSUE", "Q:2", "P:BP-400", station="counter-2", device="c2")
    assert res[-1].code == "issued", res[-1].message

    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert _requests(client, "1001") == [("BP-400", 3, 1, 0, "partial")]
    part = client.get("/api/parts/BP-400").get_json()
    assert (part["on_hand"], part["reserved"], part["available"]) == (1, 1, 0)
    job = _board(client, "1001")
    assert "waiting_parts" in job["flags"] and job["hold_reason"] == "parts"
    special = client.get("/api/special-orders").get_json()["lines"]
    assert [(x["workorder"], x["part_no"], x["qty"]) for x in special] == [("1001", "BP-400", 2)]
    invariant(shop)


def test_undo_when_another_job_holds_everything_leaves_the_line_backordered(shop, service, client):
    """GIVEN 1001 held 2 alternators WHEN it is cancelled, 1002 requests both, and the cancel is undone
    THEN 1001's line is backordered (nothing free), 1002 keeps its hold."""
    ask(client, "1001", [("ALT-300", 2)])
    assert scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL")[-1].code == "status_changed"
    ask(client, "1002", [("ALT-300", 2)], badge="T002")
    assert scan(service, "CMD:UNDO")[-1].code == "undone"
    assert _requests(client, "1001") == [("ALT-300", 2, 0, 0, "backordered")]
    assert _requests(client, "1002") == [("ALT-300", 2, 2, 0, "reserved")]
    assert "waiting_parts" in _board(client, "1001")["flags"]
    invariant(shop)


def test_undo_twice_restores_once(shop, service, client):
    """GIVEN a cancel undone in the same batch it was made in WHEN UNDO is scanned again
    THEN nothing_to_undo and the holds are what the first UNDO restored, not twice that."""
    ask(client, "1001", [("OF-100", 4)])
    res = scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL", "CMD:UNDO", "CMD:UNDO")
    assert [r.code for r in res[-3:]] == ["status_changed", "undone", "nothing_to_undo"]
    assert _requests(client, "1001") == [("OF-100", 4, 4, 0, "reserved")]
    after = state(shop)
    assert scan(service, "CMD:UNDO")[-1].code == "nothing_to_undo"
    assert state(shop) == after
    assert _reserved(client, "OF-100") == 4
    # Cancelled again, by the API this time: released, and no scan UNDO can bring it back.
    r = client.post("/api/workorders/1001/status", json={"status": "cancelled", "badge": "SUP1"})
    assert r.status_code == 200, r.get_json()
    assert _requests(client, "1001") == [("OF-100", 4, 0, 0, "cancelled")]
    assert scan(service, "CMD:UNDO")[-1].code == "nothing_to_undo"
    assert _reserved(client, "OF-100") == 0 and _closures(shop) == 0
    invariant(shop)


def test_undo_of_a_cancel_whose_units_went_to_a_waiting_job_leaves_the_line_backordered(shop, service, client):
    """GIVEN 1001 holding all 3 brake pads and 1002 waiting for 3 WHEN 1001 is cancelled by scan THEN its 3 units go
    to 1002 at once; WHEN the cancel is undone THEN 1001 is open again but backordered (1002 keeps the units),
    and the board and the special orders say 1001 waits."""
    ask(client, "1001", [("BP-400", 3)])
    assert ask(client, "1002", [("BP-400", 3)], badge="T002").get_json()["lines"][0]["status"] == "backordered"
    res = scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL")
    assert res[-1].code == "status_changed", res[-1].message
    assert [(x["workorder"], x["qty"]) for x in res[-1].effects["reserved_for"]] == [("1002", 3)]
    assert _requests(client, "1002") == [("BP-400", 3, 3, 0, "reserved")]

    res = scan(service, "CMD:UNDO")
    assert res[-1].code == "undone", res[-1].message
    assert client.get("/api/workorders/1001").get_json()["status"] != "cancelled"
    assert _requests(client, "1001") == [("BP-400", 3, 0, 0, "backordered")]
    assert _requests(client, "1002") == [("BP-400", 3, 3, 0, "reserved")]
    job = _board(client, "1001")
    assert "waiting_parts" in job["flags"] and job["hold_reason"] == "parts"
    special = client.get("/api/special-orders").get_json()["lines"]
    assert [(x["workorder"], x["part_no"], x["qty"]) for x in special] == [("1001", "BP-400", 3)]
    assert _closures(shop) == 0
    invariant(shop)
