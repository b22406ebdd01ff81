"""Authority on the kiosk: enrolment, badges for labels, admin and imports by the role table, masked badges."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from floor.core import enrolment
from floor.models import ScanEvent, StockLevel, User
from tests.authority.conftest import audit_rows
from tests.kiosk.helpers import csrf_token


def _scan_count(db):
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(ScanEvent)) or 0)


def _enrol(db, station, ttl=600):
    with db.writing() as s:
        return enrolment.issue(s, station, ttl)


def test_unenrolled_browser_cannot_post_counter_scans(enrol_app, store):
    """GIVEN `require_enrolment` WHEN a browser that only did a GET posts a counter scan THEN 403 with a page saying
    to ask for `floor kiosk enrol`, and no scan is recorded; reading the board and alerts still works."""
    client = enrol_app.test_client()
    token = csrf_token(client, "/kiosk/counter/counter-1")
    r = client.post("/kiosk/counter/counter-1/scan", data={"text": "U:T001", "csrf_token": token})
    assert r.status_code == 403 and "floor kiosk enrol" in r.get_data(as_text=True)
    assert _scan_count(store) == 0
    assert client.get("/kiosk/board").status_code == 200 and client.get("/kiosk/alerts").status_code == 200


@pytest.mark.clock  # enrolment expiry
def test_enrolment_url_binds_the_browser_once(enrol_app, store, pinned_clock):
    """GIVEN a one-time URL for counter-1 WHEN a browser opens it THEN its counter scans work (for counter-1 only);
    the URL does not work a second time, and an expired one never."""
    client = enrol_app.test_client()
    url = f"/kiosk/enrol/{_enrol(store, 'counter-1')}"
    assert client.get(url).status_code == 200
    token = csrf_token(client, "/kiosk/counter/counter-1")
    r = client.post("/kiosk/counter/counter-1/scan", data={"text": "U:T001", "csrf_token": token})
    assert r.status_code == 200 and _scan_count(store) == 1
    other = client.post("/kiosk/counter/counter-2/scan", data={"text": "U:T001", "csrf_token": token})
    assert other.status_code == 403 and _scan_count(store) == 1
    second = enrol_app.test_client()
    assert second.get(url).status_code == 410  # single use
    late = _enrol(store, "counter-2", ttl=60)
    pinned_clock.advance(timedelta(seconds=120))
    assert second.get(f"/kiosk/enrol/{late}").status_code == 410
    assert second.get("/kiosk/enrol/not-a-token").status_code == 404
    assert ("kiosk:counter-1", "api.scans") in audit_rows(store)


def test_a_forged_cookie_is_not_an_enrolment(enrol_app, store):
    """GIVEN a cookie not signed by the server THEN the browser is not enrolled."""
    client = enrol_app.test_client()
    client.set_cookie("floor_kiosk", '{"station": "counter-1", "id": 1}')
    token = csrf_token(client, "/kiosk/counter/counter-1")
    assert client.post("/kiosk/counter/counter-1/scan", data={"text": "U:T001", "csrf_token": token}).status_code == 403


def test_label_print_and_reprint_need_a_badge(client, store):
    """GIVEN the kiosk label page WHEN printing or reprinting without a badge THEN 403; the role table's
    `print_labels` decides who may."""
    token = csrf_token(client, "/kiosk/labels")
    r = client.post("/kiosk/labels/print", data={"kind": "part", "ids": "OF-100", "printer": "p", "csrf_token": token})
    assert r.status_code == 403
    r = client.post("/kiosk/labels/jobs/1/reprint", data={"csrf_token": token})
    assert r.status_code == 403
    # With a badge the print gets past authority (and then fails on the unknown printer).
    r = client.post(
        "/kiosk/labels/print",
        data={"kind": "part", "ids": "OF-100", "printer": "p", "badge": "T001", "csrf_token": token},
    )
    assert r.status_code == 422


@pytest.mark.clock  # the unlock lasts minutes of the one clock
def test_admin_users_hides_badges_from_anonymous_readers(client, store):
    """GIVEN the admin people page WHEN read without an unlock THEN no badge of anyone shows;
    after a supervisor's unlock the badges show."""
    page = client.get("/kiosk/admin/users").get_data(as_text=True)
    assert "SUP1" not in page and "S001" not in page and "Chen Jie" in page
    token = csrf_token(client, "/kiosk/admin/users")
    refused = client.post("/kiosk/admin/unlock", data={"badge": "S001", "csrf_token": token})
    assert refused.status_code == 403 and "S001" not in client.get("/kiosk/admin/users").get_data(as_text=True)
    assert client.post("/kiosk/admin/unlock", data={"badge": "SUP1", "csrf_token": token}).status_code == 200
    assert "SUP1" in client.get("/kiosk/admin/users").get_data(as_text=True)


