"""Kiosk enrolment in a real browser: unenrolled scans are refused with what to do; the one-time URL enrols."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import make_config
from tests.kiosk.conftest import LiveServer, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def enrol_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    """The app with `[kiosk] require_enrolment = true`, served on 127.0.0.1:<free port>, with the small workshop."""
    from werkzeug.serving import make_server

    from floor.core.catalog import forget_catalogs
    from floor.db import Database
    from floor.service.factory import create_app
    from tests.factories import load_small_shop

    forget_catalogs()
    path = tmp_path / "floor.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", "NORMAL")
    load_small_shop(db)
    app = create_app(make_config(kiosk={"require_enrolment": True}), db, {"TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, db)
    server.shutdown()
    db.dispose()
    forget_catalogs()


def _enrol_url(server: LiveServer, tmp_path: Path, station: str) -> str:
    """`floor kiosk enrol STATION` against the server's database; the URL it prints."""
    from floor.cli.main import main

    db_path = server.db.engine.url.database
    cfg = tmp_path / "floor.toml"
    host, port = server.url.removeprefix("http://").split(":")
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{db_path}"\n[server]\nhost = "{host}"\nport = {port}\n'
        f'[kiosk]\nrequire_enrolment = true\n[[stations]]\nname = "{station}"\nkind = "counter"\n'
        'default_location = "A-01-01"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["kiosk", "enrol", station, "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    found = re.search(r"(http://\S+/kiosk/enrol/\S+)", result.output)
    assert found, result.output
    return found.group(1)


def _scan(page: Any, text: str) -> None:
    page.fill("#scan-input", text)
    page.press("#scan-input", "Enter")


def test_unenrolled_browser_is_refused_then_enrolled_by_the_url(enrol_server, page, tmp_path):
    """GIVEN `require_enrolment` WHEN an unenrolled browser scans a badge at the counter THEN the page says to ask
    for `floor kiosk enrol` and nothing is recorded; WHEN it opens the URL `floor kiosk enrol counter-1` printed
    THEN its scans work; a second browser cannot reuse the URL."""
    page.goto(f"{enrol_server.url}/kiosk/counter/counter-1")
    _scan(page, "U:T001")
    page.wait_for_selector("#not-enrolled")
    assert "floor kiosk enrol" in page.inner_text("#not-enrolled")
    with enrol_server.db.reading() as s:
        from sqlalchemy import func, select

        from floor.models import ScanEvent

        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0

    url = _enrol_url(enrol_server, tmp_path, "counter-1")
    page.goto(url)
    assert "counter-1" in page.inner_text("#enrolled")
    page.goto(f"{enrol_server.url}/kiosk/counter/counter-1")
    _scan(page, "U:T001")
    wait_for(page, "document.querySelector('#counter-live').innerText.includes('Li Wei')")

    other = page.context.browser.new_context()
    try:
        second = other.new_page()
        assert second.goto(url).status == 410
    finally:
        other.close()
