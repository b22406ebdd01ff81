"""The workshop API: job lists and board, status moves, cost CSV, cores report, dispositions, waivers, tags."""

from __future__ import annotations

import pytest

from floor import clock
from tests.core.workorders.helpers import cores, job, scan, snapshot

# People as answers name them (SPEC 10.6): name and role, never the badge.
ZHANG = {"name": "Zhang Min", "role": "technician"}
LIU = {"name": "Liu Yang", "role": "advisor"}


def issue_core(service) -> str:
    """Issue one alternator to job 1001; return its core serial."""
    res = scan(service, "U:T001", "WO:1001", "P:ALT-300")
    return str(res[-1].effects["cores"][0])


def test_workorder_contract_keeps_its_keys(workshop, service, client):
    """GIVEN a job with parts and a core WHEN GET /api/workorders/1001 THEN the contract's keys are all there."""
    serial = issue_core(service)
    body = client.get("/api/workorders/1001").get_json()
    assert {"number", "status", "issued", "cores", "parts_cost"} <= set(body)
    assert body["issued"] == {"ALT-300": 1} and body["parts_cost"] == "210.00"
    assert body["cores"] == [{"serial": serial, "part_no": "ALT-300", "status": "due", "disposition": None}]


def test_status_moves_by_api(workshop, client):
    """GIVEN job 1002 WHEN moved to in_progress then on_hold for approval by API THEN both are recorded with the badge."""
    r = client.post("/api/workorders/1002/status", json={"status": "in_progress", "badge": "T002"})
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress"
    r = client.post(
        "/api/workorders/1002/status",
        json={"status": "on_hold", "reason": "approval", "badge": "ADV1", "note": "added brake discs"},
    )
    assert r.get_json()["hold_reason"] == "approval"
    history = job(workshop, "1002")["history"]
    assert [(h["to"], h["by"]) for h in history] == [("in_progress", ZHANG), ("on_hold", LIU)]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"status": "qc"}, 409),
        ({"status": "ready"}, 409),
        ({"status": "flying"}, 409),
        ({"status": "in_progress", "badge": "NOBODY"}, 403),  # an unknown badge is refused: 403 unknown_badge
        ({"status": 7}, 400),
        ({}, 400),
        ({"status": "on_hold", "reason": "lunch"}, 409),
    ],
)
def test_bad_status_requests_change_nothing(workshop, client, body, status):
    """GIVEN a received job WHEN a bad or illegal status request arrives THEN a JSON 4xx and nothing changed."""
    before = snapshot(workshop)
    r = client.post("/api/workorders/1001/status", json=body)
    assert r.status_code == status and "error" in r.get_json()
    if status == 409:
        assert r.get_json()["code"] and r.get_json()["error_zh"]
    assert snapshot(workshop) == before


def test_unknown_job_and_malformed_json(workshop, client):
    """GIVEN no job 9999 WHEN its status is posted, or malformed JSON is sent THEN 404 and 400 as JSON."""
    assert client.post("/api/workorders/9999/status", json={"status": "qc"}).status_code == 404
    r = client.post("/api/workorders/1001/status", data="{nope", content_type="application/json")
    assert r.status_code == 400 and "error" in r.get_json()


