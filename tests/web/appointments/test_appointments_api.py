"""Appointments (SPEC 9.4) by API: booking reserves through the requests of 9.2, arrival makes the job."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from floor.models import Appointment, AuditEntry, PartRequest, Reservation, WorkOrder
from tests.core.workorders.helpers import codes, scan
from tests.web.reception.helpers import data_url

# The pinned clock is 2026-11-23T08:00:00Z; the site runs on UTC in the tests.
TOMORROW = "2026-11-24T09:30:00Z"


def booking(**over: Any) -> dict[str, Any]:
    """A booking by advisor ADV1 for tomorrow morning: two oil filters and a set of brake pads."""
    body: dict[str, Any] = {
        "badge": "ADV1",
        "at": TOMORROW,
        "customer": "Qian",
        "plate": "沪B 67890",
        "lines": [{"part_no": "OF-100", "qty": 2}, {"part_no": "BP-400", "qty": 1}],
    }
    body.update(over)
    return body


def reserved(client: Any, part_no: str) -> int:
    return client.get(f"/api/parts/{part_no}").get_json()["reserved"]


def state(db: Any) -> tuple[int, ...]:
    """Counts of everything a refused write must leave alone."""
    with db.reading() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Appointment, PartRequest, Reservation, WorkOrder, AuditEntry)
        )


def test_booking_reserves_and_arrival_hands_the_requests_to_the_job(workshop, client):
    """GIVEN a booking for tomorrow WHEN made THEN its parts are reserved and listed for the day and the store;
    WHEN the car arrives THEN the job exists with those request lines, and the day's list shows it arrived."""
    r = client.post("/api/appointments", json=booking())
    assert r.status_code == 201, r.get_json()
    appt = r.get_json()["id"]
    assert [(x["part_no"], x["reserved"], x["status"]) for x in r.get_json()["lines"]] == [
        ("OF-100", 2, "reserved"),
        ("BP-400", 1, "reserved"),
    ]
    assert reserved(client, "OF-100") == 2 and reserved(client, "BP-400") == 1

    day = client.get("/api/appointments?date=2026-11-24").get_json()
    [a] = day["appointments"]
    assert a["id"] == appt and a["plate"] == "沪B67890" and a["status"] == "booked" and a["all_reserved"] is True
    assert client.get("/api/appointments?date=2026-11-23").get_json()["appointments"] == []
    parts = client.get("/api/appointments/parts").get_json()  # default: tomorrow
    assert parts["date"] == "2026-11-24"
    assert [(p["part_no"], p["qty"], p["reserved"], p["short"]) for p in parts["parts"]] == [
        ("BP-400", 1, 1, 0),
        ("OF-100", 2, 2, 0),
    ]
    assert parts["parts"][1]["bins"][0] == {"location": "A-01-01", "qty": 10}

    r = client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "3001", "mileage": 1200})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["workorder"] == "3001"
    wo = client.get("/api/workorders/3001").get_json()
    assert wo["customer"] == "Qian" and wo["plate"] == "沪B67890" and wo["status"] == "received"
    assert [(x["part_no"], x["qty"], x["reserved"], x["status"]) for x in wo["requests"]] == [
        ("OF-100", 2, 2, "reserved"),
        ("BP-400", 1, 1, "reserved"),
    ]
    assert reserved(client, "OF-100") == 2  # the same holds, now the job's
    picks = client.get("/api/picks?workorder=3001").get_json()["picks"]
    assert {p["part_no"] for p in picks} == {"OF-100", "BP-400"}
    [a] = client.get("/api/appointments?date=2026-11-24").get_json()["appointments"]
    assert a["status"] == "arrived" and a["workorder"] == "3001"
    assert client.get("/api/appointments/parts?date=2026-11-24").get_json()["parts"] == []
    with workshop.reading() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "book_appointment" in actions and "arrive_appointment" in actions


def test_short_stock_is_backordered_and_reserved_for_the_appointment(workshop, client):
    """GIVEN 2 alternators on the shelf WHEN an appointment asks for 3 THEN 2 are held and 1 is backordered,
    and another job cannot take the held ones."""
    r = client.post("/api/appointments", json=booking(lines=[{"part_no": "ALT-300", "qty": 3}]))
    assert r.status_code == 201
    [line] = r.get_json()["lines"]
    assert (line["reserved"], line["status"]) == (2, "partial")
    [p] = client.get("/api/appointments/parts?date=2026-11-24").get_json()["parts"]
    assert p["short"] == 1


