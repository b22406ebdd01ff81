"""Browser fixtures: the real app on a real threaded server over a temp SQLite database.

The headless Chromium (`browser`, `page`) is in tests/conftest.py: one per test session for every folder.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_config

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "kiosk"


@dataclass
class LiveServer:
    """A running floor app: its base URL, app and database."""

    url: str
    app: Any
    db: Any

    def scan(self, station: str, *texts: str, device: str = "api-handheld") -> list[dict[str, Any]]:
        """POST scans to the JSON API over HTTP; return the results."""
        body = json.dumps({"station": station, "device": device, "scans": [{"data": t} for t in texts]}).encode()
        req = urllib.request.Request(f"{self.url}/api/scans", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())["results"]


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    """The app served by werkzeug's threaded server on 127.0.0.1:<free port>, with the small workshop."""
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
    app = create_app(make_config(), db, {"TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, db)
    server.shutdown()
    db.dispose()
    forget_catalogs()


def wait_for(pg: Any, expression: str, timeout: float = 30000) -> None:
    """Wait until a JavaScript expression is true in the page.

    Polls with page.evaluate (run by the DevTools protocol) instead of page.wait_for_function,
    whose in-page string evaluation the kiosk's CSP (no eval) rightly blocks.
    """
    deadline = time.monotonic() + timeout / 1000
    while not pg.evaluate(f"() => !!({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} ms: {expression}")
        time.sleep(0.02)


def shot(pg: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/kiosk/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    return path