def _import(client, kind, text, badge):
    token = csrf_token(client, "/kiosk/admin/import")
    return client.post(
        "/kiosk/admin/import",
        data={"kind": kind, "by_badge": badge, "csrf_token": token, "file": (io.BytesIO(text.encode()), f"{kind}.csv")},
        content_type="multipart/form-data",
    )


def test_storekeeper_cannot_import_users_or_stock(client, store):
    """GIVEN a storekeeper's badge WHEN they import users (promoting themself, adding a supervisor) or opening stock
    (5 -> 999) THEN 403 and nothing changes; a supervisor's import works and is audited with their badge."""
    users = "badge,name,role\nS001,Wang Fang,supervisor\nSUP9,Evil Twin,supervisor\n"
    assert _import(client, "users", users, "S001").status_code == 403
    assert _import(client, "stock", "part_no,location,qty\nOF-100,A-01-01,999\n", "S001").status_code == 403
    with store.reading() as s:
        assert s.scalar(select(User.role).where(User.badge == "S001")) == "storekeeper"
        assert s.scalar(select(User).where(User.badge == "SUP9")) is None
        assert 999 not in set(s.scalars(select(StockLevel.qty)))
    ok = _import(client, "users", "badge,name,role\nT7,New Tech,technician\n", "SUP1")
    assert ok.status_code == 200
    assert ("U:SUP1", "import.users") in audit_rows(store)


def test_storekeeper_cannot_create_a_supervisor_in_the_form(client, store):
    """GIVEN the people form WHEN a storekeeper saves a new supervisor THEN 403; a supervisor may, audited."""
    token = csrf_token(client, "/kiosk/admin/users")
    row = {"badge": "SUP7", "name": "X", "role": "supervisor", "csrf_token": token}
    assert client.post("/kiosk/admin/users", data={**row, "by_badge": "S001"}).status_code == 403
    assert client.post("/kiosk/admin/users", data={**row, "by_badge": "SUP1"}).status_code == 200
    assert ("U:SUP1", "kiosk.edit_users") in audit_rows(store)


def test_storekeeper_may_still_edit_parts(client, store):
    """GIVEN the parts form WHEN a storekeeper saves a part THEN it is saved (the table allows `edit_parts`)."""
    token = csrf_token(client, "/kiosk/admin/parts")
    r = client.post(
        "/kiosk/admin/parts",
        data={"part_no": "NEW-1", "name": "New part", "unit_cost": "1.00", "by_badge": "S001", "csrf_token": token},
    )
    assert r.status_code == 200


@pytest.mark.clock  # the URL's expiry
def test_floor_kiosk_enrol_prints_a_one_time_url(tmp_path):
    """GIVEN a config WHEN `floor kiosk enrol counter-1` runs THEN it prints a URL whose token is stored only as a hash;
    an unknown station is a clear error."""
    from click.testing import CliRunner

    from floor.cli.main import main
    from floor.db import Database
    from floor.models import KioskEnrolment

    cfg = tmp_path / "floor.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "f.db"}"\n[server]\nport = 8123\n'
        '[kiosk]\nrequire_enrolment = true\nbase_url = "http://floor.local:8123/"\n'
        '[[stations]]\nname = "counter-1"\n',
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["kiosk", "enrol", "counter-1", "--config", str(cfg)])
    assert out.exit_code == 0, out.output
    url = out.output.strip().splitlines()[0]
    assert url.startswith("http://floor.local:8123/kiosk/enrol/")
    token = url.rsplit("/", 1)[1]
    db = Database(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        with db.reading() as s:
            [row] = s.scalars(select(KioskEnrolment)).all()
            assert row.station == "counter-1" and row.token_hash != token and row.used_at is None
    finally:
        db.dispose()
    bad = CliRunner().invoke(main, ["kiosk", "enrol", "counter-9", "--config", str(cfg)])
    assert bad.exit_code != 0 and "counter-9" in bad.output
