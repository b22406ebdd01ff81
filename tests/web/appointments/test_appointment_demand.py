"""Appointments' parts where the store works (SPEC 9.4): in the pick queue and the special orders before the car
comes, ordered by the appointment's time against jobs' promises; a receipt reserves for them in that order."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select, update

from floor.models import Part, StockLevel
from tests.web.demand.helpers import ask, invariant
from tests.web.demand.helpers import scan as scan_at

pytestmark = pytest.mark.clock  # bookings are checked against now

# The pinned clock is 2026-11-23T08:00:00Z; the site runs on UTC in the tests. Job 1001 is promised for
# 2026-11-24T17:00Z, job 1002 has no promise.


def book(client: Any, at: str, lines: list[tuple[str, int]], plate: str = "沪B 67890", customer: str = "Qian") -> int:
    """Book an appointment by advisor ADV1; returns its id."""
    body = {
        "badge": "ADV1",
        "at": at,
        "customer": customer,
        "plate": plate,
        "lines": [{"part_no": p, "qty": q} for p, q in lines],
    }
    r = client.post("/api/appointments", json=body)
    assert r.status_code == 201, r.get_json()
    return int(r.get_json()["id"])


def owner(row: dict[str, Any]) -> str:
    """A listed line's owner: the job number, or `A<id>` for an appointment."""
    return row["workorder"] if row["appointment"] is None else f"A{row['appointment']['id']}"


def test_pick_queue_holds_appointments_in_time_order_against_promises(workshop, client):
    """GIVEN job 1001 (promised tomorrow 17:00), job 1002 (no promise), appointment A tomorrow 09:30 and B the day
    after, each holding stock WHEN the pick queue is read THEN A, 1001, B, 1002; the appointments' lines are marked
    with their day, time and plate; the kiosk pick page shows them as appointments (en and zh); after arrival the
    lines are the job's, and a moved appointment moves in the queue."""
    ask(client, "1001", [("SP-200", 2)])
    ask(client, "1002", [("SP-200", 1)], badge="T002")
    a = book(client, "2026-11-24T09:30:00Z", [("OF-100", 2), ("BP-400", 1)])
    b = book(client, "2026-11-25T08:00:00Z", [("SP-200", 1)], plate="京A 1", customer="Sun")

    picks = client.get("/api/picks").get_json()["picks"]
    assert [(owner(p), p["part_no"], p["qty"]) for p in picks] == [
        (f"A{a}", "OF-100", 2),
        (f"A{a}", "BP-400", 1),
        ("1001", "SP-200", 2),
        (f"A{b}", "SP-200", 1),
        ("1002", "SP-200", 1),
    ]
    first = picks[0]
    assert first["workorder"] is None and first["promised_at"] is None
    assert first["appointment"] == {
        "id": a,
        "at": "2026-11-24T09:30:00+00:00",
        "day": "2026-11-24",
        "time": "09:30",
        "plate": "沪B67890",
        "customer": "Qian",
    }
    assert first["location"] == "A-01-01" and first["need_by"] == "2026-11-24T09:30:00+00:00"
    assert picks[2]["appointment"] is None and picks[2]["need_by"] == picks[2]["promised_at"]
    assert [owner(p) for p in client.get("/api/picks?workorder=1001").get_json()["picks"]] == ["1001"]

    html = client.get("/kiosk/picks/counter-1?lang=en").get_data(as_text=True)
    sections = re.findall(r'data-(workorder|appointment)="([^"]+)"', html)
    assert sections == [("appointment", str(a)), ("workorder", "1001"), ("appointment", str(b)), ("workorder", "1002")]
    assert "Appointment</span> 11-24 09:30" in html and "沪B67890" in html
    assert "预约</span> 11-24 09:30" in client.get("/kiosk/picks/counter-1?lang=zh").get_data(as_text=True)

    # B moved to before 1001's promise: it comes before 1001 now, with the same holds.
    r = client.post(f"/api/appointments/{b}/reschedule", json={"badge": "ADV1", "at": "2026-11-24T12:00:00Z"})
    assert r.status_code == 200, r.get_json()
    picks = client.get("/api/picks").get_json()["picks"]
    assert [owner(p) for p in picks] == [f"A{a}", f"A{a}", f"A{b}", "1001", "1002"]

    # A arrives: its lines are job 3001's (no promise given: last), no longer an appointment's.
    r = client.post(f"/api/appointments/{a}/arrive", json={"badge": "ADV1", "number": "3001"})
    assert r.status_code == 201, r.get_json()
    picks = client.get("/api/picks").get_json()["picks"]
    assert [owner(p) for p in picks] == [f"A{b}", "1001", "1002", "3001", "3001"]
    # B cancelled: its line leaves the queue.
    assert client.post(f"/api/appointments/{b}/cancel", json={"badge": "ADV1"}).status_code == 200
    assert [owner(p) for p in client.get("/api/picks").get_json()["picks"]] == ["1001", "1002", "3001", "3001"]
    invariant(workshop)


