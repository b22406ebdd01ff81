"""Every text on the kiosk's pages can be read: its colour stands out from the background behind it, in en and zh.

Measured in Chromium by tests/kiosk/legible.js (WCAG's contrast ratio of the computed text colour against the
first opaque background up the tree); 3:1 is WCAG's floor for large text, so anything under it is unreadable on a
wall screen. Charts (SVG) draw their own colours and are left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LEGIBLE = (Path(__file__).with_name("legible.js")).read_text(encoding="utf-8")
PAGES = (
    "/kiosk/",
    "/kiosk/counter/counter-1",
    "/kiosk/board",
    "/kiosk/alerts",
    "/kiosk/labels",
    "/kiosk/reports",
    "/kiosk/followups",
    "/kiosk/complaints",
    "/kiosk/reception",
    "/kiosk/appointments",
    "/kiosk/cashier",
    "/kiosk/takings",
    "/kiosk/technician",
    "/kiosk/admin/parts",
    "/kiosk/admin/import",
)


def test_legibility_check_finds_text_as_light_as_its_background(live_server, page):
    """GIVEN a page with light grey text on white WHEN the check runs THEN it names that text (it can fail)."""
    page.set_content('<body style="background:#fff"><p style="color:#eee">faint</p><p>plain</p></body>')
    found = page.evaluate(LEGIBLE)
    assert len(found) == 1 and "faint" in found[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kiosk_page_is_legible(live_server, page, lang):
    """GIVEN the small shop WHEN each kiosk page is opened THEN no text is under 3:1 contrast with what is behind it."""
    faint: dict[str, list[str]] = {}
    for path in PAGES:
        answer = page.goto(f"{live_server.url}{path}?lang={lang}")
        assert answer is not None and answer.status == 200, path
        found = page.evaluate(LEGIBLE)
        if found:
            faint[path] = found[:5]
    assert not faint, f"text hard to read (contrast ratio, element, text): {faint}"