def test_whole_visit_from_appointment_to_handover(workshop, service, client):
    """GIVEN a booking WHEN the car arrives, the reserved parts are issued by scan, the foreman passes it,
    it is READY and delivered THEN every step succeeds and the request lines end issued."""
    appt = client.post("/api/appointments", json=booking()).get_json()["id"]
    r = client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "3002"})
    assert r.status_code == 201, r.get_json()
    res = scan(service, "U:T001", "WO:3002", "P:OF-100", "P:OF-100", "P:BP-400", "CMD:START", "CMD:QC")
    assert codes(res) == ["actor_set", "wo_set", "issued", "issued", "issued", "status_changed", "status_changed"]
    wo = client.get("/api/workorders/3002").get_json()
    assert [(x["part_no"], x["issued"], x["status"]) for x in wo["requests"]] == [
        ("OF-100", 2, "issued"),
        ("BP-400", 1, "issued"),
    ]
    assert reserved(client, "OF-100") == 0 and reserved(client, "BP-400") == 0
    assert codes(scan(service, "U:F001", "WO:3002", "CMD:PASS", "CMD:READY")) == [
        "actor_set",
        "wo_set",
        "qc_passed",
        "status_changed",
    ]
    r = client.post("/api/workorders/3002/deliver", json={"badge": "ADV1", "signature": data_url()})
    assert r.status_code == 200, r.get_json()
    assert client.get("/api/workorders/3002").get_json()["status"] == "delivered"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (booking(at="2026-11-23T07:59:00Z"), 409, "appointment_in_past"),
        (booking(at="yesterday"), 400, "bad_appointment_time"),
        (booking(lines=[{"part_no": "NOPE-1", "qty": 1}]), 404, "unknown_part"),  # as for job requests
        (booking(lines=[{"part_no": "OF-100", "qty": 0}]), 400, "bad_request_qty"),
        (booking(lines=[{"part_no": "OF-100", "qty": -2}]), 400, "bad_request_qty"),
        (booking(lines=[{"part_no": "OF-100", "qty": 1.5}]), 400, "bad_request_qty"),
        (booking(lines=[]), 400, "no_lines"),
        (booking(customer=""), 400, "bad_appointment_field"),
        (booking(badge="T001"), 403, "role_denied"),
    ],
)
def test_bad_bookings_are_refused_and_change_nothing(workshop, client, body, status, code):
    """GIVEN a bad booking WHEN posted THEN its code in both languages, and nothing written."""
    before = state(workshop)
    r = client.post("/api/appointments", json=body)
    assert r.status_code == status, r.get_json()
    out = r.get_json()
    assert out["code"] == code and out["error"] and out["error_zh"] and out["error"] != out["error_zh"]
    assert state(workshop) == before


def test_arriving_twice_and_unknown_appointments_are_refused(workshop, client):
    """GIVEN an appointment that arrived WHEN it arrives again THEN `appointment_arrived`; an unknown id is
    `unknown_appointment` (404); a job number in use is `wo_exists`; none of them writes anything."""
    appt = client.post("/api/appointments", json=booking()).get_json()["id"]
    r = client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "1001"})
    assert r.status_code == 409 and r.get_json()["code"] == "wo_exists"
    assert client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "3003"}).status_code == 201
    before = state(workshop)
    r = client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "3004"})
    assert r.status_code == 409 and r.get_json()["code"] == "appointment_arrived"
    assert "3003" in r.get_json()["error"] and r.get_json()["error_zh"]
    r = client.post("/api/appointments/999/arrive", json={"badge": "ADV1", "number": "3005"})
    assert r.status_code == 404 and r.get_json()["code"] == "unknown_appointment" and r.get_json()["error_zh"]
    assert state(workshop) == before
    r = client.get("/api/appointments?date=2026-13-01")
    assert r.status_code == 400


def test_stock_leaving_trims_what_an_appointment_holds(workshop, client):
    """GIVEN an appointment holding both alternators WHEN one leaves the shelf and the holds are trimmed to stock
    THEN the appointment holds one (reserved never exceeds on-hand) and its line is partial."""
    from floor.core import reservations
    from floor.core.demand import followers
    from floor.models import Part, StockLevel

    r = client.post("/api/appointments", json=booking(lines=[{"part_no": "ALT-300", "qty": 2}]))
    assert r.get_json()["lines"][0]["reserved"] == 2
    with workshop.writing() as s:
        part_id = s.scalar(select(Part.id).where(Part.part_no == "ALT-300"))
        s.execute(update(StockLevel).where(StockLevel.part_id == part_id).values(qty=1))
        assert [give for _, give in followers.trim_to_stock(s, part_id)] == [1]
        stock = reservations.availability(s, part_id)
        assert (stock.on_hand, stock.reserved) == (1, 1)
    [a] = client.get("/api/appointments?date=2026-11-24").get_json()["appointments"]
    assert [(x["reserved"], x["status"]) for x in a["lines"]] == [(1, "partial")]
