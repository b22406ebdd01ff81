"""A catalogue of bad inputs (SPEC section 7): each gets a clear error naming the problem and changes nothing.

Serial lines through a simulated scanner on a pty, API bodies, CSV files, config files
and kiosk forms. Every case compares a snapshot of the books (levels, ledger, events
that were accepted, master data, sessions) before and after, and none may answer 500.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from floor.config import ConfigError, load_config, parse_config
from floor.db import Database
from floor.imports import CsvFormatError, import_csv
from tests.conftest import TEST_CONFIG, make_config
from tests.trust.support import snapshot

# -- serial lines ------------------------------------------------------------------------------
# (bytes put on the wire before the terminator, the result code logged, a word its message must contain)
SERIAL_CASES = [
    (b"\xfe\xff\x80\x81line noise", "bad_encoding", ""),
    (b"X" * 5000, "too_long", ""),
    (b"P:OF-100\x07", "control_chars", ""),
    (b"   \t ", "empty", ""),
    (b"NOT-A-PART-9", "unknown_code", ""),
    (b"Q:0", "bad_qty", ""),
    (b"Q:10000", "bad_qty", ""),
    (b"WO:1003", "wo_closed", "1003"),
    (b"WO:4040", "unknown_wo", "4040"),
    (b"L:NOWHERE", "unknown_location", "NOWHERE"),
    (b"U:NOBODY", "unknown_badge", "NOBODY"),
    (b"CMD:FLY", "unknown_command", "FLY"),
    (b"]C1\x1d0109501101530003", "unknown_part", ""),
    (b"P:NOPE-1", "unknown_part", ""),
    (
        b"\x1d]",
        "bad_gs1",
        "could not be read",
    ),  # found by the parser fuzz: the GS1 library raised IndexError, failing the batch
    (b"P:OF-100", "no_mode", ""),  # a part before any job: nothing to do with it
]


@pytest.mark.parametrize("line,code,word", SERIAL_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(SERIAL_CASES)])
def test_bad_serial_line(shop: Database, cfg: Any, line: bytes, code: str, word: str) -> None:
    """GIVEN a counter scanner on a pty WHEN a bad line arrives THEN NAK, the event log names why, nothing else changes."""
    from floor.config import DeviceConfig
    from floor.scanners.serial_scanner import SerialScannerReader
    from floor.service.scan_service import ScanService
    from hardware_sim.scanner import ScannerSim

    service = ScanService(cfg, shop)
    with ScannerSim() as sim:
        reader = SerialScannerReader(
            DeviceConfig("pty-bad", "serial-scanner", sim.path, "counter-1", {"ack": "06", "nak": "15"}), service
        )
        reader.start()
        try:
            assert sim.wait_host(5)
            before = snapshot(shop)
            assert sim.scan_and_wait(line, timeout=5.0) == b"\x15"
            # A good scan afterwards is still heard: the bad line did not wedge the reader.
            assert sim.scan_and_wait(b"U:T001", timeout=5.0) == b"\x06"
        finally:
            reader.stop()
    after = snapshot(shop)
    after["sessions"], before["sessions"] = [], []  # the badge scan afterwards sets the actor
    before["accepted_events"] = after["accepted_events"]
    assert after == before
    with shop.reading() as s:
        rows = list(s.execute(text("SELECT code, message, message_zh FROM scan_events WHERE NOT ok")))
    assert [r[0] for r in rows] == [code]
    assert rows[0][1] and rows[0][2] and word in rows[0][1]


# -- API bodies ------------------------------------------------------------------------------
GOOD = {"station": "counter-1", "device": "bad-1", "scans": [{"data": "U:T001", "seq": 1}]}
API_CASES: list[tuple[str, Any, str, int, str]] = [
    # (id, body or raw bytes, content type, status, words the error must contain)
    ("not-json", b"{station: counter-1", "application/json", 400, "not valid JSON"),
    ("form-encoded", b"station=counter-1", "application/x-www-form-urlencoded", 400, "Content-Type: application/json"),
    ("array-body", [GOOD], "application/json", 400, "JSON object"),
    ("no-station", {"scans": GOOD["scans"]}, "application/json", 400, "'station' is required"),
    ("unknown-station", {**GOOD, "station": "counter-99"}, "application/json", 400, "counter-99"),
    ("station-number", {**GOOD, "station": 7}, "application/json", 400, "'station' must be a string"),
    ("station-long", {**GOOD, "station": "c" * 65}, "application/json", 400, "longer than 64"),
    ("device-list", {**GOOD, "device": ["a"]}, "application/json", 400, "'device' must be a string"),
    ("scans-missing", {"station": "counter-1"}, "application/json", 400, "'scans' must be a list"),
    ("scans-object", {**GOOD, "scans": {"data": "U:T001"}}, "application/json", 400, "'scans' must be a list"),
    ("scans-empty", {**GOOD, "scans": []}, "application/json", 400, "'scans' is empty"),
    (
        "scans-too-many",
        {**GOOD, "scans": [{"data": "Q:1", "seq": i + 1} for i in range(1001)]},
        "application/json",
        400,
        "at most 1000",
    ),
    ("scan-not-object", {**GOOD, "scans": ["U:T001"]}, "application/json", 400, "scans[0] must be an object"),
    ("data-number", {**GOOD, "scans": [{"data": 42, "seq": 1}]}, "application/json", 400, "scans[0].data"),
    ("data-missing", {**GOOD, "scans": [{"seq": 1}]}, "application/json", 400, "scans[0].data"),
    ("seq-negative", {**GOOD, "scans": [{"data": "U:T001", "seq": -1}]}, "application/json", 400, "scans[0].seq"),
    ("seq-bool", {**GOOD, "scans": [{"data": "U:T001", "seq": True}]}, "application/json", 400, "scans[0].seq"),
    ("seq-text", {**GOOD, "scans": [{"data": "U:T001", "seq": "1"}]}, "application/json", 400, "scans[0].seq"),
    (
        "seq-twice",
        {**GOOD, "scans": [{"data": "U:T001", "seq": 1}, {"data": "WO:1001", "seq": 1}]},
        "application/json",
        400,
        "appears twice",
    ),
    (
        "at-garbage",
        {**GOOD, "scans": [{"data": "U:T001", "seq": 1, "at": "yesterday"}]},
        "application/json",
        400,
        "ISO 8601",
    ),
    (
        "at-no-zone",
        {**GOOD, "scans": [{"data": "U:T001", "seq": 1, "at": "2026-11-23T08:00:00"}]},
        "application/json",
        400,
        "time zone",
    ),
    (
        "at-number",
        {**GOOD, "scans": [{"data": "U:T001", "seq": 1, "at": 1700000000}]},
        "application/json",
        400,
        "ISO 8601",
    ),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_bad_api_body(client: Any, shop: Database, case: tuple[str, Any, str, int, str]) -> None:
    """GIVEN the API WHEN a malformed scan request arrives THEN a 4xx JSON error naming the problem and no change."""
    _, body, ctype, status, words = case
    before = snapshot(shop)
    if isinstance(body, bytes):
        resp = client.post("/api/scans", data=body, content_type=ctype)
    else:
        resp = client.post("/api/scans", json=body)
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert words in resp.get_json()["error"]
    assert snapshot(shop) == before


MASTER_CASES = [
    ("parts", {"part_no": "X-1", "name": "X", "unit_cost": "abc"}, "unit_cost"),
    ("parts", {"part_no": "X-1"}, "name"),
    ("parts", {"items": [{"part_no": "X-1", "name": "ok"}, "not-an-object"]}, "items[1]"),
    ("stock", {"part_no": "NOPE", "location": "A-01-01", "qty": "3"}, "part_no"),
    ("stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "many"}, "qty"),
    ("users", {"badge": "X9", "name": "Eve", "role": "admin"}, "role"),
    ("workorders", {"number": "2001", "promised_at": "next week"}, "promised_at"),
    ("locations", {"code": "bad code with spaces"}, "code"),
]


def test_parser_crash_rejects_one_scan_not_the_batch(client: Any, shop: Database) -> None:
    """GIVEN a scan that once made the GS1 library raise IndexError (found by the fuzz in bench_trust)
    WHEN it arrives in a batch between good scans THEN 200: it alone is rejected as bad GS1, the others are applied."""
    body = {
        "station": "counter-1",
        "device": "fuzz-1",
        "scans": [{"data": "U:T001", "seq": 1}, {"data": "\u001d]", "seq": 2}, {"data": "WO:1001", "seq": 3}],
    }
    resp = client.post("/api/scans", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    results = resp.get_json()["results"]
    assert [(r["ok"], r["code"]) for r in results] == [(True, "actor_set"), (False, "bad_gs1"), (True, "wo_set")]


@pytest.mark.parametrize("kind,body,field", MASTER_CASES, ids=[f"{c[0]}-{c[2]}" for c in MASTER_CASES])
def test_bad_master_data_body(client: Any, shop: Database, kind: str, body: dict[str, Any], field: str) -> None:
    """GIVEN the master-data API WHEN a row is wrong THEN 400 naming the field and nothing is created (all or nothing)."""
    before = snapshot(shop)
    resp = client.post(f"/api/{kind}", json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert field in resp.get_json()["error"]
    assert snapshot(shop) == before


# -- CSV files ---------------------------------------------------------------------------------
CSV_CASES: list[tuple[str, str, bytes, str]] = [
    ("empty", "parts", b"", "empty"),
    ("latin1", "parts", "part_no,name\nÖL-1,Ölfilter\n".encode("latin-1"), "not UTF-8"),
    ("nul-bytes", "parts", b"part_no,name\nA\x00B,x\n", "NUL"),
    ("missing-column", "stock", b"part_no,qty\nOF-100,3\n", "location"),
    ("unknown-kind", "vehicles", b"vin\n123\n", "unknown import kind"),
    ("bad-cost", "parts", b"part_no,name,unit_cost\nN-1,New,1.2.3\n", "unit_cost"),
    ("bad-qty", "stock", b"part_no,location,qty\nOF-100,A-01-01,lots\n", "qty"),
    ("unknown-part", "stock", b"part_no,location,qty\nNOPE-1,A-01-01,3\n", "part_no"),
    ("unknown-bin", "stock", b"part_no,location,qty\nOF-100,Z-99,3\n", "location"),
    ("bad-role", "users", b"badge,name,role\nX1,Eve,admin\n", "role"),
    ("bad-date", "workorders", b"number,promised_at\n3001,someday\n", "promised_at"),
    ("too-many-fields", "locations", b"code,name,zone\nC-01,Shelf,C,extra\n", "fields"),
    ("good-then-bad", "parts", b"part_no,name,unit_cost\nN-1,New,1.00\nN-2,Bad,x\n", "line 3"),
    ("bad-core-flag", "parts", b"part_no,name,core\nN-1,New,perhaps\n", "core"),
]


@pytest.mark.parametrize("case", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_csv_file(shop: Database, case: tuple[str, str, bytes, str]) -> None:
    """GIVEN an import WHEN the CSV is wrong THEN an error naming the line/column or the problem, and nothing imported."""
    _, kind, data, words = case
    before = snapshot(shop)
    try:
        report = import_csv(shop, kind, data)
        message = "; ".join(str(e) for e in report.errors)
        assert not report.ok and report.rows == 0
        assert re.search(r"line \d+, column", message), message
    except CsvFormatError as exc:
        message = str(exc)
    assert words in message, message
    assert snapshot(shop) == before


# -- config files ---------------------------------------------------------------------------------
def _cfg(**changes: Any) -> dict[str, Any]:
    data = {k: (list(v) if isinstance(v, list) else dict(v)) for k, v in TEST_CONFIG.items()}
    data.update(changes)
    return data


STATION = {"name": "s", "kind": "counter"}
DEVICE = {"name": "d", "kind": "serial-scanner", "url": "/dev/null", "station": "counter-1"}
CONFIG_CASES = [
    ("station-kind", _cfg(stations=[{**STATION, "kind": "bar"}]), "kind must be one of"),
    ("station-twice", _cfg(stations=[STATION, STATION]), "defined twice"),
    ("station-no-name", _cfg(stations=[{"kind": "counter"}]), "'name'"),
    ("device-kind", _cfg(devices=[{**DEVICE, "kind": "laser"}]), "kind must be one of"),
    ("device-station", _cfg(devices=[{**DEVICE, "station": "ghost"}]), "'ghost' is not configured"),
    ("device-terminator", _cfg(devices=[{**DEVICE, "terminator": "TAB"}]), "terminator must be"),
    ("device-ack", _cfg(devices=[{**DEVICE, "ack": "zz"}]), "hex bytes"),
    ("device-no-url", _cfg(devices=[{k: v for k, v in DEVICE.items() if k != "url"}]), "'url'"),
    ("port", _cfg(server={"port": "eighty"}), "port must be a number"),
    ("timezone", _cfg(site={"timezone": "Mars/Olympus"}), "time zone"),
    ("tokens", _cfg(api={"tokens": "change-me"}), "list of strings"),
    ("sync", _cfg(database={"url": "sqlite:///x.db", "sqlite_synchronous": "SOMETIMES"}), "sqlite_synchronous"),
    ("printer", _cfg(stations=[{**STATION, "printer": "zebra"}]), "'zebra' is not configured"),
]


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_config(case: tuple[str, dict[str, Any], str]) -> None:
    """GIVEN a config with one wrong value WHEN it is parsed THEN ConfigError naming the table and the problem."""
    _, data, words = case
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert words in str(err.value)


@pytest.mark.parametrize(
    "content,words",
    [
        (None, "not found"),
        (b"[database\nurl = 1", "not valid TOML"),
        (b'[site]\ntimezone = "\xff\xfe"\n', "not UTF-8"),
    ],
    ids=["missing", "bad-toml", "not-utf8"],
)
def test_bad_config_file(tmp_path: Path, content: bytes | None, words: str) -> None:
    """GIVEN a config file that is missing or unreadable WHEN loaded THEN ConfigError naming the file and the problem."""
    path = tmp_path / "floor.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert words in str(err.value) and str(path) in str(err.value)


# -- kiosk forms ---------------------------------------------------------------------------------
def _csrf(client: Any) -> str:
    page = client.get("/kiosk/counter/counter-1").get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, "the kiosk page carries its CSRF token"
    return match.group(1)


KIOSK_CASES: list[tuple[str, str, dict[str, str], bool, int, str]] = [
    # (id, url, form, with CSRF token, status, words in the answer)
    ("no-csrf", "/kiosk/counter/counter-1/scan", {"text": "U:T001"}, False, 400, "CSRF"),
    ("too-long", "/kiosk/counter/counter-1/scan", {"text": "P:" + "X" * 3000}, True, 413, "too long"),
    ("unknown-station", "/kiosk/counter/nowhere/scan", {"text": "U:T001"}, True, 404, ""),
    ("admin-no-badge", "/kiosk/admin/parts", {"part_no": "K-1", "name": "Kiosk part"}, True, 403, ""),
    (
        "admin-tech-badge",
        "/kiosk/admin/parts",
        {"part_no": "K-1", "name": "Kiosk part", "by_badge": "T001"},
        True,
        403,
        "",
    ),
    (
        "admin-bad-cost",
        "/kiosk/admin/parts",
        {"part_no": "K-1", "name": "K", "unit_cost": "free", "by_badge": "SUP1"},
        True,
        422,
        "",
    ),
    ("admin-unknown-kind", "/kiosk/admin/vehicles", {"by_badge": "SUP1"}, True, 404, ""),
]


@pytest.mark.parametrize("case", KIOSK_CASES, ids=[c[0] for c in KIOSK_CASES])
def test_bad_kiosk_form(shop: Database, case: tuple[str, str, dict[str, str], bool, int, str]) -> None:
    """GIVEN the kiosk with CSRF on WHEN a bad form is posted THEN a 4xx with a reason and nothing changes."""
    from floor.web import create_app

    client = create_app(make_config(), shop, {"TESTING": True}).test_client()
    _, url, form, with_token, status, words = case
    headers = {"X-CSRFToken": _csrf(client)} if with_token else {}
    before = snapshot(shop)
    resp = client.post(url, data=form, headers=headers)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert words.lower() in resp.get_data(as_text=True).lower()
    assert "Traceback" not in resp.get_data(as_text=True)
    assert snapshot(shop) == before
