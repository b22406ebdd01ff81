"""Kiosk pages of parts demand: requested / reserved / issued on the counter, the pick queue, in zh and en."""

from __future__ import annotations

import pytest

from tests.kiosk.conftest import shot, wait_for
from tests.kiosk.helpers import csrf_token
from tests.web.demand.helpers import ask, scan


def test_counter_shows_requested_reserved_issued(shop, client, service):
    """GIVEN a job with a partly issued request WHEN the counter page is read THEN each line shows all three numbers."""
    ask(client, "1001", [("OF-100", 6), ("BP-400", 5)])
    scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:OF-100", "CMD:REQUEST")
    html = client.get("/kiosk/counter/counter-1?lang=en").get_data(as_text=True)
    assert 'id="job-requests"' in html
    row = html.split('data-request="1"')[1].split("</tr>")[0]
    assert [c.split(">")[-1] for c in row.split("</td>")[1:4]] == ["6", "4", "2"]
    assert "Partly reserved" in html and "Request parts" in html
    zh = client.get("/kiosk/counter/counter-1?lang=zh").get_data(as_text=True)
    assert "部分预留" in zh and "申领配件" in zh


def test_pick_page_lists_per_job_and_scans_clear_lines(shop, client):
    """GIVEN two jobs with held parts WHEN the pick page is read THEN per job with bins; issuing clears the lines."""
    ask(client, "1001", [("OF-100", 2)])
    ask(client, "1002", [("SP-200", 1)], badge="T002")
    html = client.get("/kiosk/picks/counter-1?lang=en").get_data(as_text=True)
    assert html.index('data-workorder="1001"') < html.index('data-workorder="1002"')
    assert "A-01-01" in html and "B-02-01" in html and "Print" in html
    refused = client.post("/kiosk/picks/counter-1/scan", data={"text": "U:T001"})
    assert refused.status_code == 400  # no CSRF token
    token = csrf_token(client, "/kiosk/picks/counter-1")
    for text in ("U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:OF-100"):
        r = client.post("/kiosk/picks/counter-1/scan", data={"text": text}, headers={"X-CSRFToken": token})
        assert r.status_code == 200
    assert r.headers["HX-Trigger"] == "scan-accepted"
    html = r.get_data(as_text=True)
    assert 'data-workorder="1001"' not in html and 'data-workorder="1002"' in html
    assert client.get("/kiosk/picks/nowhere").status_code == 404
    zh = client.get("/kiosk/picks/counter-1?lang=zh&print=1").get_data(as_text=True)
    assert "拣货队列" in zh and "page-print" in zh


@pytest.mark.browser
def test_counter_page_shows_request_lines_live(live_server, page):
    """GIVEN the counter page in a browser WHEN parts are requested by scan and one is issued
    THEN the requests table shows requested / reserved / issued per line, updated live."""
    page.goto(f"{live_server.url}/kiosk/counter/counter-1?lang=en")
    wait_for(page, "document.body.dataset.live === '1'")
    res = live_server.scan("counter-1", "U:T001", "WO:1001", "CMD:REQUEST", "Q:5", "P:BP-400", "Q:4", "P:OF-100")
    assert [r["code"] for r in res][-3:] == ["requested_partial", "qty_set", "requested_reserved"], res
    res = live_server.scan("counter-1", "CMD:ISSUE", "Q:3", "P:OF-100")
    assert res[-1]["code"] == "issued", res[-1]
    wait_for(
        page,
        "(() => { const r = document.querySelectorAll('#job-requests tbody tr');"
        " return r.length === 2 && r[1].cells[3].textContent.trim() === '3'; })()",
    )
    rows = page.eval_on_selector_all(
        "#job-requests tbody tr", "rs => rs.map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
    )
    assert rows == [
        ["BP-400", "5", "3", "0", "Partly reserved"],
        ["OF-100", "4", "1", "3", "Reserved"],
    ]
    assert page.inner_text("#glance-mode") == "Issue"
    shot(page, "counter-requests")


def test_supervisor_approves_on_the_counter_page(shop, db):
    """GIVEN a line awaiting approval on the job in session WHEN a storekeeper's badge is given THEN refused;
    a supervisor's badge approves it and the line is reserved."""
    from floor.service.factory import create_app
    from tests.conftest import make_config

    cfg = make_config(requisition={"approval_value": 100})
    app = create_app(cfg, db, {"TESTING": True})
    client = app.test_client()
    line = ask(client, "1001", [("ALT-300", 1)]).get_json()["lines"][0]
    assert line["status"] == "awaiting_approval"
    scan(app.extensions["floor"].service, "U:T001", "WO:1001")
    page = client.get("/kiosk/counter/counter-1?lang=en").get_data(as_text=True)
    assert "approve-form" in page
    token = csrf_token(client, "/kiosk/counter/counter-1")
    url = f"/kiosk/counter/counter-1/requests/{line['id']}/approve"
    refused = client.post(url, data={"badge": "S001"}, headers={"X-CSRFToken": token})
    assert refused.headers["HX-Trigger"] == "scan-rejected" and 'id="approval-note"' in refused.get_data(as_text=True)
    ok = client.post(url, data={"badge": "U:SUP1", "pin": "2468"}, headers={"X-CSRFToken": token})
    assert ok.headers["HX-Trigger"] == "scan-accepted"
    assert client.get("/api/workorders/1001").get_json()["requests"][0]["status"] == "reserved"


@pytest.mark.browser
def test_picks_page_in_the_browser_updates_live(live_server, page):
    """GIVEN the pick queue in a browser (its CSP forbids inline code) WHEN a job requests parts by API
    THEN the queue shows the line without a reload, and the print button is a data-print button."""
    page.goto(f"{live_server.url}/kiosk/picks/counter-1?lang=en")
    wait_for(page, "document.body.dataset.live === '1'")
    assert page.get_attribute("#pick-print", "data-print") is not None
    assert "OF-100" not in page.inner_text("#picks-live")  # nothing held for anyone yet
    page.evaluate("window.__notReloaded = true")
    with live_server.app.test_client() as client:
        r = client.post(
            "/api/workorders/1001/requests", json={"badge": "T001", "lines": [{"part_no": "OF-100", "qty": 2}]}
        )
    assert r.status_code == 201, r.get_json()
    wait_for(page, "document.querySelector('#picks-live').textContent.includes('OF-100')")
    assert page.evaluate("window.__notReloaded") is True
