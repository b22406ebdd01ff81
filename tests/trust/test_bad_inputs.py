"""A catalogue of bad inputs (SPEC section 7): each gets a clear error naming the problem and changes nothing.

Serial lines through a simulated scanner on a pty, API bodies, CSV files, config files
and kiosk forms. Every case compares a snapshot of the books (levels, ledger, events
that were accepted, master data, sessions) before and after, and none may answer 500.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from floor.config import ConfigError, load_config, parse_config
from floor.core import queries
from floor.core.codes import CodeError, gtin14, parse_quantity
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
        "gs1_invalid",
        "Application Identifier",
    ),  # found by the parser fuzz: the GS1 library raised IndexError, failing the batch
    (b"P:OF-100", "no_mode", ""),  # a part before any job: nothing to do with it
    (b"P:OF\x00100", "control_chars", ""),  # issue 13: its text made PostgreSQL refuse the whole batch
    (b"Q:\xd9\xa3", "bad_qty", ""),  # issue 13: Q:٣ was read as 3
    (b"\xc2\xb2" * 8, "unknown_code", ""),  # issue 13: ²²²²²²²² raised in gtin14 outside the per-scan rejection
    # issue 24: GS1 rejects 9 digits in AI 7007 (N6 or N12); it was booked with a serial "1" not on the label
    (b"]C101123456789012317007211225211", "gs1_invalid", "AI (7007)"),
    # issue 24: a GTIN with a wrong check digit was "Unknown part", inviting the misprint as an alias
    (b"]C10112345678901234", "gs1_invalid", "wrong check digit"),
    (b"]E04006381333932", "gs1_invalid", "EAN-13 4006381333932 has a wrong check digit"),
    (b"]C10109501101530003\x1d11131313", "gs1_invalid", "not a real date"),
]


@pytest.mark.parametrize("line,code,word", SERIAL_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(SERIAL_CASES)])
def test_bad_serial_line(shop: Database, cfg: Any, line: bytes, code: str, word: str) -> None:
    """GIVEN a counter scanner on a pty WHEN a bad line arrives THEN NAK, the event log names why, nothing else changes."""
    from floor.application.scan_service import ScanService
    from floor.config import DeviceConfig
    from floor.scanners.serial_scanner import SerialScannerReader
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
    WHEN it arrives in a batch between good scans THEN 200: it alone is rejected as invalid GS1, the others are applied."""
    body = {
        "station": "counter-1",
        "device": "fuzz-1",
        "scans": [{"data": "U:T001", "seq": 1}, {"data": "\u001d]", "seq": 2}, {"data": "WO:1001", "seq": 3}],
    }
    resp = client.post("/api/scans", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    results = resp.get_json()["results"]
    assert [(r["ok"], r["code"]) for r in results] == [(True, "actor_set"), (False, "gs1_invalid"), (True, "wo_set")]


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
    ("unknown-kind", "widgets", b"name\nx\n", "unknown import kind"),
    ("bad-vin", "vehicles", b"vin,customer\n123,C1\n", "VIN 123"),
    ("bad-cost", "parts", b"part_no,name,unit_cost\nN-1,New,1.2.3\n", "unit_cost"),
    ("bad-qty", "stock", b"part_no,location,qty\nOF-100,A-01-01,lots\n", "qty"),
    ("unknown-part", "stock", b"part_no,location,qty\nNOPE-1,A-01-01,3\n", "part_no"),
    ("unknown-bin", "stock", b"part_no,location,qty\nOF-100,Z-99,3\n", "location"),
    ("bad-role", "users", b"badge,name,role\nX1,Eve,admin\n", "role"),
    ("bad-date", "workorders", b"number,promised_at\n3001,someday\n", "promised_at"),
    ("too-many-fields", "locations", b"code,name,zone\nC-01,Shelf,C,extra\n", "fields"),
    ("good-then-bad", "parts", b"part_no,name,unit_cost\nN-1,New,1.00\nN-2,Bad,x\n", "line 3"),
    ("bad-core-flag", "parts", b"part_no,name,core\nN-1,New,perhaps\n", "core"),
    ("part-twice", "parts", b"part_no,name\nN-1,New\nN-2,Other\nN-1,Again\n", "line 2 and line 4"),
    ("stock-twice", "stock", b"part_no,location,qty\nOF-100,A-01-01,5\nOF-100,A-01-01,9\n", "line 2 and line 3"),
    ("last-supervisor", "users", b"badge,name,role\nSUP1,Chen Jie,technician\n", "last active supervisor"),
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
    from floor.service.factory import create_app

    client = create_app(make_config(), shop, {"TESTING": True}).test_client()
    _, url, form, with_token, status, words = case
    headers = {"X-CSRFToken": _csrf(client)} if with_token else {}
    before = snapshot(shop)
    resp = client.post(url, data=form, headers=headers)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert words.lower() in resp.get_data(as_text=True).lower()
    assert "Traceback" not in resp.get_data(as_text=True)
    assert snapshot(shop) == before


# -- issue 13: no 500 from client input ------------------------------------------------------------
# Each case below was answered 500 (or accepted a non-ASCII number) before the shared guards:
# floor.core.inputs (ASCII digits, one time parser with a year range) and floor.http.guards
# (the id converter, the JSON depth limit, NUL/surrogate text).
EDGE_TIMES = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"]
BIG_IDS = [str(2**64), str(2**63), "9" * 40, "-1", "0", "abc", "١٢", "１２"]


def _batch(*texts: str) -> dict[str, Any]:
    return {
        "station": "counter-1",
        "device": "poison-1",
        "scans": [{"data": t, "seq": i + 1} for i, t in enumerate(texts)],
    }


POISON_SCANS: list[tuple[str, str, str | None]] = [
    # (id, the scan, the result code it must get; None: any rejection)
    ("superscript-barcode", "²²²²²²²²", None),
    ("superscript-13", "²" * 13, None),
    ("arabic-indic-ean8", "٠١٢٣٤٥٦٥", None),
    ("fullwidth-ean13", "４００６３８１３３３９３１", None),
    ("q-arabic-indic", "Q:٣", "bad_qty"),
    ("q-fullwidth", "Q:１２", "bad_qty"),
    ("q-superscript", "Q:²", "bad_qty"),
    ("q-devanagari", "Q:५", "bad_qty"),
    ("q-mixed", "Q:1٣", "bad_qty"),
    ("q-sign", "Q:+5", "bad_qty"),
    ("q-huge", "Q:" + "9" * 4000, "bad_qty"),
    ("q-space-inside", "Q:1 2", "bad_qty"),
    ("gs1-qty-fullwidth", "(01)04006381333931(30)１２", None),
    ("gs1-superscript-gtin", "]C101²²²²²²²²²²²²²²", None),
    ("part-label-arabic", "P:OF-١٠٠", None),
    ("nul-in-part", "P:OF\x00100", "control_chars"),
    ("nul-alone", "\x00", "control_chars"),
    ("lone-surrogate", "P:\ud800", "bad_encoding"),
]


@pytest.mark.parametrize("case", POISON_SCANS, ids=[c[0] for c in POISON_SCANS])
def test_poison_scan_rejects_itself_not_its_batch(
    client: Any, shop: Database, case: tuple[str, str, str | None]
) -> None:
    """GIVEN a batch with a poison scan between good ones WHEN posted THEN 200: the poison scan alone is rejected,
    the scans around it are applied, and a later part scan issues 1 (a non-ASCII Q: is never a quantity)."""
    _, poison, code = case
    resp = client.post("/api/scans", json=_batch("U:T001", "WO:1001", poison, "P:OF-100"))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    results = resp.get_json()["results"]
    assert [r["ok"] for r in results] == [True, True, False, True], results
    assert code is None or results[2]["code"] == code, results[2]
    assert results[2]["message"] and results[2]["message_zh"]
    with shop.reading() as s:
        assert queries.workorder_summary(s, "1001")["issued"] == {"OF-100": 1}


@pytest.mark.parametrize(
    "text",
    ["²²²²²²²²", "٠١٢٣٤٥٦٥", "４００６３８１３３３９３１", "0000000²", "", "0" * 15, "abcdefgh"],
    ids=["superscript", "arabic", "fullwidth", "one-superscript", "empty", "too-long", "letters"],
)
def test_gtin14_takes_ascii_digits_only(text: str) -> None:
    """GIVEN text that is not 8/12/13/14 ASCII digits WHEN gtin14 reads it THEN None, never an exception."""
    assert gtin14(text) is None


def test_gtin14_still_reads_a_real_gtin() -> None:
    """GIVEN a valid EAN-13 WHEN gtin14 reads it THEN its 14-digit form (the fix kept the good path)."""
    assert gtin14("4006381333931") == "04006381333931"


@pytest.mark.parametrize("text", ["٣", "１２", "²", "0", "10000", "-1", " 1", "1.0"])
def test_parse_quantity_refuses_non_ascii_and_out_of_range(text: str) -> None:
    """GIVEN a Q: value that is not 1-9999 in ASCII digits WHEN parsed THEN CodeError bad_qty."""
    with pytest.raises(CodeError) as err:
        parse_quantity(text)
    assert err.value.code == "bad_qty"


def _deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


DEEP_JSON_ROUTES = [
    "/api/scans",
    "/api/parts",
    "/api/stock",
    "/api/workorders",
    "/api/counts",
    "/api/deliveries",
    "/api/returns",
    "/api/workorders/1001/status",
    "/api/counts/1/reasons",
    "/api/supplier-returns",
]


@pytest.mark.parametrize("url", DEEP_JSON_ROUTES)
def test_json_nested_100000_deep_is_a_clear_400(client: Any, shop: Database, url: str) -> None:
    """GIVEN JSON nested 100,000 deep WHEN posted to a JSON route THEN 400 naming the depth, not RecursionError/500."""
    before = snapshot(shop)
    resp = client.post(url, data=_deep(100_000), content_type="application/json")
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "deeper" in resp.get_json()["error"]
    assert snapshot(shop) == before


def test_json_object_nested_deep_inside_a_field_is_a_clear_400(client: Any, shop: Database) -> None:
    """GIVEN a good scan body whose 'device' holds 50,000 nested objects WHEN posted THEN 400, nothing changes."""
    before = snapshot(shop)
    body = b'{"station": "counter-1", "device": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}"
    resp = client.post("/api/scans", data=body, content_type="application/json")
    assert resp.status_code == 400 and "deeper" in resp.get_json()["error"]
    assert snapshot(shop) == before


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    """GIVEN brackets inside a JSON string WHEN the depth is measured THEN they do not count."""
    from floor.http.guards import json_depth

    assert json_depth(b'{"a": "[[[[[[\\"[[[["}') == 1
    assert json_depth(_deep(40)) == 40


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ax\x7f\u00e9\u4e2d\n'),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet='[]{}"\\k'), inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON, ascii_only=st.booleans())
def test_json_depth_is_the_nesting_of_any_json_text(value: Any, ascii_only: bool) -> None:
    """GIVEN any JSON value (strings full of brackets, quotes and backslashes) WHEN its text is measured
    THEN the depth is the value's nesting, escaped or not."""
    from floor.http.guards import json_depth

    text = json.dumps(value, ensure_ascii=ascii_only)
    assert json_depth(text) == _depth(value)
    assert json_depth(text.encode("utf-8")) == _depth(value)


@pytest.mark.parametrize("at", EDGE_TIMES)
def test_scan_time_at_the_edge_is_a_400(client: Any, shop: Database, at: str) -> None:
    """GIVEN a scan `at` in year 1 or 9999 with an offset WHEN posted THEN 400 naming the year range, no change."""
    before = snapshot(shop)
    body = {"station": "counter-1", "device": "edge-1", "scans": [{"data": "U:T001", "seq": 1, "at": at}]}
    resp = client.post("/api/scans", json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "scans[0].at" in resp.get_json()["error"] and "1970" in resp.get_json()["error"]
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "at", [*EDGE_TIMES, "2026-11-23T08:00:00+99:00", "٢٠٢٦-11-23T08:00:00Z", "1969-12-31T23:59:59Z"]
)
def test_promised_at_at_the_edge_through_the_api(client: Any, shop: Database, at: str) -> None:
    """GIVEN a job's promised_at at the edge WHEN created through the API THEN 400 naming promised_at, no change."""
    before = snapshot(shop)
    resp = client.post("/api/workorders", json={"number": "2001", "promised_at": at})
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "promised_at" in resp.get_json()["error"]
    assert snapshot(shop) == before


@pytest.mark.parametrize("at", [*EDGE_TIMES, "0001-01-01 00:00"])
def test_promised_at_at_the_edge_in_a_csv(shop: Database, at: str) -> None:
    """GIVEN a CSV row with promised_at at the edge WHEN imported THEN a row error naming the column, nothing imported."""
    before = snapshot(shop)
    report = import_csv(shop, "workorders", f"number,promised_at\n3001,{at}\n".encode())
    message = "; ".join(str(e) for e in report.errors)
    assert not report.ok and "promised_at" in message and "line 2" in message, message
    assert snapshot(shop) == before


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:00"])
def test_promised_at_at_the_edge_in_the_kiosk_form(shop: Database, at: str) -> None:
    """GIVEN the kiosk job form WHEN a supervisor saves promised_at in year 1 or 9999 THEN 422 naming it, no change."""
    from floor.service.factory import create_app

    client = create_app(make_config(), shop, {"TESTING": True}).test_client()
    token = _csrf(client)
    before = snapshot(shop)
    form = {"number": "2002", "promised_at": at, "by_badge": "SUP1"}
    resp = client.post("/kiosk/admin/workorders", data=form, headers={"X-CSRFToken": token})
    assert resp.status_code == 422, resp.get_data(as_text=True)[:500]
    assert "1970" in resp.get_data(as_text=True)
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01T00:00:00%2B05:00&to=2026-11-30",
        "from=2026-11-01&to=9999-12-31T23:00:00-05:00",
        "from=0001-01-01&to=2026-11-30",
        "from=2026-11-01&to=9999-12-31",
        "from=%D9%A2%D9%A0%D9%A2%D9%A6-11-01&to=2026-11-30",
    ],
    ids=["from-year-1", "to-year-9999", "from-day-1", "to-day-9999", "from-arabic"],
)
def test_costs_csv_dates_at_the_edge_are_a_400(client: Any, shop: Database, query: str) -> None:
    """GIVEN costs.csv WHEN from/to lie outside the years 1970-2999 THEN 400 naming the parameter, not OverflowError."""
    resp = client.get(f"/api/workorders/costs.csv?{query}")
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "'from'" in resp.get_json()["error"] or "'to'" in resp.get_json()["error"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "２０２６-11-23"])
def test_counts_due_date_at_the_edge_is_a_400(client: Any, shop: Database, day: str) -> None:
    """GIVEN /api/counts/due WHEN the day is at the edge THEN 400 naming 'date'."""
    resp = client.get("/api/counts/due", query_string={"date": day})
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "'date'" in resp.get_json()["error"]


