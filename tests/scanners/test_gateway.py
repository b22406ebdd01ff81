"""The gateway: local durable outbox, delivery to a real HTTP server, outages, exactly once."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from floor.core.results import ScanInput
from floor.scanners.base import DeviceReader
from floor.scanners.gateway import GatewaySink
from floor.scanners.serial_scanner import SerialScannerReader
from hardware_sim.scanner import ScannerSim
from tests.scanners.conftest import device
from tests.scanners.fake_server import FakeFloorServer
from tests.waiting import wait_for

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock


@pytest.fixture
def server() -> Iterator[FakeFloorServer]:
    """A running fake floor server."""
    s = FakeFloorServer().start()
    yield s
    s.stop()


def test_server_up_gives_real_results_in_time(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a reachable server
    WHEN a good and a bad scan are submitted through the gateway
    THEN submit returns the server's own results (the scanner gets ACK and NAK as if local)."""
    gw = GatewaySink(tmp_path / "outbox.db", server.url, "t0k", result_wait_s=2.0)
    gw.start()
    try:
        base = gw.last_seq("s1")
        results = gw.submit("counter-1", "s1", [ScanInput(b"WO:1", base + 1), ScanInput(b"BAD", base + 2)])
        assert [(r.ok, r.code, r.seq) for r in results] == [(True, "ok", base + 1), (False, "unknown", base + 2)]
    finally:
        gw.stop()


def test_outage_then_recovery_delivers_everything_exactly_once(
    tmp_path: Path, server: FakeFloorServer, running: Callable[..., DeviceReader]
) -> None:
    """GIVEN a scanner behind a gateway whose server is down
    WHEN 5 scans are taken during the outage, then the server comes back
    THEN each scan was ACKed at once as "queued", and the server applies all 5, in order, exactly once."""
    server.stop()
    gw = GatewaySink(tmp_path / "outbox.db", server.url, "t0k", result_wait_s=0.1, backoff_max_s=0.2)
    gw.start()
    try:
        with ScannerSim() as sim:
            running(SerialScannerReader(device(sim.path, name="s1"), gw))
            acks = [sim.scan_and_wait(f"P:{i}") for i in range(5)]
            assert acks == [b"\x06"] * 5
            assert gw.status()["pending"] == 5 and gw.status()["server_up"] is False
            server.start()
            assert wait_for(lambda: gw.status()["delivered"] == 5, 3.0)
        assert [data for _, _, data in server.applied] == [f"P:{i}" for i in range(5)]
        assert len({seq for _, seq, _ in server.applied}) == 5
    finally:
        gw.stop()


def test_lost_answer_is_retried_without_double_apply(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a server that applies a batch but whose answer is lost on the way back
    WHEN the gateway retries
    THEN the server answers duplicate and the scan is applied only once."""
    server.drop_next_answers = 1
    gw = GatewaySink(tmp_path / "outbox.db", server.url, "t0k", result_wait_s=0.0, backoff_max_s=0.1)
    gw.start()
    try:
        seq = gw.last_seq("s1") + 1
        gw.submit("counter-1", "s1", [ScanInput(b"P:ONCE", seq)])
        assert wait_for(lambda: gw.status()["delivered"] == 1, 3.0)
        assert server.applied == [("s1", seq, "P:ONCE")]
        assert server.requests == 2
        assert gw.outbox.results([1])[1]["duplicate"] is True
    finally:
        gw.stop()


def test_outbox_survives_restart_and_seq_continues(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN scans queued while the server is down and the gateway then stopped (a crash)
    WHEN a new gateway opens the same outbox with the server up
    THEN the queued scans are delivered and last_seq continues after them."""
    server.stop()
    path = tmp_path / "outbox.db"
    gw = GatewaySink(path, server.url, "t0k", result_wait_s=0.0)
    base = gw.last_seq("s1")
    gw.submit("counter-1", "s1", [ScanInput(b"P:%d" % i, base + i) for i in (1, 2, 3)])
    gw.outbox.close()
    server.start()
    gw2 = GatewaySink(path, server.url, "t0k", backoff_max_s=0.1)
    gw2.start()
    try:
        assert gw2.last_seq("s1") == base + 3
        assert wait_for(lambda: len(server.applied) == 3, 3.0)
        assert [seq for _, seq, _ in server.applied] == [base + 1, base + 2, base + 3]
    finally:
        gw2.stop()


def test_new_outbox_never_reuses_old_seqs(tmp_path: Path) -> None:
    """GIVEN an outbox that is lost and replaced by a new one later
    WHEN both give the next seq for a device
    THEN the new outbox starts above the old one (seqs are based on creation time in ms)."""
    old = GatewaySink(tmp_path / "a.db", "http://127.0.0.1:9")
    time.sleep(0.01)
    new = GatewaySink(tmp_path / "b.db", "http://127.0.0.1:9")
    assert new.last_seq("s1") > old.last_seq("s1") > 1_600_000_000_000


def test_bad_token_is_retried_and_malformed_batch_is_parked(tmp_path: Path, server: FakeFloorServer) -> None:
    """GIVEN a wrong token (401) the gateway keeps the scan pending and reports the error
    WHEN the token is corrected
    THEN the scan is delivered; and a batch the server refuses with 400 is parked as failed, not retried forever."""
    gw = GatewaySink(tmp_path / "outbox.db", server.url, "wrong", result_wait_s=0.0, backoff_max_s=0.1)
    gw.start()
    try:
        seq = gw.last_seq("s1") + 1
        gw.submit("counter-1", "s1", [ScanInput(b"P:A", seq)])
        assert wait_for(lambda: "401" in (gw.status()["last_error"] or ""), 3.0)
        assert gw.status()["pending"] == 1
        gw.token = "t0k"
        assert wait_for(lambda: gw.status()["delivered"] == 1, 3.0)
        server.refuse_with = 400
        gw.submit("counter-1", "s1", [ScanInput(b"P:B", seq + 1)])
        assert wait_for(lambda: gw.status()["failed"] == 1, 3.0)
    finally:
        gw.stop()
