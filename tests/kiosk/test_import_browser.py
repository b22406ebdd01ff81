"""The import page in headless Chromium: a catalogue uploaded, its progress bar filled by polling, zh and en."""

from __future__ import annotations

import re

import pytest

from floor.kiosk.admin import BACKGROUND_ROWS
from tests.kiosk.conftest import shot, wait_for

pytestmark = pytest.mark.browser


def test_a_catalogue_upload_shows_its_progress_until_done(live_server, page):
    """GIVEN the import page WHEN a storekeeper uploads a parts file longer than the background threshold THEN the
    browser lands on its run page, whose bar fills by polling until it says Imported (导入 in Chinese), with no
    script errors under the kiosk's CSP."""
    srv = live_server
    rows = BACKGROUND_ROWS + 500
    data = ("part_no,name,unit_cost\n" + "\n".join(f"B{i:05d},Bulk {i},1.00" for i in range(rows))).encode()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{srv.url}/kiosk/admin/import?lang=en")
    page.select_option("select[name=kind]", "parts")
    page.set_input_files("input[name=file]", files=[{"name": "bulk.csv", "mimeType": "text/csv", "buffer": data}])
    page.fill("input[name=by_badge]", "S001")
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/kiosk/admin/import/\d+$"))
    assert page.locator("#import-progress").count() == 1
    wait_for(
        page,
        "document.querySelector('#import-run') && document.querySelector('#import-run').dataset.status === 'done'",
        120000,
    )
    assert page.locator("#import-progress").get_attribute("value") == str(rows)
    assert page.locator("#import-progress").get_attribute("max") == str(rows)
    assert "Imported" in page.locator("#import-status").inner_text()
    shot(page, "import-progress-done")
    page.click("a.lang[data-lang=zh]")
    assert "已导入" in page.locator("#import-status").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
