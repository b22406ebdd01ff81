"""/kiosk/reports in headless Chromium: tiles with sparklines, the pictures as SVG, both languages, A4 print."""

from __future__ import annotations

import pytest

from tests.kiosk.conftest import ARTIFACTS, shot
from tests.reports.conftest import build_store

pytestmark = [pytest.mark.browser, pytest.mark.clock]  # the 12 months up to today


def test_reports_page_renders_its_pictures(live_server, page):
    """GIVEN the October store WHEN the reports page opens THEN 11 KPI tiles with sparklines and 5 charts, no errors."""
    build_store(live_server.db, people=False)
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.text} {msg.location}") if msg.type == "error" else None)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    resp = page.goto(f"{live_server.url}/kiosk/reports")
    assert resp.status == 200
    tiles = page.locator("#kpi-tiles .report-tile")
    assert tiles.count() == 11
    assert page.locator("#kpi-tiles .report-tile svg polyline").count() >= 3  # trends with data draw a line
    for chart in ("pareto", "accuracy", "dead", "cores-due", "cores-back"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    # dead today: the store's P3 and P4 (64) and the small shop's stock, never issued (119 + 68 + 420 + 105)
    assert page.inner_text("#kpi-dead_stock_value .report-value") == "776.00"
    dead = page.inner_text("#dead-stock")
    assert "P3" in dead and "P4" in dead and "Return to supplier" in dead
    assert page.locator("#kpi-fill_rate.is-missing").count() in (0, 1)
    shot(page, "reports-en")
    page.set_viewport_size({"width": 1920, "height": 2400})
    page.screenshot(path=str(ARTIFACTS / "reports-en-full.png"), full_page=True)
    page.click("a.lang[data-lang='zh']")
    page.wait_for_selector("html[lang='zh-CN']")
    assert "库存周转率" in page.inner_text("#kpi-tiles") and "呆滞库存" in page.inner_text(".report-dead")
    shot(page, "reports-zh")
    page.emulate_media(media="print")
    assert page.locator(".topbar .nav").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "reports-a4.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    # the browser's own favicon.ico probe is not the page's (the kiosk serves no favicon)
    errors = [c for c in console if "/favicon.ico" not in c]
    assert not errors and not missing, (errors, missing)