ID_URLS: list[tuple[str, str]] = [
    ("GET", "/api/counts/{id}"),
    ("GET", "/api/counts/{id}/variance"),
    ("GET", "/api/counts/{id}/variance.csv"),
    ("GET", "/api/counts/{id}/variance.html"),
    ("GET", "/api/counts/{id}/progress.svg"),
    ("POST", "/api/counts/{id}/approve"),
    ("POST", "/api/counts/{id}/reasons"),
    ("GET", "/api/deliveries/{id}"),
    ("POST", "/api/deliveries/{id}/receive"),
    ("POST", "/api/deliveries/{id}/close"),
    ("GET", "/api/returns/{id}"),
    ("POST", "/api/returns/{id}/inspect"),
    ("GET", "/api/supplier-returns/{id}"),
    ("GET", "/api/supplier-returns/{id}/packing-list.csv"),
    ("POST", "/api/supplier-returns/{id}/ship"),
    ("POST", "/api/print-jobs/{id}/reprint"),
    ("GET", "/kiosk/stocktake/{id}"),
    ("POST", "/kiosk/stocktake/{id}/approve"),
    ("POST", "/kiosk/labels/jobs/{id}/reprint"),
    ("GET", "/kiosk/labels/preview/count/{id}.svg"),
]


@pytest.mark.parametrize("method,url", ID_URLS, ids=[f"{m}-{u}" for m, u in ID_URLS])
def test_ids_beyond_64_bits_are_a_404(shop: Database, method: str, url: str) -> None:
    """GIVEN any route with an id WHEN the id is beyond 64 bits, negative, zero or not ASCII digits
    THEN 404 (or 400 for a refused body), never 500, and nothing changes."""
    from floor.service.factory import create_app

    client = create_app(make_config(), shop, {"TESTING": True}).test_client()
    headers = {"X-CSRFToken": _csrf(client)}
    before = snapshot(shop)
    for bad in BIG_IDS:
        target = url.format(id=bad)
        resp = client.open(
            target, method=method, json={} if method == "POST" and "/api/" in url else None, headers=headers
        )
        assert resp.status_code in (400, 404), (target, resp.status_code, resp.get_data(as_text=True)[:200])
    assert snapshot(shop) == before


