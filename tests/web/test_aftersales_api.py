"""The after-sales API (SPEC 10.5) on both databases: follow-ups, complaints to closure, comebacks, reminders."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from floor import clock
from floor.models import AuditEntry, Complaint
from tests.aftersales_factories import deliver, ready, receive
from tests.repair_factories import VIN


@pytest.fixture
def api(garage, client):
    """The test client over the repair shop."""
    return client


def _followup_of(api, number):
    rows = api.get("/api/followups?status=open").get_json()["followups"]
    return next(r for r in rows if r["workorder"] == number)


def test_a_delivered_job_produces_its_followup_and_a_low_score_runs_a_complaint_to_closure(garage, api, pinned_clock):
    """GIVEN a job delivered WHEN the follow-ups are listed THEN it is there, due 3 days later; WHEN the customer is
    reached and scores 5 THEN a complaint on the job opens with its deadlines, which is assigned, answered, resolved
    and closed by a supervisor within them, and the month's statistics (JSON and CSV) count it on time."""
    receive(garage, "7001", concern="Brakes squeal")
    deliver(garage, "7001")
    fu = _followup_of(api, "7001")
    assert (fu["status"], fu["attempts"], fu["phone"], fu["work"]) == ("open", 0, "138 0000 0001", ["Brakes squeal"])
    pinned_clock.advance(timedelta(days=3))
    r = api.post(f"/api/followups/{fu['id']}", json={"badge": "ADV1", "reached": True, "score": 5, "note": "Noisy"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["status"], body["score"]) == ("done", 5) and body["complaint"]
    cid = body["complaint"]
    listed = api.get("/api/complaints?status=open").get_json()["complaints"]
    assert [(c["id"], c["workorder"], c["vehicle"], c["category"]) for c in listed] == [(cid, "7001", VIN, "other")]
    steps = [
        ("assign", {"badge": "ADV1", "to": "F001", "note": "Zhao, please call"}, "assigned"),
        ("respond", {"badge": "F001", "note": "Called the customer"}, "responded"),
        ("resolve", {"badge": "F001", "note": "Pads re-seated"}, "resolved"),
        ("close", {"badge": "SUP1", "note": "Report filed"}, "closed"),
    ]
    for name, data, status in steps:
        r = api.post(f"/api/complaints/{cid}/{name}", json=data)
        assert (r.status_code, r.get_json()["status"]) == (200, status), r.get_json()
    one = api.get(f"/api/complaints/{cid}").get_json()
    assert [s["step"] for s in one["steps"]] == ["open", "assigned", "responded", "resolved", "closed"]
    assert one["overdue"] == []
    stats = api.get("/api/complaints/stats").get_json()["months"]
    assert [(m["category"], m["complaints"], m["on_time_share"]) for m in stats] == [("other", 1, 1.0)]
    rows = list(csv.DictReader(io.StringIO(api.get("/api/complaints/stats.csv").get_data(as_text=True))))
    assert [(x["category"], x["closed"], x["on_time"]) for x in rows] == [("other", "1", "1")]
    kpis = api.get("/api/reports/kpis").get_json()
    assert (kpis["csi"], kpis["followup_rate"], kpis["complaints"], kpis["complaints_on_time"]) == (5.0, 1.0, 1, 1.0)
    with garage.reading() as s:
        audited = set(s.scalars(select(AuditEntry.action)))
    assert {"followup_call", "open_complaint", "complaint_assign", "complaint_close"} <= audited


def test_a_returning_car_is_flagged_at_reception_and_counted_once_confirmed(garage, api, pinned_clock):
    """GIVEN a job delivered by Li Wei WHEN the car comes back 12 days later THEN reception's check by plate names the
    earlier job and suggests Li Wei and internal pay; the new job shows the flag unconfirmed; once confirmed,
    comeback_rate counts it and rework_rate stays apart."""
    receive(garage, "7101", concern="Engine light on")
    deliver(garage, "7101")
    pinned_clock.advance(timedelta(days=12))
    check = api.get("/api/comebacks/check?vehicle=沪A12345").get_json()
    assert check["comeback"]["of"] == "7101"
    assert check["comeback"]["suggest"] == {"technician": "Li Wei", "pay": "internal"}
    assert check["comeback"]["concerns"] == ["Engine light on"]
    receive(garage, "7102", concern="Engine light on again")
    assert api.get("/api/workorders/7102").get_json()["comeback"]["confirmed"] is None
    r = api.post("/api/workorders/7102/comeback", json={"badge": "ADV1", "of": "7101", "confirmed": True})
    assert r.status_code == 200, r.get_json()
    assert api.get("/api/workorders/7102").get_json()["comeback"] | {} == r.get_json()["comeback"]
    assert r.get_json()["comeback"]["confirmed"] is True
    first = (clock.now() - timedelta(days=20)).date().isoformat()
    kpis = api.get(f"/api/reports/kpis?from={first}").get_json()
    assert kpis["comeback_rate"] == 1.0 and "rework_rate" in kpis
    assert api.get("/api/comebacks/check?vehicle=NOPE123").status_code == 404


def test_reminders_list_a_vehicle_whose_service_is_due_as_json_and_csv(garage, api):
    """GIVEN a job at 42000 km READY WHEN the cashier invoices it through the API THEN the reminders before a day 7
    months on list the car with the customer's phone and the due km, in JSON and in CSV; before next week they do
    not."""
    receive(garage, "7201", mileage=42000)
    ready(garage, "7201", labour=True)
    assert api.get(f"/api/reminders?before={(clock.now() + timedelta(days=214)).date()}").get_json()["reminders"] == []
    assert api.post("/api/workorders/7201/invoice", json={"badge": "ADV1"}).status_code == 201
    later = (clock.now() + timedelta(days=214)).date().isoformat()
    rows = api.get(f"/api/reminders?before={later}").get_json()["reminders"]
    assert [(r["vin"], r["phone"], r["due_km"]) for r in rows] == [(VIN, "138 0000 0001", 47000)]
    text = api.get(f"/api/reminders.csv?before={later}").get_data(as_text=True)
    assert next(iter(csv.DictReader(io.StringIO(text))))["phone"] == "138 0000 0001"
    assert api.get("/api/reminders").get_json()["reminders"] == []
    assert api.get("/api/reminders?before=someday").status_code == 400


def _complaint(api, **extra):
    data = {"badge": "ADV1", "channel": "phone", "category": "price", "text": "Too dear", **extra}
    return api.post("/api/complaints", json=data)


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"text": ""}, 400, "bad_complaint_field"),
        ({"category": "weather"}, 400, "bad_complaint_field"),
        ({"channel": 7}, 400, "bad_complaint_field"),
        ({"workorder": "NOPE"}, 404, "unknown_wo"),
        ({"customer": "NOPE"}, 404, "unknown_customer"),
        ({"vehicle": "NOPE"}, 404, "unknown_vehicle"),
        ({"badge": "T001"}, 403, "role_denied"),
        ({"badge": ""}, 400, "bad_request"),
    ],
)
def test_bad_complaints_are_refused_and_change_nothing(garage, api, data, status, code):
    """GIVEN bad intake THEN a clear 4xx with its code and both languages; no complaint, no audit row."""
    r = _complaint(api, **data)
    body = r.get_json()
    assert (r.status_code, body["code"]) == (status, code) and body["error"]
    assert code == "bad_request" or body["error_zh"]  # a malformed body is the web ring's plain 400
    with garage.reading() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0