def test_shortfalls_are_special_orders_and_a_receipt_serves_them_in_time_order(workshop, service, client):
    """GIVEN job 1001 holding all 3 brake pads, appointment X (tomorrow 09:30) short of 2, job 1002 (no promise)
    short of 1 and appointment Y (in three days) short of 1 WHEN the special orders are listed THEN X, Y, 1002 per
    supplier, marked; put on a delivery; WHEN 3 arrive by scan THEN X gets 2 and Y 1 (the counter told); WHEN 1 more comes through the API THEN 1002 gets it."""
    client.post("/api/parts", json={"part_no": "BP-400", "name": "Brake pads front", "supplier": "Bosch"})
    ask(client, "1001", [("BP-400", 3)])
    x = book(client, "2026-11-24T09:30:00Z", [("BP-400", 2)])
    ask(client, "1002", [("BP-400", 1)], badge="T002")
    y = book(client, "2026-11-26T10:00:00Z", [("BP-400", 1)], plate="京A 1")

    body = client.get("/api/special-orders").get_json()
    assert [(owner(r), r["part_no"], r["qty"], r["status"]) for r in body["lines"]] == [
        (f"A{x}", "BP-400", 2, "backordered"),
        (f"A{y}", "BP-400", 1, "backordered"),
        ("1002", "BP-400", 1, "backordered"),
    ]
    assert body["lines"][0]["appointment"]["plate"] == "沪B67890" and body["lines"][0]["appointment"]["day"] == (
        "2026-11-24"
    )
    assert [s["supplier"] for s in body["suppliers"]] == ["Bosch"] and len(body["suppliers"][0]["lines"]) == 3
    r = client.post("/api/special-orders/delivery", json={"badge": "S001", "supplier": "Bosch", "reference": "SO-7"})
    assert r.status_code == 201, r.get_json()
    delivery = r.get_json()["delivery"]["id"]
    dlv = client.get(f"/api/deliveries/{delivery}").get_json()
    assert [(line["part_no"], line["expected"]) for line in dlv["lines"]] == [("BP-400", 4)]  # one line per part

    res = scan_at(service, "U:S001", "CMD:RECEIVE", "Q:3", "P:BP-400", station="dock-1", device="dock")
    assert res[-1].ok, res[-1].message
    served = res[-1].effects["reserved_for"]
    assert [(s["workorder"], s["appointment"]["id"] if s["appointment"] else None, s["qty"]) for s in served] == [
        (None, x, 2),
        (None, y, 1),
    ]
    assert res[-1].code == "received_reserved"
    assert f"appointment {x} 沪B67890 (2), appointment {y} 京A1 (1)" in res[-1].message
    assert f"预约 {x} 沪B67890 (2)" in res[-1].message_zh

    [a] = client.get("/api/appointments?date=2026-11-24").get_json()["appointments"]
    assert [(line["reserved"], line["status"]) for line in a["lines"]] == [(2, "reserved")]
    assert [owner(r) for r in client.get("/api/special-orders").get_json()["lines"]] == ["1002"]

    r = client.post(
        f"/api/deliveries/{delivery}/receive",
        json={"badge": "S001", "lines": [{"part_no": "BP-400", "qty": 1, "location": "A-01-02"}]},
    )
    assert r.status_code == 200, r.get_json()
    assert client.get("/api/special-orders").get_json()["lines"] == []
    assert [(q["reserved"], q["status"]) for q in client.get("/api/workorders/1002").get_json()["requests"]] == [
        (1, "reserved")
    ]
    invariant(workshop)


def test_cancelled_and_arrived_appointments_leave_the_special_orders(workshop, client):
    """GIVEN two appointments short of alternators WHEN one is cancelled and the other arrives THEN the cancelled
    one is gone from the special orders and the arrived one is listed under its job."""
    book(client, "2026-11-24T09:30:00Z", [("ALT-300", 2)])  # holds both on the shelf
    short = book(client, "2026-11-24T11:00:00Z", [("ALT-300", 1)])
    gone = book(client, "2026-11-25T11:00:00Z", [("ALT-300", 1)])
    assert [owner(r) for r in client.get("/api/special-orders").get_json()["lines"]] == [f"A{short}", f"A{gone}"]
    assert client.post(f"/api/appointments/{gone}/cancel", json={"badge": "ADV1"}).status_code == 200
    r = client.post(f"/api/appointments/{short}/arrive", json={"badge": "ADV1", "number": "3100"})
    assert r.status_code == 201, r.get_json()
    assert [owner(r) for r in client.get("/api/special-orders").get_json()["lines"]] == ["3100"]


def test_stock_leaving_trims_the_latest_needed_first(workshop, client):
    """GIVEN appointment tomorrow 09:30 and job 1001 (promised tomorrow 17:00) holding one alternator each WHEN one
    leaves the shelf THEN the job, needed later, gives its hold up; the appointment keeps its own."""
    from floor.core.demand import followers

    appt = book(client, "2026-11-24T09:30:00Z", [("ALT-300", 1)])
    ask(client, "1001", [("ALT-300", 1)])
    with workshop.writing() as s:
        part_id = s.scalar(select(Part.id).where(Part.part_no == "ALT-300"))
        s.execute(update(StockLevel).where(StockLevel.part_id == part_id).values(qty=1))
        assert [give for _, give in followers.trim_to_stock(s, part_id)] == [1]
    [a] = client.get("/api/appointments?date=2026-11-24").get_json()["appointments"]
    assert a["id"] == appt and [(x["reserved"], x["status"]) for x in a["lines"]] == [(1, "reserved")]
    job = client.get("/api/workorders/1001").get_json()["requests"]
    assert [(x["reserved"], x["status"]) for x in job] == [(0, "backordered")]
    invariant(workshop)
