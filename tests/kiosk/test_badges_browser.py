"""Badges out of sight in Chromium (SPEC 10.6, issue 24): the counter, board, delivery and labels pages name people,
live updates included, and never show a badge; the badge label preview is refused to an anonymous screen."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from floor.models import PrintJob
from tests.kiosk.conftest import shot, wait_for

pytestmark = pytest.mark.browser


def _no_badge(page) -> None:  # type: ignore[no-untyped-def]
    html = page.content()
    for badge in ("SUP1", "T001"):
        assert badge not in html, badge


def test_counter_names_the_supervisor_live_and_masks_the_scan(live_server, page):
    """GIVEN the counter open WHEN a supervisor's badge is scanned (over the API, shown live) THEN the glance names
    Chen Jie and the role, "Last scans" shows U:•••• with the greeting, and the badge is nowhere on the page."""
    page.goto(f"{live_server.url}/kiosk/counter/counter-1")
    wait_for(page, "document.body.dataset.live === '1'")
    assert live_server.scan("counter-1", "U:SUP1")[0]["ok"]
    wait_for(page, "document.querySelector('#glance-actor').textContent.includes('Chen Jie')")
    assert "Supervisor" in page.inner_text(".glance")
    assert page.inner_text("#scan-list .scan-text") == "U:••••"
    assert "Chen Jie" in page.inner_text("#scan-list")
    _no_badge(page)
    page.reload()  # as an unenrolled passer-by opens it
    assert page.inner_text("#glance-actor") == "Chen Jie"
    _no_badge(page)
    shot(page, "counter-badge-masked")


def test_board_delivery_and_labels_name_people(live_server, page):
    """GIVEN a job worked by Li Wei and passed by Chen Jie, and a badge label printed WHEN the board, the delivery
    page and the labels page are opened THEN names show, badges never; the badge's label preview is refused."""
    res = live_server.scan("counter-1", "U:T001", "WO:1001", "P:OF-100", "CMD:START", "CMD:QC")
    assert all(r["ok"] for r in res), res
    assert live_server.scan("counter-2", "U:SUP1", "WO:1001", "CMD:PASS")[-1]["code"] == "qc_passed"
    with live_server.db.writing() as s:
        s.add(PrintJob(printer="zebra-1", kind="badge", object_id="SUP1", payload="^XA^XZ", status="printed"))
    page.goto(f"{live_server.url}/kiosk/board")
    assert "Li Wei" in page.inner_text("#job-1001")
    _no_badge(page)
    page.goto(f"{live_server.url}/kiosk/delivery/1001")
    assert "Chen Jie" in page.inner_text("body")
    _no_badge(page)
    page.goto(f"{live_server.url}/kiosk/labels")
    assert "••••" in page.inner_text("#label-jobs")
    _no_badge(page)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.url}/kiosk/labels/preview/badge/SUP1.svg", timeout=10)
    assert refused.value.code == 403