def test_steps_out_of_order_and_bad_scores_are_refused(garage, api):
    """GIVEN a closed complaint THEN it cannot be reassigned (409); an unknown assignee is 400; an unknown complaint or
    follow-up is 404; a score of 11 is 400 and nothing is logged."""
    cid = _complaint(api).get_json()["id"]
    assert (
        api.post(f"/api/complaints/{cid}/assign", json={"badge": "ADV1", "to": "NOBODY", "note": "x"}).status_code
        == 400
    )
    assert api.post(f"/api/complaints/{cid}/close", json={"badge": "SUP1", "note": "x"}).status_code == 409
    for name in ("respond", "resolve"):
        assert api.post(f"/api/complaints/{cid}/{name}", json={"badge": "ADV1", "note": "ok"}).status_code == 200
    assert api.post(f"/api/complaints/{cid}/close", json={"badge": "SUP1", "note": "ok"}).status_code == 200
    r = api.post(f"/api/complaints/{cid}/assign", json={"badge": "ADV1", "to": "F001", "note": "again"})
    assert (r.status_code, r.get_json()["code"]) == (409, "complaint_step_order")
    assert api.post("/api/complaints/999/respond", json={"badge": "ADV1", "note": "x"}).status_code == 404
    assert api.post("/api/followups/999", json={"badge": "ADV1", "reached": True}).status_code == 404
    receive(garage, "7301")
    deliver(garage, "7301")
    fu = _followup_of(api, "7301")
    r = api.post(f"/api/followups/{fu['id']}", json={"badge": "ADV1", "reached": True, "score": 11})
    assert (r.status_code, r.get_json()["code"]) == (400, "bad_score")
    assert _followup_of(api, "7301")["attempts"] == 0
    assert api.get("/api/followups?status=lost").status_code == 400


