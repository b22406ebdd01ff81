"""The API reference page (/api/docs) in Chromium: it renders every operation from our own files only."""

from __future__ import annotations

import pytest

from tests.conftest import page_errors

pytestmark = pytest.mark.browser


def test_api_docs_page_renders_every_operation_with_no_error(live_server, page):
    """GIVEN the running app WHEN /api/docs is opened in Chromium THEN one section per operation of the description,
    a link to the JSON description that answers, and no console error or failed request (CSP holds: no CDN)."""
    from floor.web.openapi import OPERATIONS

    errors = page_errors(page)
    page.goto(f"{live_server.url}/api/docs")
    assert page.locator("section h2").count() == len(OPERATIONS)
    assert "POST /api/scans" in page.inner_text("body")
    page.click("a[href='/api/openapi.json']")
    assert '"openapi"' in page.content()
    assert errors == [], errors
