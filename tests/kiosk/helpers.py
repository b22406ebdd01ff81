"""Small helpers of the kiosk tests: CSRF tokens and API scans."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/kiosk/") -> str:
    """The CSRF token a kiosk page hands this client (its session keeps it)."""
    page = client.get(path).get_data(as_text=True)
    found = _META.search(page)
    assert found, "every kiosk page carries a csrf-token meta tag"
    return found.group(1)


def api_scans(client: FlaskClient, station: str, *texts: str, device: str = "test-scanner") -> list[dict[str, Any]]:
    """Post scans through the JSON API, as a handheld or gateway would; return the results."""
    resp = client.post("/api/scans", json={"station": station, "device": device, "scans": [{"data": t} for t in texts]})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["results"]
