"""Cancelling and moving an appointment (SPEC 9.4) by API and kiosk form: cancel frees its holds, a move keeps them;
bad input gets a clear code and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from floor.models import Appointment, AuditEntry, PartRequest, Reservation
from tests.kiosk.helpers import csrf_token
from tests.web.appointments.test_appointments_api import booking, reserved
from tests.web.demand.helpers import invariant

pytestmark = pytest.mark.clock  # times are checked against now (2026-11-23T08:00Z, site on UTC)


def snapshot(db: Any) -> tuple[Any, ...]:
    """Everything a refused cancel or move must leave alone: appointments, lines, holds, audit entries."""
    with db.reading() as s:
        return (
            s.execute(select(Appointment.id, Appointment.at, Appointment.status).order_by(Appointment.id)).all(),
            s.execute(select(PartRequest.id, PartRequest.status, PartRequest.closed_at).order_by(PartRequest.id)).all(),
            s.execute(select(Reservation.holder_id, Reservation.qty).order_by(Reservation.id)).all(),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def audit_of(db: Any, action: str) -> AuditEntry:
    with db.reading() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())).first()
        assert entry is not None, action
        s.expunge(entry)
        return entry


def test_cancel_releases_what_the_appointment_holds(workshop, client):
    """GIVEN an appointment holding 2 oil filters and 1 brake pad WHEN an advisor cancels it THEN the holds are
    released, its lines are cancelled, the day's list says cancelled and the store has nothing to prepare."""
    appt = client.post("/api/appointments", json=booking()).get_json()["id"]
    assert reserved(client, "OF-100") == 2
    r = client.post(f"/api/appointments/{appt}/cancel", json={"badge": "ADV1"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"id": appt, "status": "cancelled", "released": 3}
    assert reserved(client, "OF-100") == 0 and reserved(client, "BP-400") == 0
    [a] = client.get("/api/appointments?date=2026-11-24").get_json()["appointments"]
    assert a["status"] == "cancelled" and [x["status"] for x in a["lines"]] == ["cancelled", "cancelled"]
    assert client.get("/api/appointments/parts?date=2026-11-24").get_json()["parts"] == []
    assert client.get("/api/picks").get_json()["picks"] == []
    entry = audit_of(workshop, "cancel_appointment")
    assert entry.actor == "U:ADV1" and entry.object == f"appointment:{appt}"
    invariant(workshop)


def test_reschedule_moves_the_day_and_keeps_the_holds(workshop, client):
    """GIVEN an appointment tomorrow holding its parts WHEN moved to the 26th at 10:00 (site time) THEN it is listed
    on that day, not tomorrow, with the same holds; the audit names the old and new time."""
    appt = client.post("/api/appointments", json=booking()).get_json()["id"]
    with workshop.reading() as s:
        holds = s.execute(select(Reservation.id, Reservation.holder_id, Reservation.qty)).all()
    r = client.post(f"/api/appointments/{appt}/reschedule", json={"badge": "ADV1", "at": "2026-11-26T10:00"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"id": appt, "at": "2026-11-26T10:00:00+00:00", "status": "booked"}
    assert client.get("/api/appointments?date=2026-11-24").get_json()["appointments"] == []
    [a] = client.get("/api/appointments?date=2026-11-26").get_json()["appointments"]
    assert a["id"] == appt and a["local"] == "10:00" and a["all_reserved"] is True
    with workshop.reading() as s:
        assert s.execute(select(Reservation.id, Reservation.holder_id, Reservation.qty)).all() == holds
    entry = audit_of(workshop, "reschedule_appointment")
    assert entry.actor == "U:ADV1"
    detail = json.loads(entry.details)
    assert detail["was"] == "2026-11-24T09:30:00+00:00" and detail["when"] == "2026-11-26T10:00:00+00:00"
    # It may move again, and then arrive as usual.
    r = client.post(f"/api/appointments/{appt}/reschedule", json={"badge": "ADV1", "at": "2026-11-23T09:00:00Z"})
    assert r.status_code == 200, r.get_json()
    assert client.post(f"/api/appointments/{appt}/arrive", json={"badge": "ADV1", "number": "3010"}).status_code == 201


@pytest.fixture
def booked(workshop: Any, client: Any) -> dict[str, int]:
    """Three appointments: one booked, one arrived (job 3020), one cancelled."""
    ids = {
        k: client.post("/api/appointments", json=booking(lines=[{"part_no": "SP-200", "qty": 1}])).get_json()["id"]
        for k in ("booked", "arrived", "cancelled")
    }
    assert (
        client.post(f"/api/appointments/{ids['arrived']}/arrive", json={"badge": "ADV1", "number": "3020"}).status_code
        == 201
    )
    assert client.post(f"/api/appointments/{ids['cancelled']}/cancel", json={"badge": "ADV1"}).status_code == 200
    return ids


@pytest.mark.parametrize(
    ("which", "action", "body", "status", "code"),
    [
        ("unknown", "cancel", {}, 404, "unknown_appointment"),
        ("unknown", "reschedule", {"at": "2026-11-25T09:00:00Z"}, 404, "unknown_appointment"),
        ("arrived", "cancel", {}, 409, "appointment_arrived"),
        ("arrived", "reschedule", {"at": "2026-11-25T09:00:00Z"}, 409, "appointment_arrived"),
        ("cancelled", "cancel", {}, 409, "appointment_cancelled"),
        ("cancelled", "reschedule", {"at": "2026-11-25T09:00:00Z"}, 409, "appointment_cancelled"),
        ("booked", "reschedule", {"at": "2026-11-23T07:59:00Z"}, 409, "appointment_in_past"),
        ("booked", "reschedule", {"at": "2026-11-23T08:00:00Z"}, 409, "appointment_in_past"),
        ("booked", "reschedule", {"at": "2028-01-01T09:00:00Z"}, 400, "appointment_too_far"),
        ("booked", "reschedule", {"at": "next Tuesday"}, 400, "bad_appointment_time"),
        ("booked", "reschedule", {"at": None}, 400, "bad_appointment_time"),
        ("booked", "cancel", {"badge": "T001"}, 403, "role_denied"),
        ("booked", "reschedule", {"badge": "T001", "at": "2026-11-25T09:00:00Z"}, 403, "role_denied"),
        ("booked", "cancel", {"badge": "NOBODY"}, 403, "unknown_badge"),
    ],
)
def test_bad_cancels_and_moves_are_refused_and_change_nothing(
    workshop, client, booked, which, action, body, status, code
):
    """GIVEN an unknown, arrived, cancelled or booked appointment WHEN a bad cancel or move is posted THEN its code
    in both languages, and nothing written."""
    appt = booked.get(which, 999)
    before = snapshot(workshop)
    r = client.post(f"/api/appointments/{appt}/{action}", json={"badge": "ADV1", **body})
    assert r.status_code == status, r.get_json()
    out = r.get_json()
    assert out["code"] == code and out["error"] and out["error_zh"] and out["error"] != out["error_zh"]
    assert snapshot(workshop) == before


def test_malformed_bodies_are_400(workshop, client, booked):
    """GIVEN no badge, or a body that is not an object THEN 400 and nothing written."""
    before = snapshot(workshop)
    assert client.post(f"/api/appointments/{booked['booked']}/cancel", json={}).status_code == 400
    assert client.post(f"/api/appointments/{booked['booked']}/reschedule", json=["x"]).status_code == 400
    assert snapshot(workshop) == before


def test_kiosk_forms_move_and_cancel_and_show_refusals(workshop, client):
    """GIVEN the appointments page WHEN its form moves a visit THEN it is on the new day with a note; a move into the
    past shows `appointment_in_past` (in Chinese too) and changes nothing; WHEN cancelled THEN its holds are free."""
    appt = client.post("/api/appointments", json=booking()).get_json()["id"]
    page = "/kiosk/appointments?date=2026-11-24"
    html = client.get(page + "&lang=en").get_data(as_text=True)
    assert f'action="/kiosk/appointments/{appt}/reschedule"' in html and 'value="2026-11-24T09:30"' in html
    form = {"csrf_token": csrf_token(client, page), "date": "2026-11-24", "badge": "ADV1"}

    before = snapshot(workshop)
    r = client.post(f"/kiosk/appointments/{appt}/reschedule", data={**form, "at": "2026-11-22T10:00"})
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert 'data-code="appointment_in_past"' in html and "in the past" in html
    client.get("/kiosk/lang/zh")
    r = client.post(f"/kiosk/appointments/{appt}/cancel", data={**form, "badge": "T001"})
    assert r.status_code == 403 and 'data-code="badge_refused"' in r.get_data(as_text=True)
    r = client.post(f"/kiosk/appointments/{appt}/reschedule", data={**form, "at": "2026-11-22T10:00"})
    assert "已经过去" in r.get_data(as_text=True)
    assert snapshot(workshop) == before
    client.get("/kiosk/lang/en")

    r = client.post(f"/kiosk/appointments/{appt}/reschedule", data={**form, "at": "2026-11-25T14:15"})
    assert r.status_code == 303 and "date=2026-11-25" in r.headers["Location"]
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="appt-done"' in html and f"Appointment {appt} moved" in html and 'value="2026-11-25T14:15"' in html
    assert reserved(client, "OF-100") == 2

    r = client.post(f"/kiosk/appointments/{appt}/cancel", data={**form, "date": "2026-11-25"})
    assert r.status_code == 303
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"Appointment {appt} cancelled" in html and "appt-cancelled" in html and "appt-change" not in html
    assert reserved(client, "OF-100") == 0
    assert audit_of(workshop, "cancel_appointment").actor == "U:ADV1"


def test_cancel_gives_the_freed_units_to_the_jobs_waiting(workshop, client):
    """GIVEN an appointment holding the 3 brake pads and jobs 1002 (no promise) then 1001 (promised) waiting for 2
    WHEN the appointment is cancelled THEN 1001 gets 2, 1002 the last one, and the pick page tells the counter."""
    appt = client.post("/api/appointments", json=booking(lines=[{"part_no": "BP-400", "qty": 3}])).get_json()["id"]
    assert reserved(client, "BP-400") == 3
    for wo, badge in (("1002", "T002"), ("1001", "T001")):
        body = {"badge": badge, "lines": [{"part_no": "BP-400", "qty": 2}]}
        assert client.post(f"/api/workorders/{wo}/requests", json=body).get_json()["lines"][0]["reserved"] == 0
    r = client.post(f"/api/appointments/{appt}/cancel", json={"badge": "ADV1"})
    assert r.status_code == 200 and r.get_json()["released"] == 3, r.get_json()
    got = {
        wo: [(x["reserved"], x["status"]) for x in client.get(f"/api/workorders/{wo}").get_json()["requests"]]
        for wo in ("1001", "1002")
    }
    assert got == {"1001": [(2, "reserved")], "1002": [(1, "partial")]}
    assert reserved(client, "BP-400") == 3
    page = client.get("/kiosk/picks/counter-1?lang=zh").get_data(as_text=True)
    assert f"BP-400 已释放（预约 {appt} 已取消）——已为等待的工单预留：1001 (2), 1002 (1)" in page
    invariant(workshop)