def test_deliver_with_core_due_then_waive_by_api(workshop, service, client):
    """GIVEN a ready job owing a core WHEN delivered by API THEN 409 cores_due; a technician's waiver is refused,
    a supervisor's accepted, and then delivery goes through."""
    serial = issue_core(service)
    for status in ("in_progress", "qc"):
        assert client.post("/api/workorders/1001/status", json={"status": status}).status_code == 200
    assert client.post("/api/workorders/1001/qc", json={"badge": "SUP1", "result": "pass"}).status_code == 200
    # QC -> ready is passing QC: a foreman's or supervisor's badge (role table `pass_qc`)
    assert client.post("/api/workorders/1001/status", json={"status": "ready", "badge": "SUP1"}).status_code == 200
    r = client.post("/api/workorders/1001/status", json={"status": "delivered", "badge": "ADV1"})
    assert r.status_code == 409 and r.get_json()["code"] == "cores_due"
    assert client.post(f"/api/cores/{serial}/waive", json={"badge": "T001"}).get_json()["code"] == "role_denied"
    # a privileged act (SPEC 10.6): the supervisor's PIN, refused without it or with a wrong one, nothing waived
    for body, code in (({"badge": "SUP1"}, "pin_required"), ({"badge": "SUP1", "pin": "1111"}, "bad_pin")):
        r = client.post(f"/api/cores/{serial}/waive", json=body)
        due = [c["serial"] for c in client.get("/api/cores?status=due").get_json()["cores"]]
        assert r.get_json()["code"] == code and serial in due
    r = client.post(f"/api/cores/{serial}/waive", json={"badge": "SUP1", "pin": "2468", "note": "core lost in transit"})
    assert r.status_code == 200 and r.get_json()["status"] == "waived"
    # delivering is the hand-over: a badge allowed `handover` even with a full-access token
    r = client.post("/api/workorders/1001/status", json={"status": "delivered"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert client.post("/api/workorders/1001/status", json={"status": "delivered", "badge": "ADV1"}).status_code == 200
    assert job(workshop)["status"] == "delivered"


def test_core_return_and_disposition_by_api(workshop, service, client):
    """GIVEN a core due WHEN judged before return THEN 409; WHEN returned and judged warranty with a claim THEN kept."""
    serial = issue_core(service)
    r = client.post(f"/api/cores/{serial}/disposition", json={"disposition": "warranty", "badge": "S001"})
    assert r.status_code == 409 and r.get_json()["code"] == "core_not_returned"
    assert client.post(f"/api/cores/{serial}/return", json={"badge": "S001"}).get_json()["status"] == "returned"
    r = client.post(
        f"/api/cores/C:{serial}/disposition",
        json={"disposition": "warranty", "badge": "S001", "claim_ref": "WC-2026-0042"},
    )
    assert r.status_code == 200
    assert r.get_json() == {
        "serial": serial,
        "status": "returned",
        "disposition": "warranty",
        "claim_ref": "WC-2026-0042",
    }
    assert [(c.disposition, c.claim_ref) for c in cores(workshop)] == [("warranty", "WC-2026-0042")]


@pytest.mark.parametrize(
    "serial, body, status",
    [
        ("NOPE", {"disposition": "scrap", "badge": "S001"}, 404),
        ("X", {"disposition": "melt", "badge": "S001"}, 400),
        ("X", {"disposition": "scrap"}, 400),
    ],
)
def test_bad_disposition_requests(workshop, service, client, serial, body, status):
    """GIVEN a core WHEN a disposition names no core, a bad judgement or no badge THEN 4xx JSON, nothing changed."""
    real = issue_core(service)
    before = snapshot(workshop)
    r = client.post(f"/api/cores/{real if serial == 'X' else serial}/disposition", json=body)
    assert r.status_code == status and "error" in r.get_json()
    assert snapshot(workshop) == before


def test_cores_report_and_job_lists(workshop, service, client):
    """GIVEN one core due on 1001 WHEN the cores report and job lists are read THEN they show it."""
    serial = issue_core(service)
    body = client.get("/api/cores?status=due").get_json()
    assert [c["serial"] for c in body["cores"]] == [serial] and body["by_technician"]["Li Wei"]["count"] == 1
    assert client.get("/api/cores?status=bogus").status_code == 400
    open_jobs = client.get("/api/workorders").get_json()["workorders"]
    assert sorted(j["number"] for j in open_jobs) == ["1001", "1002"]
    closed = client.get("/api/workorders?status=delivered").get_json()["workorders"]
    assert [j["number"] for j in closed] == ["1003"]
    assert client.get("/api/workorders?status=nope").status_code == 400
    board = client.get("/api/workorders/board").get_json()["jobs"]
    assert next(j for j in board if j["number"] == "1001")["cores_due"] == 1


def test_tag_binding_by_api(workshop, service, client):
    """GIVEN job 1001 WHEN a folder tag is bound by API THEN scanning it selects the job; bad tags are 4xx."""
    r = client.post("/api/workorders/1001/tags", json={"code": "FOLDER-0042", "kind": "folder"})
    assert r.status_code == 201
    assert scan(service, "U:T001", "FOLDER-0042")[-1].effects["work_order"] == "1001"
    assert client.post("/api/workorders/1002/tags", json={"code": "FOLDER-0042"}).status_code == 409
    assert client.post("/api/workorders/1002/tags", json={"code": "WO:1001"}).status_code == 409
    assert client.post("/api/workorders/1002/tags", json={"code": "K1", "kind": "hat"}).status_code == 409
    assert client.post("/api/workorders/1002/tags", json={}).status_code == 400


def test_costs_csv(workshop, service, client):
    """GIVEN parts issued today WHEN the cost CSV for today is fetched THEN one row per job with the parts cost."""
    scan(service, "U:T001", "WO:1001", "Q:2", "P:OF-100")
    today = clock.now().date().isoformat()
    r = client.get(f"/api/workorders/costs.csv?from={today}&to={today}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("work_order,") and lines[1].startswith("1001,") and lines[1].endswith(",17.00")
    assert len(lines) == 2
    assert client.get("/api/workorders/costs.csv?from=2026-13-01&to=x").status_code == 400
    assert client.get(f"/api/workorders/costs.csv?from={today}").status_code == 400
