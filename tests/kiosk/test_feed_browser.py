"""The change feed end to end: `floor serve` processes, a real board in Chromium, a job created through the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from floor.db import Database
from tests.conftest import POSTGRESQL_ONLY, page_errors
from tests.factories import load_small_shop
from tests.trust.support import Server, post_json, write_config

# Waits are Playwright's 30 s (a loaded CI machine answers late): how fast a board follows a change is a
# speed target, measured by `floor bench` (kiosk: scan_to_board_ms_p95), never asserted here.
pytestmark = pytest.mark.browser


@pytest.fixture
def served(db: Database, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """The small workshop in the test database and a floor.toml pointing at it."""
    load_small_shop(db)
    yield db, write_config(tmp_path, db.url, ["counter-1", "counter-2"])


def _server(cfg: Path) -> Server:
    server = Server(cfg)
    server.start(60)
    return server


def _open_board(page, port: int) -> None:
    page.goto(f"http://127.0.0.1:{port}/kiosk/board")
    # A function, not an expression string: the kiosk's CSP refuses to eval a string on the later polls.
    page.wait_for_function("() => document.body.dataset.live === '1'")
    page.evaluate("window.__notReloaded = true")


def _create_job_and_see_it(page, api_port: int, number: str) -> None:
    status, body = post_json(api_port, "/api/workorders", {"number": number, "vehicle": "feed test van"})
    assert status == 201, body
    page.wait_for_selector(f"#job-{number}")
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped it in; nobody reloaded


def test_job_created_through_the_api_appears_on_an_open_board(served, page):
    """GIVEN `floor serve` and its job board open in Chromium, live stream connected
    WHEN a job card is created with POST /api/workorders
    THEN the board shows it live, without a reload (SQLite and PostgreSQL)."""
    _db, cfg = served
    server = _server(cfg)
    try:
        _open_board(page, server.port)
        assert page.locator("#job-FEED-1").count() == 0
        _create_job_and_see_it(page, server.port, "FEED-1")
    finally:
        server.close()


@POSTGRESQL_ONLY
def test_job_created_in_one_server_process_appears_on_a_board_served_by_another(served, page):
    """GIVEN two `floor serve` processes on one PostgreSQL database, the board open on the first
    WHEN a job card is created through the second one's API
    THEN the board shows it live, without a reload: the change crossed processes by LISTEN/NOTIFY."""
    _db, cfg = served
    first, second = _server(cfg), _server(cfg)
    try:
        _open_board(page, first.port)
        assert page.locator("#job-FEED-2").count() == 0
        _create_job_and_see_it(page, second.port, "FEED-2")  # asserts it appears, without a reload
    finally:
        first.close()
        second.close()


@POSTGRESQL_ONLY
def test_job_created_through_one_gunicorn_worker_appears_on_a_board_of_another(served, page):
    """GIVEN gunicorn with 2 uvicorn workers (floor.asgi, as deploy/floor-web.service runs it) on PostgreSQL
    and two boards open, on separate connections so both workers are likely to hold one
    WHEN jobs are created through the API (each request to whichever worker takes it)
    THEN every board shows each job live, without a reload."""
    _db, cfg = served
    server = Server(cfg, workers=2, asgi=True)
    server.start(60)
    second = page.context.browser.new_context().new_page()
    errors = page_errors(second)
    try:
        _open_board(page, server.port)
        _open_board(second, server.port)
        for i in range(3):
            number = f"GUNI-{i}"
            _create_job_and_see_it(page, server.port, number)
            second.wait_for_selector(f"#job-{number}")
        assert second.evaluate("window.__notReloaded") is True
        assert not errors, errors
    finally:
        second.context.close()
        server.close()
