"""/kiosk/reports in headless Chromium: tiles with sparklines, the pictures as SVG, both languages, A4 print."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from floor import clock
from floor.models.sales import WarrantyClaim
from tests.fixtures.reports import build_store
from tests.kiosk.conftest import ARTIFACTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.clock]  # the 12 months up to today


def _claims(db, work_order_id: int) -> None:
    """Warranty claims: 120.00 credited this month, 45.50 last month, 80.00 approved and owed now (dates from the clock)."""
    now = clock.now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = month_start + (now - month_start) / 2
    last_month = (month_start - timedelta(days=1)).replace(day=10)
    with db.writing() as s:
        for no, status, amount, credited, decided, credited_at in (
            ("WC-1", "credited", "120.00", "120.00", last_month, this_month),
            ("WC-2", "credited", "50.00", "45.50", last_month - timedelta(days=5), last_month),
            ("WC-3", "approved", "80.00", None, this_month, None),
        ):
            s.add(
                WarrantyClaim(
                    claim_no=no,
                    work_order_id=work_order_id,
                    status=status,
                    amount=Decimal(amount),
                    credited_amount=Decimal(credited) if credited else None,
                    due_by=now + timedelta(days=30),
                    decided_at=decided,
                    credited_at=credited_at,
                )
            )


def test_reports_page_renders_its_pictures(live_server, page):
    """GIVEN the October store and warranty claims WHEN the reports page opens THEN 17 KPI tiles with sparklines
    (credited and owed claims among them) and 6 charts, in English and Chinese, no errors."""
    ids = build_store(live_server.db, people=False)
    _claims(live_server.db, ids["WO1"])
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.text} {msg.location}") if msg.type == "error" else None)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    resp = page.goto(f"{live_server.url}/kiosk/reports")
    assert resp.status == 200
    tiles = page.locator("#kpi-tiles .report-tile")
    assert tiles.count() == 17  # SPEC 9.5's 11 and the workshop's 4 (SPEC 10.4), and the claims' 2
    assert page.locator("#kpi-tiles .report-tile svg polyline").count() >= 3  # trends with data draw a line
    for chart in ("pareto", "accuracy", "dead", "cores-due", "cores-back", "warranty"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    # warranty claims: credited this month 120.00 (last month 45.50), owed now 80.00 (at last month's end: 120.00)
    assert page.inner_text("#kpi-warranty_credited .report-value") == "120.00"
    assert "45.50" in page.inner_text("#kpi-warranty_credited .tile-sub")
    assert page.inner_text("#kpi-warranty_owed .report-value") == "80.00"
    assert "120.00" in page.inner_text("#kpi-warranty_owed .tile-sub")
    now_line = page.inner_text("#warranty-now")
    assert "120.00" in now_line and "80.00" in now_line and "claims: 1" in now_line
    # a pair of bars per month; this month's pair is drawn with height (credited and owed)
    assert page.locator("#chart-warranty svg rect[height]").count() >= 24
    bars = page.locator("#chart-warranty svg rect title")
    assert any("120.00" in t for t in bars.all_text_contents())
    # dead today: the store's P3 and P4 (64); the small shop's stock was imported today: not dead (SPEC 10.5)
    assert page.inner_text("#kpi-dead_stock_value .report-value") == "64.00"
    dead = page.inner_text("#dead-stock")
    assert "P3" in dead and "P4" in dead and "Return to supplier" in dead
    assert page.locator("#kpi-fill_rate.is-missing").count() in (0, 1)
    shot(page, "reports-en")
    page.set_viewport_size({"width": 1920, "height": 2400})
    page.screenshot(path=str(ARTIFACTS / "reports-en-full.png"), full_page=True)
    page.click("a.lang[data-lang='zh']")
    page.wait_for_selector("html[lang='zh-CN']")
    assert "库存周转率" in page.inner_text("#kpi-tiles") and "呆滞库存" in page.inner_text(".report-dead")
    assert "索赔已到账" in page.inner_text("#kpi-warranty_credited") and "索赔待到账" in page.inner_text(
        "#kpi-warranty_owed"
    )
    assert "本月" in page.inner_text("#warranty-now") and "保修索赔" in page.inner_html("#chart-warranty")
    shot(page, "reports-zh")
    page.emulate_media(media="print")
    assert page.locator(".topbar .nav").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "reports-a4.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    # the browser's own favicon.ico probe is not the page's (the kiosk serves no favicon)
    errors = [c for c in console if "/favicon.ico" not in c]
    assert not errors and not missing, (errors, missing)
