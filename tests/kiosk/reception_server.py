"""A live floor server with the key cabinet station, for the SPEC 9.4 browser tests (a fixture to import)."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from floor.db import Database
from tests.fixtures.reception import reception_config


@dataclass
class LiveServer:
    """A running floor app with the key cabinet station: base URL, app and database."""

    url: str
    app: Any
    db: Any

    def scan(self, station: str, *texts: str) -> list[dict[str, Any]]:
        """POST scans to the JSON API over HTTP; return the results."""
        return self.post("/api/scans", {"station": station, "device": "api", "scans": [{"data": t} for t in texts]})[
            "results"
        ]

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST JSON; return the answer's JSON."""
        req = urllib.request.Request(
            f"{self.url}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())


@pytest.fixture
def reception_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    """The app on 127.0.0.1:<free port> over SQLite with the small workshop, foreman F001 and `keys-1`."""
    from werkzeug.serving import make_server

    from floor.core.catalog import forget_catalogs
    from floor.service.factory import create_app
    from tests.factories import load_small_shop

    forget_catalogs()
    path = tmp_path / "floor.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", "NORMAL")
    load_small_shop(db, {"users": [{"badge": "F001", "name": "Zhao Lei", "role": "foreman"}]})
    app = create_app(reception_config(), db, {"TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, db)
    server.shutdown()
    db.dispose()
    forget_catalogs()
