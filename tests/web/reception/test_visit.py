"""SPEC 9.4 end to end by scan and API: reception, work, final inspection, hand-over with signature, keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from floor.models import KeyMove, QcResult, WorkOrder
from tests.core.workorders.helpers import codes, cores, job, scan, snapshot
from tests.web.reception.helpers import car, data_url, png

ZHAO = {"name": "Zhao Lei", "role": "foreman"}  # as answers name people: never by badge (SPEC 10.6)

# Dates come from the pinned clock (promises, deadlines, closing time, periods).
pytestmark = pytest.mark.clock


def test_visit_from_reception_to_handover_by_api_and_scan(workshop, service, client):
    """GIVEN a car received by API with old parts back and a key tag WHEN worked on, failed once, passed by the
    foreman, signed and delivered THEN the job shows every step; its core came back customer_kept."""
    r = client.post("/api/reception", json=car())
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["number"] == "2001" and body["plate"] == "沪B67890" and body["advisor"] == "Liu Yang"
    assert body["warnings"] == [] and body["tags"] == [{"code": "KEY-2001", "kind": "key"}]
    assert body["label"]["preview"].endswith("/wo/2001.svg") and body["card"] == "/kiosk/workorders/2001/card"

    # The technician takes the key from the cabinet, works, and hangs it back.
    assert codes(scan(service, "U:T001", "KEY-2001", station="keys-1")) == ["actor_set", "key_out"]
    info = job(workshop, "2001")
    assert info["key"]["holder"] == {"name": "Li Wei", "role": "technician"} and info["key"]["since"] is not None
    res = scan(service, "U:T001", "WO:2001", "P:ALT-300", "CMD:START", "CMD:QC")
    assert codes(res) == ["actor_set", "wo_set", "issued", "status_changed", "status_changed"]
    [serial] = res[2].effects["cores"]
    assert codes(scan(service, "KEY-2001", station="keys-1")) == ["key_in"]
    assert job(workshop, "2001")["key"]["holder"] is None

    # Final inspection: the technician may not pass his own work; the foreman fails it once, then passes it.
    res = scan(service, "CMD:PASS")
    assert codes(res) == ["role_denied"]
    r = client.post("/api/workorders/2001/qc", json={"badge": "F001", "result": "fail", "reason": "brake squeal"})
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress" and r.get_json()["qc"]["rework"] == 1
    res = scan(service, "U:T001", "WO:2001", "CMD:QC", "U:F001", "CMD:READY", "CMD:PASS", "CMD:READY")
    assert codes(res) == [
        "actor_set",
        "wo_set",
        "status_changed",
        "actor_set",
        "qc_not_passed",
        "qc_passed",
        "status_changed",
    ]
    qc = job(workshop, "2001")["qc"]
    assert qc["passed_by"] == ZHAO and qc["rework"] == 1
    assert [(x["result"], x["reason"], x["by"]) for x in qc["results"]] == [
        ("fail", "brake squeal", ZHAO),
        ("pass", None, ZHAO),
    ]

    # The old alternator comes back: the customer asked for it, so it is theirs.
    assert codes(scan(service, f"C:{serial}")) == ["core_returned"]
    assert [(c.status, c.disposition) for c in cores(workshop, "2001")] == [("returned", "customer_kept")]
    hand = client.get("/api/workorders/2001/handover").get_json()
    assert [c["serial"] for c in hand["give_back"]] == [serial] and hand["parts"][0]["part_no"] == "ALT-300"
    assert set(hand["stage_seconds"]) >= {"received", "in_progress", "qc", "ready"}

    r = client.post("/api/workorders/2001/deliver", json={"badge": "ADV1", "signature": data_url()})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "delivered" and r.get_json()["gatepass"]["kind"] == "gatepass"
    assert client.get("/api/workorders/2001/signature.png").data == png()
    info = job(workshop, "2001")
    assert info["status"] == "delivered" and info["signed"] is True
    svg = client.get(r.get_json()["gatepass"]["preview"])
    assert svg.status_code == 200 and b"<svg" in svg.data


def test_mileage_fuel_and_vin_rules(workshop, client):
    """GIVEN an earlier visit of a plate at 45 210 km WHEN the next comes in lower THEN accepted with a warning;
    below zero, fuel outside 0–100 and a VIN with an O are refused with their codes, and nothing is written."""
    assert client.post("/api/reception", json=car()).status_code == 201
    r = client.post("/api/reception", json=car(number="2002", mileage=44000, key_tag=None))
    assert r.status_code == 201
    [warning] = r.get_json()["warnings"]
    assert warning["code"] == "mileage_below_last" and "45210" in warning["warning"] and warning["warning_zh"]
    with workshop.reading() as s:
        before = s.scalar(select(func.count()).select_from(WorkOrder))
    for over, code in (
        ({"mileage": -1}, "mileage_negative"),
        ({"fuel_pct": 101}, "fuel_out_of_range"),
        ({"fuel_pct": -5}, "fuel_out_of_range"),
        ({"vin": "LSVAB4187E2O23456"}, "bad_vin"),
        ({"old_parts": "keep"}, "bad_old_parts"),
    ):
        r = client.post("/api/reception", json=car(number="2003", key_tag=None, **over))
        assert r.status_code == 400 and r.get_json()["code"] == code, (over, r.get_json())
        assert r.get_json()["error_zh"] and r.get_json()["error"] != code
    with workshop.reading() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == before
    # An empty VIN is allowed; the importer takes the same fields and warns the same way.
    r = client.post("/api/workorders", json={"number": "2004", "plate": "沪B67890", "mileage": "100", "vin": ""})
    assert r.status_code == 201 and r.get_json()["warnings"][0]["code"] == "mileage_below_last"
    r = client.post("/api/workorders", json={"number": "2005", "fuel_pct": "150"})
    assert r.status_code == 400 and "fuel_pct" in r.get_json()["error"]


def test_pass_rules(workshop, service, client):
    """GIVEN job 1001 in QC WHEN PASS by a technician, by the foreman who moved it through in_progress, or READY
    without a PASS THEN each refused with its code and nothing changes; another supervisor's PASS is accepted."""
    scan(service, "U:F001", "WO:1001", "CMD:START", "CMD:QC")
    before = snapshot(workshop)
    assert codes(scan(service, "CMD:PASS", "CMD:READY", "U:T002", "CMD:PASS")) == [
        "own_work",
        "qc_not_passed",
        "actor_set",
        "role_denied",
    ]
    r = client.post("/api/workorders/1001/status", json={"status": "ready", "badge": "SUP1"})
    assert r.status_code == 409 and r.get_json()["code"] == "qc_not_passed"
    r = client.post("/api/workorders/1001/qc", json={"badge": "F001", "result": "pass"})
    assert r.status_code == 409 and r.get_json()["code"] == "own_work" and r.get_json()["error_zh"]
    assert snapshot(workshop) == before
    r = client.post("/api/workorders/1001/qc", json={"badge": "SUP1", "result": "fail"})
    assert r.status_code == 400 and r.get_json()["code"] == "qc_reason_needed"
    assert codes(scan(service, "U:SUP1", "CMD:PASS", "CMD:UNDO", "CMD:PASS")) == [
        "actor_set",
        "qc_passed",
        "undone",
        "qc_passed",
    ]
    with workshop.reading() as s:
        rows = s.execute(select(QcResult.result, QcResult.undone_at.is_(None))).all()
    assert sorted(rows) == [("pass", False), ("pass", True)]


