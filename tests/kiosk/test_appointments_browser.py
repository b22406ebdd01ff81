"""The appointments kiosk page in headless Chromium: the day's visits, their parts and reserved state, zh/en."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.kiosk.conftest import shot

pytestmark = pytest.mark.browser


def _post(url: str, body: dict) -> dict:  # type: ignore[type-arg]
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_appointments_page_lists_the_day_with_parts_and_reserved_state(live_server, page):
    """GIVEN two bookings for tomorrow, one short of stock WHEN the kiosk page of that day is opened THEN both
    show in time order with their parts and reserved counts, in large type, in English and Chinese, and the page
    carries no inline script, style attribute or event handler (the kiosk's strict CSP)."""
    srv = live_server
    base = {"badge": "ADV1", "customer": "Qian", "plate": "沪B 67890"}
    _post(
        f"{srv.url}/api/appointments",
        {**base, "at": "2026-11-24T10:30:00Z", "lines": [{"part_no": "ALT-300", "qty": 3}]},
    )
    _post(
        f"{srv.url}/api/appointments",
        {
            **base,
            "customer": "Sun",
            "plate": "京A 1",
            "at": "2026-11-24T08:15:00Z",
            "lines": [{"part_no": "OF-100", "qty": 2}],
        },
    )
    page.goto(f"{srv.url}/kiosk/appointments?date=2026-11-24")
    rows = page.locator("#appt-list > li")
    assert rows.count() == 2
    first, second = rows.nth(0), rows.nth(1)
    assert first.locator(".appt-time").inner_text() == "08:15" and first.locator(".appt-plate").inner_text() == "京A1"
    assert first.locator(".appt-part").inner_text() == "OF-100" and first.locator(".appt-reserved").inner_text() == "2"
    assert first.locator(".appt-state").inner_text() == "Parts reserved"
    assert (
        second.locator(".appt-reserved").inner_text() == "2"
        and second.locator(".appt-state").inner_text() == "Parts short"
    )
    # large type from the page's own stylesheet
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.appt-head')).fontSize)")
    assert size >= 32
    # CSP-ready: every script has a src, no style= and no on...= attributes anywhere in the page
    inline = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => !s.src).length,
            styled: document.querySelectorAll('[style]').length,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        })"""
    )
    assert inline == {"scripts": 0, "styled": 0, "handlers": 0}
    # ... and the HTML as served (htmx injects its own <style> at run time; the page itself has none)
    with urllib.request.urlopen(f"{srv.url}/kiosk/appointments?date=2026-11-24", timeout=10) as resp:
        html = resp.read().decode()
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html)
    shot(page, "appointments-en")

    page.click("a.lang[data-lang=zh]")
    # expect() retries until the Chinese page has replaced the English one (its list is there before too)
    expect(page.locator("#appt-list > li .appt-state")).to_have_text(["配件已预留", "配件不足"])
    shot(page, "appointments-zh")

    page.goto(f"{srv.url}/kiosk/appointments?date=2026-11-25")
    assert page.locator("#appt-list > li").count() == 0 and page.locator("#appt-empty").is_visible()
