"""Kiosk pages through the Flask client, on SQLite and PostgreSQL: each page, its partial, its writes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.models import Part, ScanEvent
from tests.kiosk.helpers import api_scans, csrf_token


def test_index_lists_stations_and_pages(client, shop):
    """GIVEN the test config WHEN the kiosk index is opened THEN every counter station and page is linked."""
    page = client.get("/kiosk/").get_data(as_text=True)
    assert "/kiosk/counter/counter-1" in page and "/kiosk/counter/dock-1" in page
    for path in ("/kiosk/board", "/kiosk/alerts", "/kiosk/labels", "/kiosk/admin/", "/kiosk/stocktake/"):
        assert path in page


def test_counter_shows_session_scans_and_job_parts(client, shop):
    """GIVEN badge, job card and a part scanned through the API at counter-1
    WHEN the counter page is opened
    THEN it shows the technician, the job, the issue mode, the accepted scans and the issued part."""
    results = api_scans(client, "counter-1", "U:T001", "WO:1001", "P:OF-100")
    assert all(r["ok"] for r in results)
    page = client.get("/kiosk/counter/counter-1").get_data(as_text=True)
    assert "Li Wei" in page and "1001" in page and "Issue" in page
    assert page.count('class="scan scan-ok"') == 3
    assert '<td><code>OF-100</code></td><td class="num">1</td>' in page


def test_counter_partial_for_htmx(client, shop):
    """GIVEN an htmx request aimed at the counter's live partial WHEN it is served THEN only that partial comes back."""
    body = client.get("/kiosk/counter/counter-1", headers={"HX-Request": "true", "HX-Target": "counter-live"}).get_data(
        as_text=True
    )
    assert 'id="counter-state"' in body and 'id="last-result"' in body
    assert "<html" not in body and 'id="scan-form"' not in body and 'id="counter-live"' not in body


def test_counter_unknown_station_is_404(client, shop):
    """GIVEN no station called nowhere WHEN its counter is opened THEN 404."""
    assert client.get("/kiosk/counter/nowhere").status_code == 404


