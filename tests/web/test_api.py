"""`POST /api/scans` and the master-data API: the contract, and every kind of bad input."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from floor import clock
from floor.core import queries


def post(client, body, **headers):
    """POST JSON (or raw text) to /api/scans."""
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/scans", data=data, headers={"Content-Type": "application/json", **headers})


def stock_snapshot(db):
    """On-hand of every stocked part, to prove that nothing changed."""
    with db.reading() as s:
        return {pn: queries.part_summary(s, pn)["bins"] for pn in ("OF-100", "SP-200", "ALT-300", "BP-400")}


def test_scans_contract_and_duplicates(shop, client):
    """GIVEN the counter WHEN a batch is posted twice THEN the second answer repeats the first with duplicate=true."""
    body = {
        "station": "counter-1",
        "device": "handheld-7",
        "scans": [{"data": "U:T001", "seq": 1}, {"data": "WO:1001", "seq": 2}, {"data": "P:OF-100", "seq": 3}],
    }
    first = post(client, body)
    assert first.status_code == 200
    results = first.get_json()["results"]
    assert [(r["seq"], r["ok"], r["duplicate"]) for r in results] == [
        (1, True, False),
        (2, True, False),
        (3, True, False),
    ]
    assert results[2]["code"] == "issued" and "OF-100" in results[2]["message"]
    again = post(client, body).get_json()["results"]
    assert [r["duplicate"] for r in again] == [True, True, True]
    assert [r["code"] for r in again] == [r["code"] for r in results]
    assert client.get("/api/parts/OF-100").get_json()["bins"] == {"A-01-01": 9, "B-02-01": 4}


@pytest.mark.parametrize(
    "data, code",
    [
        ("", "empty"),
        ("   \r\n", "empty"),
        ("P:OF\x07100", "control_chars"),
        ("x" * 10_000, "too_long"),
        ("Q:0", "bad_qty"),
        ("Q:-3", "bad_qty"),
        ("Q:99999", "bad_qty"),
        ("NOPE-123", "unknown_code"),
        ("U:NOBODY", "unknown_badge"),
        ("WO:9999", "unknown_wo"),
        ("L:Z-99", "unknown_location"),
        ("CMD:FLY", "unknown_command"),
        ("]C1019999", "gs1_invalid"),
        ("WO:1003", "wo_closed"),
    ],
)
def test_bad_scans_are_rejected_with_reason_and_change_nothing(shop, client, data, code):
    """GIVEN a stocked shop WHEN a bad scan arrives THEN it is a 200 with ok=false, the reason code, and no stock change."""
    before = stock_snapshot(shop)
    res = post(client, {"station": "counter-1", "device": "d", "scans": [{"data": data, "seq": 1}]})
    assert res.status_code == 200
    result = res.get_json()["results"][0]
    assert result["ok"] is False and result["code"] == code
    assert result["message"] and result["message_zh"]
    assert stock_snapshot(shop) == before


def test_invalid_utf8_via_base64_is_logged_as_bad_encoding(shop, client):
    """GIVEN bytes that are not UTF-8 WHEN a gateway forwards them as data_b64 THEN the scan is rejected as bad_encoding."""
    raw = b"P:OF-\xff\xfe100"
    res = post(
        client,
        {
            "station": "counter-1",
            "device": "gw",
            "scans": [{"data": raw.decode("latin-1"), "data_b64": base64.b64encode(raw).decode(), "seq": 1}],
        },
    )
    assert res.get_json()["results"][0]["code"] == "bad_encoding"


def test_issue_more_than_on_hand_via_api(shop, client):
    """GIVEN 3 brake pads WHEN 4 are issued THEN rejected naming the quantity on hand."""
    res = post(
        client,
        {
            "station": "counter-1",
            "device": "d",
            "scans": [{"data": "U:T001"}, {"data": "WO:1001"}, {"data": "Q:4"}, {"data": "P:BP-400"}],
        },
    )
    last = res.get_json()["results"][-1]
    assert last["code"] == "insufficient_stock" and "Only 3" in last["message"]


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ({"device": "d", "scans": [{"data": "U:T001"}]}, "'station' is required"),
        ({"station": 5, "scans": [{"data": "U:T001"}]}, "'station' must be a string"),
        ({"station": "counter-1", "scans": "U:T001"}, "'scans' must be a list"),
        ({"station": "counter-1", "scans": []}, "'scans' is empty"),
        ({"station": "counter-1", "scans": [{"data": 42}]}, "scans[0].data must be a string"),
        ({"station": "counter-1", "scans": [{"data": "U:T001", "seq": "one"}]}, "scans[0].seq"),
        ({"station": "counter-1", "scans": [{"data": "U:T001", "seq": True}]}, "scans[0].seq"),
        ({"station": "counter-1", "scans": [{"data": "U:T001", "seq": -1}]}, "scans[0].seq"),
        ({"station": "counter-1", "scans": [{"data": "U:T001", "at": "yesterday"}]}, "ISO 8601"),
        ({"station": "counter-1", "scans": [{"data": "U:T001", "at": "2026-11-23T08:00:00"}]}, "time zone"),
        ({"station": "counter-1", "scans": [{"data": "a", "seq": 1}, {"data": "b", "seq": 1}]}, "appears twice"),
        ({"station": "counter-9", "scans": [{"data": "U:T001"}]}, "unknown station"),
        ({"station": "counter-1", "scans": [{"data": "x", "data_b64": "@@@"}]}, "not base64"),
    ],
)
def test_malformed_requests_are_4xx_naming_the_problem(shop, client, body, fragment):
    """GIVEN a malformed request WHEN posted THEN a 400 with an error naming the problem, and nothing is logged."""
    before = stock_snapshot(shop)
    res = post(client, body)
    assert res.status_code == 400
    assert fragment in res.get_json()["error"]
    assert stock_snapshot(shop) == before
    with shop.reading() as s:
        assert queries.scan_count(s) == 0


@pytest.mark.clock
def test_scan_in_the_future_is_rejected(shop, client):
    """GIVEN a handheld with a wrong clock WHEN its scan is dated next year THEN it is rejected as bad_time."""
    res = post(
        client,
        {
            "station": "counter-1",
            "device": "h",
            "scans": [{"data": "U:T001", "at": (clock.now() + timedelta(days=365)).isoformat()}],
        },
    )
    assert res.get_json()["results"][0]["code"] == "bad_time"


def test_not_json_content_type(shop, client):
    """GIVEN form data WHEN posted to the JSON API THEN 400 says to send JSON."""
    res = client.post("/api/scans", data="station=counter-1")
    assert res.status_code == 400 and "application/json" in res.get_json()["error"]


def test_tokens_guard_writes_but_not_reads(shop, cfg, db):
    """GIVEN [api] tokens WHEN writing without or with a wrong token THEN 401; with the token THEN accepted."""
    from floor.service.factory import create_app

    cfg.api_tokens = ["s3cret"]
    client = create_app(cfg, db, {"TESTING": True}).test_client()
    body = {"station": "counter-1", "scans": [{"data": "U:T001"}]}
    assert post(client, body).status_code == 401
    assert post(client, body, Authorization="Bearer nope").status_code == 401
    assert post(client, body, Authorization="Bearer s3cret").status_code == 200
    assert client.get("/api/parts/OF-100").status_code == 200


def test_unknown_part_and_job_are_404(shop, client):
    """GIVEN no such part or job WHEN asked THEN 404 with an error."""
    assert client.get("/api/parts/NOPE").status_code == 404
    res = client.get("/api/workorders/NOPE")
    assert res.status_code == 404 and "NOPE" in res.get_json()["error"]


def test_create_master_data_and_reject_bad_fields(shop, client):
    """GIVEN the API WHEN a part is created THEN it can be issued; WHEN a field is wrong THEN 400 names it and nothing is created."""
    ok = client.post(
        "/api/parts",
        json={"part_no": "NEW-1", "name": "New part", "unit_cost": "2.50", "barcodes": "1234567890128", "core": "no"},
    )
    assert ok.status_code == 201
    assert client.post("/api/locations", json={"code": "C-01-01", "zone": "C"}).status_code == 201
    assert client.post("/api/stock", json={"part_no": "NEW-1", "location": "C-01-01", "qty": 5}).status_code == 201
    assert client.get("/api/parts/NEW-1").get_json()["on_hand"] == 5
    bad = client.post("/api/parts", json={"part_no": "NEW-2", "name": "x", "unit_cost": "cheap"})
    assert bad.status_code == 400 and "unit_cost" in bad.get_json()["error"]
    assert client.get("/api/parts/NEW-2").status_code == 404
    batch = client.post(
        "/api/users",
        json={
            "items": [
                {"badge": "T9", "name": "A", "role": "technician"},
                {"badge": "T10", "name": "B", "role": "pilot"},
            ]
        },
    )
    assert batch.status_code == 400 and "items[1].role" in batch.get_json()["error"]
    assert (
        post(client, {"station": "counter-1", "scans": [{"data": "U:T9"}]}).get_json()["results"][0]["code"]
        == "unknown_badge"
    )


def test_station_summary(shop, client):
    """GIVEN scans at a counter WHEN its station is asked for THEN actor, job, mode and last scans show."""
    post(client, {"station": "counter-1", "scans": [{"data": "U:T001"}, {"data": "WO:1001"}]})
    info = client.get("/api/stations/counter-1").get_json()
    # Never the badge (it is a credential, SPEC 10.6): the name and role show, the badge scan's text is masked.
    assert info["actor"] == {"name": "Li Wei", "role": "technician"}
    assert info["work_order"] == "1001" and info["mode"] == "ISSUE"
    assert info["scans"][1]["text"] == "U:••••" and "T001" not in str(info)
    assert [s["code"] for s in info["scans"]] == ["wo_set", "actor_set"]
    assert client.get("/api/stations/nowhere").status_code == 404