def test_key_cabinet_rules(workshop, service, client, pinned_clock):
    """GIVEN a key tag on job 1001 and one bound to a delivered job WHEN scanned at the cabinet THEN the open job's
    key goes out to the badge and back, the closed job's is refused; keys out at closing are listed."""
    assert client.post("/api/workorders/1001/tags", json={"code": "FOB-1", "kind": "key"}).status_code == 201
    assert client.post("/api/workorders/1002/tags", json={"code": "FOB-2", "kind": "key"}).status_code == 201
    assert codes(scan(service, "FOB-1", station="keys-1")) == ["key_in"]
    assert codes(scan(service, "FOB-1", station="keys-1")) == ["key_already_in"]
    assert codes(scan(service, "U:T002", "FOB-1", "FOB-2", station="keys-1")) == ["actor_set", "key_out", "key_in"]
    out = client.get("/api/keys/out").get_json()
    assert [(k["work_order"], k["holder"]) for k in out["keys"]] == [
        ("1001", {"name": "Zhang Min", "role": "technician"})
    ]
    assert out["after_closing"] is False  # 08:00 UTC, closing 18:00
    pinned_clock.advance(timedelta(hours=11))
    assert client.get("/api/keys/out").get_json()["after_closing"] is True
    board = {j["number"]: j for j in client.get("/api/workorders/board").get_json()["jobs"]}
    assert (
        board["1001"]["key"]["holder"] == {"name": "Zhang Min", "role": "technician"}
        and board["1002"]["key"]["holder"] is None
    )

    # Job 1002 is cancelled: its fob is refused at the cabinet, nothing recorded.
    assert client.post("/api/workorders/1002/status", json={"status": "cancelled", "badge": "SUP1"}).status_code == 200
    with workshop.reading() as s:
        moves = s.scalar(select(func.count()).select_from(KeyMove))
    res = scan(service, "FOB-2", station="keys-1")
    assert codes(res) == ["key_job_closed"] and res[0].message_zh
    with workshop.reading() as s:
        assert s.scalar(select(func.count()).select_from(KeyMove)) == moves


def test_fail_by_scan_counts_a_rework_and_undo_takes_it_back(workshop, service):
    """GIVEN job 1001 in QC WHEN the supervisor scans FAIL THEN it is back in progress with one rework;
    WHEN that scan is undone THEN the job is in QC again and the rework no longer counts."""
    scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:QC")
    res = scan(service, "U:SUP1", "CMD:FAIL")
    assert codes(res) == ["actor_set", "qc_failed"] and res[-1].effects["rework"] == 1
    assert job(workshop)["status"] == "in_progress" and job(workshop)["qc"]["rework"] == 1
    assert codes(scan(service, "CMD:UNDO")) == ["undone"]
    info = job(workshop)
    assert info["status"] == "qc" and info["qc"]["rework"] == 0 and info["qc"]["results"] == []


def test_csv_import_takes_reception_fields_and_warns(workshop):
    """GIVEN a workorders CSV with reception columns WHEN imported THEN the fields are stored and a mileage below
    the plate's last visit is a warning of the report; a fuel of 150 fails the file naming the column."""
    from floor.imports import import_csv

    data = "number,plate,mileage,fuel_pct,old_parts,wash,advisor\n2101,沪E 1,500,50,dispose,no,Liu\n2102,沪E1,400,,,,\n"
    report = import_csv(workshop, "workorders", data.encode())
    assert report.ok and [w["code"] for w in report.warnings] == ["mileage_below_last"]
    first = job(workshop, "2101")
    assert (first["plate"], first["fuel_pct"], first["old_parts"], first["wash"]) == ("沪E1", 50, "dispose", False)
    report = import_csv(workshop, "workorders", b"number,fuel_pct\n2103,150\n")
    assert not report.ok and report.errors[0].column == "fuel_pct"