def test_wedge_scan_needs_csrf_then_is_applied(client, shop, db):
    """GIVEN the counter page WHEN a wedge scan is posted without the CSRF token THEN it is refused and not applied;
    WHEN posted with the token THEN the scan service applies it and the partial shows the technician."""
    refused = client.post("/kiosk/counter/counter-1/scan", data={"text": "U:T001"})
    assert refused.status_code == 400
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0
    token = csrf_token(client, "/kiosk/counter/counter-1")
    resp = client.post(
        "/kiosk/counter/counter-1/scan",
        data={"text": "U:T001\r\n"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert resp.status_code == 200
    assert "Li Wei" in resp.get_data(as_text=True)
    with db.reading() as s:
        event = s.scalars(select(ScanEvent)).one()
    assert (event.station, event.device, event.text, event.ok) == ("counter-1", "kiosk:counter-1", "U:T001", True)


def test_scanned_markup_is_escaped(client, shop):
    """GIVEN a scanned barcode holding HTML WHEN the counter shows it THEN it is text, never markup."""
    token = csrf_token(client, "/kiosk/counter/counter-1")
    evil = "<img src=x onerror=alert(1)>"
    page = client.post("/kiosk/counter/counter-1/scan", data={"text": evil}, headers={"X-CSRFToken": token}).get_data(
        as_text=True
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_api_is_exempt_from_csrf(client, shop):
    """GIVEN CSRF protection on kiosk forms WHEN a device posts to /api/scans without a token THEN it is accepted."""
    assert api_scans(client, "counter-1", "U:T001")[0]["ok"] is True


def test_language_by_query_then_cookie(client, shop):
    """GIVEN an English kiosk WHEN ?lang=zh is opened THEN the page is Chinese and the choice is kept in a cookie."""
    assert "Scan your badge" in client.get("/kiosk/counter/counter-1").get_data(as_text=True)
    zh = client.get("/kiosk/counter/counter-1?lang=zh")
    assert 'lang="zh-CN"' in zh.get_data(as_text=True) and "请刷工牌" in zh.get_data(as_text=True)
    assert "floor_lang=zh" in zh.headers["Set-Cookie"]
    again = client.get("/kiosk/counter/counter-1").get_data(as_text=True)
    assert "请刷工牌" in again and "配件柜台" in again
    back = client.get("/kiosk/lang/en?next=/kiosk/board")
    assert back.status_code == 302 and back.headers["Location"].endswith("/kiosk/board")
    assert "Job board" in client.get("/kiosk/board").get_data(as_text=True)


def test_language_switch_refuses_offsite_redirect(client, shop):
    """GIVEN a crafted next= WHEN the language is switched THEN it never redirects off the kiosk."""
    resp = client.get("/kiosk/lang/zh?next=//evil.example/")
    assert resp.headers["Location"] == "/kiosk/"


def test_scan_messages_follow_the_language(client, shop):
    """GIVEN a rejected scan WHEN the counter is shown in Chinese THEN the scan's Chinese message is shown."""
    result = api_scans(client, "counter-1", "P:NOPE-1")[0]
    assert result["ok"] is False
    page = client.get("/kiosk/counter/counter-1?lang=zh").get_data(as_text=True)
    assert result["message_zh"] in page and result["message"] not in page


@pytest.mark.clock
def test_board_lists_open_jobs_with_flags(client, shop):
    """GIVEN jobs 1001 and 1002 open and 1003 delivered, job 1001 started by scan
    WHEN the board is opened THEN the open jobs are rows, 1001 in repair with its part count, 1003 absent."""
    api_scans(client, "counter-1", "U:T001", "WO:1001", "P:OF-100", "CMD:START")
    page = client.get("/kiosk/board").get_data(as_text=True)
    assert 'id="job-1001" data-status="in_progress"' in page
    assert 'id="job-1002" data-status="received"' in page
    assert "job-1003" not in page
    assert '<b id="board-total">2</b>' in page


def test_board_pages_beyond_forty(client, shop):
    """GIVEN 45 open jobs WHEN the board is shown THEN the first screen has 40 and the second (rotated to) the other 5."""
    from floor.core.master import Importer

    with shop.writing() as s:
        imp = Importer(s)
        for i in range(43):
            imp.apply("workorders", {"number": f"B{i:03d}", "vehicle": f"Car {i}"})
        imp.finish()
    first = client.get("/kiosk/board").get_data(as_text=True)
    assert first.count('<tr class="job') == 40 and 'data-page="0" data-pages="2">1 / 2<' in first
    assert '<b id="board-total">45</b>' in first
    second = client.get("/kiosk/board?page=1", headers={"HX-Request": "true", "HX-Target": "board-live"}).get_data(
        as_text=True
    )
    assert second.count('<tr class="job') == 5 and 'data-page="1" data-pages="2">2 / 2<' in second
    assert "<html" not in second


def test_alerts_show_cores_due(client, shop):
    """GIVEN an alternator (core part) issued to job 1001 WHEN the alerts page is opened THEN its core is listed as due."""
    results = api_scans(client, "counter-1", "U:T001", "WO:1001", "P:ALT-300")
    assert results[-1]["ok"], results[-1]
    page = client.get("/kiosk/alerts").get_data(as_text=True)
    assert 'id="cores-due"' in page and "ALT-300" in page and "1001" in page
    assert "No cores due." not in page


def test_label_preview_is_an_svg_image_with_a_strict_policy(client, shop):
    """GIVEN part OF-100 WHEN its preview is fetched THEN it is SVG with a CSP that forbids scripts."""
    resp = client.get("/kiosk/labels/preview/part/OF-100.svg")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get("/kiosk/labels/preview/part/NOPE.svg").status_code == 404


def test_labels_page_previews_the_typed_ids(client, shop):
    """GIVEN ids typed into the labels form WHEN previewed THEN one preview image per id is shown."""
    page = client.get("/kiosk/labels?kind=bin&ids=A-01-01%0AB-02-01").get_data(as_text=True)
    assert "/kiosk/labels/preview/bin/A-01-01.svg" in page and "/kiosk/labels/preview/bin/B-02-01.svg" in page


def test_labels_print_without_printer_names_the_problem(client, shop):
    """GIVEN no printer configured WHEN a label is printed THEN the page says why and nothing is queued."""
    token = csrf_token(client, "/kiosk/labels")
    resp = client.post(
        "/kiosk/labels/print",
        data={"kind": "part", "ids": "OF-100", "printer": "", "badge": "T001", "csrf_token": token},
    )
    assert resp.status_code == 422
    assert 'id="labels-error"' in resp.get_data(as_text=True)


def test_admin_creates_a_part_with_a_storekeeper_badge(client, shop):
    """GIVEN the admin parts form WHEN a storekeeper saves a new part THEN it exists with its barcodes."""
    token = csrf_token(client, "/kiosk/admin/parts")
    resp = client.post(
        "/kiosk/admin/parts",
        data={
            "csrf_token": token,
            "part_no": "WB-500",
            "name": "Wiper blade",
            "unit_cost": "12.5",
            "barcodes": "6901234567892",
            "core": "no",
            "reorder_point": "4",
            "reorder_qty": "10",
            "abc": "",
            "by_badge": "U:S001",
        },
    )
    assert resp.status_code == 200 and 'id="admin-saved"' in resp.get_data(as_text=True)
    with shop.reading() as s:
        part = s.scalar(select(Part).where(Part.part_no == "WB-500"))
        assert part is not None and part.reorder_point == 4 and [b.code for b in part.barcodes] == ["6901234567892"]


def test_admin_refuses_a_technician_and_names_a_bad_field(client, shop):
    """GIVEN the admin form WHEN a technician saves THEN 403 and nothing changes;
    WHEN a supervisor saves a bad cost THEN 422 naming the field and nothing changes."""
    token = csrf_token(client, "/kiosk/admin/parts")
    row = {"csrf_token": token, "part_no": "WB-501", "name": "Wiper", "unit_cost": "1", "core": "no"}
    assert client.post("/kiosk/admin/parts", data={**row, "by_badge": "T001"}).status_code == 403
    bad = client.post("/kiosk/admin/parts", data={**row, "unit_cost": "cheap", "by_badge": "SUP1"})
    assert bad.status_code == 422 and "Unit cost" in bad.get_data(as_text=True)
    with shop.reading() as s:
        assert s.scalar(select(Part).where(Part.part_no == "WB-501")) is None


def test_admin_edit_form_is_prefilled(client, shop):
    """GIVEN job 1001 WHEN its edit link is opened THEN the form holds its vehicle."""
    page = client.get("/kiosk/admin/workorders?edit=1001").get_data(as_text=True)
    assert 'value="沪A·12345 VW Passat"' in page


def test_csv_import_shows_errors_by_line_and_changes_nothing(client, shop):
    """GIVEN a parts CSV with two bad lines WHEN uploaded THEN each bad line is named and no part is created;
    WHEN a good file is uploaded THEN its rows are imported."""
    import io

    token = csrf_token(client, "/kiosk/admin/import")
    bad = b"part_no,name,unit_cost\nGOOD-1,Good,1.00\nBAD-2,,1.00\nBAD-3,Bad cost,abc\n"
    resp = client.post(
        "/kiosk/admin/import",
        data={"csrf_token": token, "kind": "parts", "by_badge": "SUP1", "file": (io.BytesIO(bad), "parts.csv")},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert '<td class="num strong">3</td><td><code>name</code></td>' in page
    assert '<td class="num strong">4</td><td><code>unit_cost</code></td>' in page
    with shop.reading() as s:
        assert s.scalar(select(Part).where(Part.part_no == "GOOD-1")) is None
    good = b"part_no,name,unit_cost\nGOOD-1,Good,1.00\n"
    resp = client.post(
        "/kiosk/admin/import",
        data={"csrf_token": token, "kind": "parts", "by_badge": "SUP1", "file": (io.BytesIO(good), "parts.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200 and 'id="import-ok"' in resp.get_data(as_text=True)
    with shop.reading() as s:
        assert s.scalar(select(Part).where(Part.part_no == "GOOD-1")) is not None


def test_csv_import_offers_every_kind_the_importer_takes_with_customers(client, shop):
    """GIVEN the import page THEN it offers every kind `floor import` and the API take, customers included, labelled
    in English and Chinese; WHEN a customers CSV with a bad kind is uploaded THEN its line is named and nothing is
    written; a technician may not import customers; the storekeeper's good file is imported and audited."""
    import io

    from floor.core.master import KINDS
    from floor.imports import iter_kinds
    from floor.models import AuditEntry, Customer

    assert sorted(iter_kinds()) == sorted(KINDS)
    page = client.get("/kiosk/admin/import").get_data(as_text=True)
    assert '<option value="customers" >Customers</option>' in page and "<code>code,name,phone,kind</code>" in page
    assert '<option value="customers" >客户</option>' in client.get("/kiosk/admin/import?lang=zh").get_data(
        as_text=True
    )

    def upload(body: bytes, badge: str) -> tuple[int, str]:
        form = {"csrf_token": csrf_token(client, "/kiosk/admin/import"), "kind": "customers", "by_badge": badge}
        resp = client.post(
            "/kiosk/admin/import",
            data={**form, "file": (io.BytesIO(body), "customers.csv")},
            content_type="multipart/form-data",
        )
        return resp.status_code, resp.get_data(as_text=True)

    status, page = upload(b"code,name,phone,kind\nC-1,Garage Huang,021-555,trade\nC-2,Walk-in Ma,,wholesale\n", "S001")
    assert status == 422 and '<td class="num strong">3</td><td><code>kind</code></td>' in page
    good = b"code,name,phone,kind\nC-1,Garage Huang,021-555,trade\nC-2,Walk-in Ma,,retail\n"
    status, page = upload(good, "T001")
    assert status == 403 and 'id="import-ok"' not in page
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
    status, page = upload(good, "S001")
    assert status == 200 and 'id="import-ok"' in page, page[:2000]
    with shop.reading() as s:
        assert [(c.code, c.kind) for c in s.scalars(select(Customer).order_by(Customer.code))] == [
            ("C-1", "trade"),
            ("C-2", "retail"),
        ]
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "import.customers")) == "U:S001"


@pytest.mark.clock
def test_stocktake_blind_then_supervisor_variance_and_approval(client, shop):
    """GIVEN a count of zone B with OF-100 counted 3 (book 4)
    WHEN the stocktake page is opened THEN progress shows and no expected quantity is visible;
    WHEN a supervisor badge unlocks it THEN the variance -1 is listed;
    WHEN the supervisor approves with a badge scan THEN the count is approved."""
    from floor.core.counts.plans import create_count

    with shop.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    results = api_scans(
        client, "handheld-1", "U:S001", f"CNT:{count_id}", "L:B-02-01", "Q:3", "P:OF-100", device="handheld-x"
    )
    assert all(r["ok"] for r in results), results
    page = client.get(f"/kiosk/stocktake/{count_id}").get_data(as_text=True)
    assert "1 / 1" in page and 'id="variance-lines"' not in page
    token = csrf_token(client, f"/kiosk/stocktake/{count_id}")
    refused = client.post(
        f"/kiosk/stocktake/{count_id}/supervisor", data={"badge": "T001"}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 403
    unlocked = client.post(
        f"/kiosk/stocktake/{count_id}/supervisor", data={"badge": "U:SUP1"}, headers={"X-CSRFToken": token}
    ).get_data(as_text=True)
    assert 'id="variance-lines"' in unlocked and '<td class="num strong">-1</td>' in unlocked
    approved = client.post(
        f"/kiosk/stocktake/{count_id}/approve", data={"badge": "SUP1", "pin": "2468"}, headers={"X-CSRFToken": token}
    )
    assert approved.status_code == 200, approved.get_data(as_text=True)
    assert 'id="stocktake-approved"' in approved.get_data(as_text=True)
    with shop.reading() as s:
        from floor.models import CountSession

        assert s.get(CountSession, count_id).status == "approved"