def test_a_complaint_past_its_deadline_is_an_alert_until_answered(garage, api, pinned_clock):
    """GIVEN a complaint taken in WHEN its answer is late (48 working hours later and more) THEN it is among the
    alerts of the API and of the kiosk's alerts page, late for its answer; WHEN answered and resolved THEN it is not."""
    cid = _complaint(api).get_json()["id"]
    assert api.get("/api/alerts").get_json()["complaints_overdue"] == []
    pinned_clock.advance(timedelta(days=5))
    late = api.get("/api/alerts").get_json()["complaints_overdue"]
    assert [c["id"] for c in late] == [cid] and "respond" in late[0]["overdue"]
    page = api.get("/kiosk/alerts").get_data(as_text=True)
    assert 'id="complaints-overdue"' in page and f">{cid}</a>" in page
    assert "超期投诉" in api.get("/kiosk/alerts?lang=zh").get_data(as_text=True)
    for name in ("respond", "resolve"):
        assert api.post(f"/api/complaints/{cid}/{name}", json={"badge": "ADV1", "note": "ok"}).status_code == 200
    assert api.get("/api/alerts").get_json()["complaints_overdue"] == []
    assert "No complaint is past its deadline." in api.get("/kiosk/alerts?lang=en").get_data(as_text=True)


def test_the_cashier_may_name_the_next_service_on_the_invoice(garage, api):
    """GIVEN a READY job WHEN it is invoiced with a bad next_service THEN 400 `bad_next_service` and no invoice; WHEN
    with {"due_km": 45000} THEN the vehicle's next service is that mileage with no date, as the vehicle file shows."""
    receive(garage, "7301", mileage=42000)
    ready(garage, "7301", labour=True)
    for bad in ({"due_km": -1}, {"due_at": "next spring"}, {"when": "2027-01-01"}, "2027-01-01", {}):
        r = api.post("/api/workorders/7301/invoice", json={"badge": "ADV1", "next_service": bad})
        assert r.status_code == 400 and r.get_json()["code"] == "bad_next_service", (bad, r.get_json())
    r = api.post("/api/workorders/7301/invoice", json={"badge": "ADV1", "next_service": {"due_km": 45000}})
    assert r.status_code == 201, r.get_json()
    assert api.get(f"/api/vehicles/{VIN}").get_json()["next_service"] == {"due_at": None, "due_km": 45000}
