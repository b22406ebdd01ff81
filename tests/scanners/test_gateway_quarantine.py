"""The gateway quarantines a batch the server refuses for good, raises an alert, and goes on with the next scans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from floor.cli.devices import devices_command
from floor.core.results import ScanInput
from floor.scanners.gateway import GatewaySink
from tests.scanners.fake_server import FakeFloorServer
from tests.waiting import wait_for


@pytest.fixture
def server() -> Iterator[FakeFloorServer]:
    """A running fake floor server."""
    s = FakeFloorServer().start()
    yield s
    s.stop()


def _run_poisoned(tmp_path: Path, server: FakeFloorServer, status: int) -> GatewaySink:
    """A poison scan, then (after it is stored) good scans, through a started gateway."""
    server.poison, server.poison_status = "POISON", status
    gw = GatewaySink(
        tmp_path / "outbox.db", server.url, "t0k", result_wait_s=0.0, backoff_max_s=0.05, quarantine_after_5xx=3
    )
    base = gw.last_seq("s1")
    gw.submit("counter-1", "s1", [ScanInput(b"POISON", base + 1)])
    gw.start()
    assert wait_for(lambda: gw.status()["failed"] == 1, timeout=10)
    gw.submit("counter-1", "s1", [ScanInput(b"WO:1", base + 2), ScanInput(b"P:A", base + 3)])
    assert wait_for(lambda: gw.status()["delivered"] == 2, timeout=10)
    return gw


@pytest.mark.parametrize("status", [400, 404, 422, 418])
def test_batch_refused_with_4xx_is_quarantined_and_the_gateway_goes_on(
    tmp_path: Path, server: FakeFloorServer, status: int
) -> None:
    """GIVEN a server that answers a batch with a 4xx WHEN the gateway delivers it THEN that batch is quarantined at
    once (one request), the server is told, and the scans after it are delivered."""
    gw = _run_poisoned(tmp_path, server, status)
    try:
        [alert] = gw.status()["quarantined"]
        assert alert["device"] == "s1" and alert["scans"] == 1 and f"HTTP {status}" in alert["error"]
        assert [a["device"] for a in server.alerts] == ["s1"] and server.alerts[0]["scans"] == 1
        assert [d for _dev, _seq, d in server.applied] == ["WO:1", "P:A"]
    finally:
        gw.stop()


def test_same_5xx_n_times_is_quarantined_and_the_gateway_goes_on(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a server that answers one batch 500 every time (a poison scan it trips on) WHEN the gateway retries
    THEN after 3 equal answers the batch is quarantined with an alert, and the later scans are delivered."""
    gw = _run_poisoned(tmp_path, server, 500)
    try:
        [alert] = gw.status()["quarantined"]
        assert "HTTP 500" in alert["error"] and "3 times" in alert["error"]
        assert server.alerts and server.alerts[0]["first_seq"] == alert["first_seq"]
        assert [d for _dev, _seq, d in server.applied] == ["WO:1", "P:A"]
    finally:
        gw.stop()


def test_a_passing_5xx_is_retried_not_quarantined(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a server answering 503 twice (fewer than the limit) WHEN it recovers THEN the batch is delivered."""
    server.refuse_with = 503
    gw = GatewaySink(
        tmp_path / "outbox.db", server.url, "t0k", result_wait_s=0.0, backoff_max_s=0.05, quarantine_after_5xx=50
    )
    gw.submit("counter-1", "s1", [ScanInput(b"WO:1", gw.last_seq("s1") + 1)])
    gw.start()
    try:
        assert wait_for(lambda: "503" in (gw.status()["last_error"] or ""))
        server.refuse_with = None
        assert wait_for(lambda: gw.status()["delivered"] == 1)
        assert gw.status()["quarantined"] == [] and gw.status()["failed"] == 0
    finally:
        gw.stop()


def test_alert_raised_while_the_server_is_down_is_reported_when_it_returns(
    tmp_path: Path, server: FakeFloorServer
) -> None:
    """GIVEN a quarantine whose alert could not be posted WHEN the server answers again THEN the alert is posted."""
    gw = GatewaySink(tmp_path / "outbox.db", "http://127.0.0.1:9", "t0k", result_wait_s=0.0)
    batch = gw.outbox.next_batch()
    assert batch == []
    gw.submit("counter-1", "s1", [ScanInput(b"POISON", gw.last_seq("s1") + 1)])
    gw.outbox.quarantine(gw.outbox.next_batch(), "HTTP 400: test")
    assert gw.report_alerts() == 0  # nobody listens on port 9
    gw.alerts_url = server.url + "/api/gateway/alerts"
    assert gw.report_alerts() == 1 and server.alerts[0]["error"] == "HTTP 400: test"
    assert gw.outbox.quarantined(only_unreported=True) == []


def test_floor_devices_shows_the_quarantine(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a gateway outbox with a quarantined batch WHEN `floor devices --outbox` runs THEN an ALERT line names it."""
    gw = _run_poisoned(tmp_path, server, 400)
    gw.stop()
    result = CliRunner().invoke(devices_command, ["--outbox", str(tmp_path / "outbox.db")])
    assert result.exit_code == 0, result.output
    assert "ALERT: 1 scans of s1" in result.output and "HTTP 400" in result.output
    as_json = CliRunner().invoke(devices_command, ["--outbox", str(tmp_path / "outbox.db"), "--json"])
    doc: dict[str, Any] = json.loads(as_json.output)
    assert doc["quarantined"][0]["device"] == "s1"


def test_kiosk_alerts_page_shows_a_gateway_quarantine(client: Any, db: Any) -> None:
    """GIVEN a gateway reported a quarantined batch WHEN the kiosk alerts page is opened THEN it names the device."""
    body = {
        "station": "counter-1",
        "device": "gw-scan-7",
        "first_seq": 11,
        "last_seq": 12,
        "scans": 2,
        "error": "HTTP 400: x",
    }
    resp = client.post("/api/gateway/alerts", json=body)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    page = client.get("/kiosk/alerts").get_data(as_text=True)
    assert 'id="gateway-quarantine"' in page and "gw-scan-7" in page and "HTTP 400: x" in page
    assert client.get("/api/gateway/alerts").get_json()["alerts"][0]["scans"] == 2