def test_id_converter_rejects_non_ascii_and_huge_ids() -> None:
    """GIVEN the one id converter WHEN given non-ASCII digits or a number past 2**63-1 THEN ValidationError (404)."""
    from werkzeug.routing import Map, ValidationError

    from floor.http.guards import IdConverter

    conv = IdConverter(Map())
    assert conv.to_python("42") == 42
    for bad in [str(2**63), "0", "١٢"]:
        with pytest.raises(ValidationError):
            conv.to_python(bad)


TEXT_CASES: list[tuple[str, str, Any]] = [
    ("part-nul", "/api/parts", {"part_no": "X\x00-1", "name": "x"}),
    ("part-surrogate", "/api/parts", {"part_no": "X-1", "name": "bad \ud800 name"}),
    ("user-nul", "/api/users", {"badge": "N\x001", "name": "Eve", "role": "technician"}),
    ("location-nul", "/api/locations", {"code": "Z\x00-1"}),
    ("workorder-nul", "/api/workorders", {"number": "20\x0001"}),
    ("scan-station-nul", "/api/scans", {"station": "counter-1\x00", "scans": [{"data": "U:T001"}]}),
    (
        "scan-device-surrogate",
        "/api/scans",
        {"station": "counter-1", "device": "\udc80", "scans": [{"data": "U:T001"}]},
    ),
    ("status-nul", "/api/workorders/1001/status", {"status": "in_progress\x00"}),
    ("count-nul", "/api/counts", {"kind": "cycle\x00", "locations": ["A-01-01"]}),
    ("delivery-nul", "/api/deliveries", {"supplier": "ACME\x00", "reference": "D-1"}),
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_text_no_database_can_store_is_a_400(client: Any, shop: Database, case: tuple[str, str, Any]) -> None:
    """GIVEN a NUL or a lone surrogate in a JSON field WHEN posted THEN 400 saying so (PostgreSQL raised), no change."""
    _, url, body = case
    before = snapshot(shop)
    resp = client.post(url, json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "NUL" in resp.get_json()["error"] or "surrogate" in resp.get_json()["error"]
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "url",
    ["/api/parts/OF%00100", "/api/workorders/10%0001", "/api/stations/counter%001", "/api/alerts/log?part_no=OF%00"],
    ids=["part", "workorder", "station", "alert-log"],
)
def test_nul_in_a_url_is_a_400(client: Any, shop: Database, url: str) -> None:
    """GIVEN a NUL in a path or query WHEN requested THEN 400, not a database error."""
    resp = client.get(url)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "NUL" in resp.get_json()["error"]


UNICODE_NUMBER_CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("stock-qty-fullwidth", "stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "１２"}, "qty"),
    ("stock-qty-arabic", "stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "٣"}, "qty"),
    ("stock-qty-superscript", "stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "²"}, "qty"),
    ("part-cost-arabic", "parts", {"part_no": "U-1", "name": "U", "unit_cost": "١٢.٥"}, "unit_cost"),
    ("part-cost-fullwidth", "parts", {"part_no": "U-1", "name": "U", "unit_cost": "１２"}, "unit_cost"),
    ("part-reorder-arabic", "parts", {"part_no": "U-1", "name": "U", "reorder_point": "٣"}, "reorder_point"),
    ("stock-qty-5000-digits", "stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "9" * 5000}, "qty"),
]


@pytest.mark.parametrize("case", UNICODE_NUMBER_CASES, ids=[c[0] for c in UNICODE_NUMBER_CASES])
def test_non_ascii_numbers_in_master_data_are_refused(
    client: Any, shop: Database, case: tuple[str, str, dict[str, Any], str]
) -> None:
    """GIVEN a number written in non-ASCII digits WHEN sent as master data THEN 400 naming the field, no change."""
    _, kind, body, field_name = case
    before = snapshot(shop)
    resp = client.post(f"/api/{kind}", json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert field_name in resp.get_json()["error"]
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "kind,data,words",
    [
        ("stock", "part_no,location,qty\nOF-100,A-01-01,１２\n", "qty"),
        ("stock", "part_no,location,qty\nOF-100,A-01-01,٣\n", "qty"),
        ("parts", "part_no,name,unit_cost\nU-1,U,١٢\n", "unit_cost"),
        ("workorders", "number,promised_at\n3001,٢٠٢٦-11-30 10:00\n", "promised_at"),
    ],
    ids=["qty-fullwidth", "qty-arabic", "cost-arabic", "date-arabic"],
)
def test_non_ascii_numbers_in_a_csv_are_row_errors(shop: Database, kind: str, data: str, words: str) -> None:
    """GIVEN a CSV number in non-ASCII digits WHEN imported THEN a row error naming the column, nothing imported."""
    before = snapshot(shop)
    report = import_csv(shop, kind, data.encode())
    message = "; ".join(str(e) for e in report.errors)
    assert not report.ok and words in message, message
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "query",
    ["per_page=" + "9" * 40, "page=" + "9" * 40, "per_page=١٢", "page=-1"],
    ids=["size", "page", "arabic", "neg"],
)
def test_board_paging_garbage_is_not_a_500(client: Any, shop: Database, query: str) -> None:
    """GIVEN the job board WHEN paging parameters are huge or not ASCII THEN the page still renders (default paging)."""
    resp = client.get(f"/kiosk/board?{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    "payload",
    ["(01)٠٩٥٠١١٠١٥٣٠٠٠٣", "(01)０９５０１１０１５３０００３", "(٠١)09501101530003", "(01)²²²²²²²²²²²²²²"],
    ids=["arabic-gtin", "fullwidth-gtin", "arabic-ai", "superscript-gtin"],
)
def test_label_gs1_data_takes_ascii_digits_only(payload: str) -> None:
    """GIVEN a label payload whose GS1 digits are not ASCII WHEN checked THEN it is not GS1 (never encoded as one)."""
    from floor.labels.symbology import is_gs1

    assert is_gs1(payload) is False


def test_a_genuine_server_fault_is_logged_and_answered_500_without_details(
    shop: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """GIVEN a view that fails for a reason of the server's own WHEN called THEN 500 JSON without a trace, and the
    log has the trace (the safety net stays: client input gets 4xx, server faults are not dressed up as 400)."""
    from floor.service.factory import create_app

    app = create_app(make_config(), shop, {"TESTING": False})

    @app.get("/api/_test_fault")
    def _fault() -> Any:
        raise RuntimeError("disk on fire")

    with caplog.at_level("ERROR"):
        resp = app.test_client().get("/api/_test_fault")
    assert resp.status_code == 500
    assert "disk on fire" not in resp.get_data(as_text=True) and "Traceback" not in resp.get_data(as_text=True)
    assert "internal error" in resp.get_json()["error"]
    assert any("unhandled error on GET /api/_test_fault" in r.getMessage() for r in caplog.records)


# -- images for `floor decode` (issue 24) ---------------------------------------------------------------
def test_every_decoded_code_is_one_line_whatever_its_text(tmp_path: Path) -> None:
    """GIVEN photos and generated QR codes whose text holds CR LF, control characters, Shift_JIS (with ECI and
    without), Latin-1 WHEN `floor decode` reads them all at once THEN exactly one line per image, each the whole text
    (a multi-line code once lost everything after its first line; Shift_JIS came out as escaped bytes)."""
    from floor.scanners.photos import PHOTOS
    from tests.scanners.test_decode_output import GENERATED, PHOTO_CASES, _decode, _expected, _qr, _unescape

    images = [(PHOTOS / name, _expected(PHOTOS / name)) for name, _aim in PHOTO_CASES]
    images += [(_qr(tmp_path, name, content, options), want) for name, content, options, want in GENERATED]
    lines = _decode(*(path for path, _want in images))
    assert [_unescape(line.split("\t", 1)[1][3:]) for line in lines] == [want for _path, want in images]
