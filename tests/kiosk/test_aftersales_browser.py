"""The after-sales kiosk pages in headless Chromium (SPEC 10.5): the call list, a low score's complaint run to closure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.aftersales_factories import deliver, receive
from tests.kiosk.conftest import shot
from tests.repair_factories import load_repair_shop

pytestmark = pytest.mark.browser


def test_the_advisor_calls_scores_low_and_the_complaint_runs_to_closure(live_server, page, pinned_clock):
    """GIVEN a job delivered 3 days ago WHEN the advisor opens the call list THEN the call shows the job's work and the
    customer's phone in large type, with no inline script or style; a call not reached stays with 1 attempt; the next
    day a score of 3 opens a complaint, which is assigned, answered, resolved and closed on the complaints page; in
    Chinese too."""
    srv = live_server
    load_repair_shop(srv.db)
    receive(srv.db, "9001", concern="Air conditioning weak")
    deliver(srv.db, "9001")
    pinned_clock.advance(timedelta(days=3))
    page.goto(f"{srv.url}/kiosk/followups?lang=en")
    item = page.locator("#fu-list > li[data-workorder='9001']")
    expect(item.locator(".as-phone")).to_have_text("138 0000 0001")
    expect(item.locator(".as-work")).to_contain_text("Air conditioning weak")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.as-head')).fontSize)")
    assert size >= 28
    inline = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => !s.src).length,
            styled: document.querySelectorAll('[style]').length,
        })"""
    )
    assert inline == {"scripts": 0, "styled": 0}
    shot(page, "followups-en")
    item.locator(".fu-missed").check()
    item.locator(".fu-badge").fill("ADV1")
    item.locator(".fu-log").click()
    expect(page.locator("#fu-done")).to_contain_text("tried again")
    expect(page.locator("#fu-empty")).to_be_visible()  # due again tomorrow morning
    pinned_clock.advance(timedelta(days=1))
    page.goto(f"{srv.url}/kiosk/followups")
    item = page.locator("#fu-list > li[data-workorder='9001']")
    expect(item.locator(".as-attempts")).to_contain_text("1")
    item.locator(".fu-score").fill("3")
    item.locator(".fu-note").fill("Still warm air")
    item.locator(".fu-badge").fill("ADV1")
    item.locator(".fu-log").click()
    expect(page.locator("#fu-done")).to_contain_text("opened complaint")

    page.goto(f"{srv.url}/kiosk/complaints")
    c = page.locator("#cp-list > li").first
    expect(c.locator(".as-work")).to_contain_text("Still warm air")
    for button, badge, extra in (
        (".cp-assign", "ADV1", "F001"),
        (".cp-respond", "F001", ""),
        (".cp-resolve", "F001", ""),
        (".cp-close", "SUP1", ""),
    ):
        c = page.locator("#cp-list > li").first
        c.locator(".cp-note").fill(f"step {button}")
        c.locator(".cp-to").fill(extra)
        c.locator(".cp-badge").fill(badge)
        c.locator(button).click()
        expect(page.locator("#cp-done")).to_be_visible()
    c = page.locator("#cp-list > li").first
    expect(c.locator(".cp-steps > li")).to_have_count(5)
    expect(c.locator(".cp-status")).to_have_text("closed")
    assert c.locator("form").count() == 0
    page.click("a.lang[data-lang=zh]")
    expect(page.locator("#cp-list > li .cp-status").first).to_have_text("已结案")
    shot(page, "complaints-zh")
