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


def _reserved(url: str, part_no: str) -> int:
    with urllib.request.urlopen(f"{url}/api/parts/{part_no}", timeout=10) as resp:
        return int(json.loads(resp.read())["reserved"])


def test_reschedule_and_cancel_on_the_appointments_page(live_server, page):
    """GIVEN a booking for tomorrow WHEN the advisor moves it on the page THEN it shows on the new day with a note,
    its parts still reserved; a move into the past shows `appointment_in_past` and changes nothing; WHEN cancelled
    THEN it is shown cancelled without its form and its parts are free again; in Chinese too."""
    srv = live_server
    base = {"badge": "ADV1", "customer": "Qian", "plate": "沪B 67890"}
    appt = _post(
        f"{srv.url}/api/appointments",
        {**base, "at": "2026-11-24T10:30:00Z", "lines": [{"part_no": "OF-100", "qty": 2}]},
    )
    _post(
        f"{srv.url}/api/appointments",
        {**base, "customer": "Sun", "at": "2026-11-24T15:00:00Z", "lines": [{"part_no": "SP-200", "qty": 1}]},
    )
    page.goto(f"{srv.url}/kiosk/appointments?date=2026-11-24&lang=en")
    row = page.locator(f"#appt-list > li[data-id='{appt['id']}']")
    expect(row.locator(".appt-at")).to_have_value("2026-11-24T10:30")
    row.locator(".appt-at").fill("2026-11-25T14:15")
    row.locator(".appt-badge").fill("ADV1")
    row.locator("button.appt-move").click()
    expect(page.locator("#appt-done")).to_contain_text(f"Appointment {appt['id']} moved")
    expect(page.locator("#appt-date")).to_have_text("2026-11-25")
    row = page.locator(f"#appt-list > li[data-id='{appt['id']}']")
    expect(row.locator(".appt-time")).to_have_text("14:15")
    expect(row.locator(".appt-reserved")).to_have_text("2")
    assert _reserved(srv.url, "OF-100") == 2

    row.locator(".appt-at").fill("2026-11-22T10:00")
    row.locator(".appt-badge").fill("ADV1")
    row.locator("button.appt-move").click()
    expect(page.locator("#appt-error")).to_have_attribute("data-code", "appointment_in_past")
    expect(page.locator("#appt-error")).to_contain_text("in the past")
    page.goto(f"{srv.url}/kiosk/appointments?date=2026-11-25")
    expect(page.locator(f"#appt-list > li[data-id='{appt['id']}'] .appt-time")).to_have_text("14:15")

    row = page.locator(f"#appt-list > li[data-id='{appt['id']}']")
    row.locator(".appt-badge").fill("ADV1")
    row.locator("button.appt-cancel").click()
    expect(page.locator("#appt-done")).to_contain_text(f"Appointment {appt['id']} cancelled")
    row = page.locator(f"#appt-list > li[data-id='{appt['id']}']")
    expect(row).to_have_class(re.compile(r"\bappt-cancelled\b"))
    expect(row.locator(".appt-state")).to_have_text("Cancelled")
    expect(row.locator("form.appt-change")).to_have_count(0)
    assert _reserved(srv.url, "OF-100") == 0
    shot(page, "appointments-cancelled-en")

    page.click("a.lang[data-lang=zh]")
    expect(page.locator(f"#appt-list > li[data-id='{appt['id']}'] .appt-state")).to_have_text("已取消")
    page.goto(f"{srv.url}/kiosk/appointments?date=2026-11-24")
    other = page.locator("#appt-list > li").first
    expect(other.locator("button.appt-cancel")).to_have_text("取消预约")
    expect(other.locator("button.appt-move")).to_have_text("改期")
    other.locator(".appt-badge").fill("T001")  # a technician may not cancel
    other.locator("button.appt-cancel").click()
    expect(page.locator("#appt-error")).to_have_attribute("data-code", "badge_refused")
    expect(page.locator("#appt-list > li").first.locator(".appt-state")).to_have_text("配件已预留")
    shot(page, "appointments-refused-zh")


def test_appointment_parts_in_the_pick_queues(live_server, page):
    """GIVEN a job and an appointment tomorrow, both holding parts WHEN the counter's pick page and the handheld's
    pick tab are opened THEN the appointment's parts are listed first, marked with its day, time and plate."""
    srv = live_server
    _post(f"{srv.url}/api/workorders/1001/requests", {"badge": "T001", "lines": [{"part_no": "SP-200", "qty": 2}]})
    _post(
        f"{srv.url}/api/appointments",
        {
            "badge": "ADV1",
            "customer": "Sun",
            "plate": "京A 1",
            "at": "2026-11-24T08:15:00Z",
            "lines": [{"part_no": "OF-100", "qty": 2}],
        },
    )
    page.goto(f"{srv.url}/kiosk/picks/counter-1?lang=en")
    sections = page.locator("#picks-live section.pick-job")
    expect(sections).to_have_count(2)
    expect(sections.first).to_have_class(re.compile(r"\bpick-appointment\b"))
    expect(sections.first.locator("h2")).to_contain_text("Appointment 11-24 08:15 · 京A1 · Sun")
    expect(sections.nth(1)).to_have_attribute("data-workorder", "1001")
    shot(page, "picks-with-appointment-en")

    page.goto(f"{srv.url}/handheld/handheld-1")
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    page.click("#tasks button[data-task='pick']")
    picks = page.locator("#picks button.pick")
    expect(picks).to_have_count(2)
    expect(picks.first).to_have_text("Appointment 11-24 08:15 京A1 · OF-100 × 2 · A-01-01")
    expect(picks.first).to_have_class(re.compile(r"\bpick-appointment\b"))
    expect(picks.nth(1)).to_contain_text("1001 · SP-200 × 2")
