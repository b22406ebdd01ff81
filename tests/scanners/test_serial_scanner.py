"""Serial scanners through real ptys and pyserial URLs: framing, ACK/NAK bytes, faults."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from floor.core.results import ScanInput, ScanResult
from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.memory_sink import MemorySink
from floor.scanners.serial_scanner import SerialScannerReader
from hardware_sim.scanner import ScannerSim
from tests.scanners.conftest import device

Start = Callable[..., DeviceReader]


@pytest.fixture(params=["pty", "sim-url"])
def sim(request: pytest.FixtureRequest) -> Iterator[ScannerSim]:
    """A simulated scanner, CR-terminated: on a pty, then in-process behind pyserial's sim:// URL."""
    with ScannerSim(None if request.param == "pty" else f"sim://scanner-{uuid.uuid4().hex[:8]}") as s:
        yield s


@pytest.mark.parametrize("term", ["CR", "LF", "CRLF"])
def test_each_terminator_frames_scans_and_acks(term: str, sink: MemorySink, running: Start) -> None:
    """GIVEN a scanner and reader configured with the same terminator
    WHEN two scans are sent
    THEN both texts reach the sink in order and exactly one ACK byte per scan comes back."""
    with ScannerSim(terminator=term) as sim:
        running(SerialScannerReader(device(sim.path, terminator=term), sink))
        assert sim.scan_and_wait("WO:1001") == b"\x06"
        assert sim.scan_and_wait("P:OIL-5W30") == b"\x06"
        assert sink.texts() == ["WO:1001", "P:OIL-5W30"]
        assert [r.seq for r in sink.received] == [1, 2]


def test_aim_prefix_is_left_in_the_text(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a scanner that sends AIM symbology identifiers
    WHEN it reads a GS1-128 label
    THEN the raw text handed to the sink still starts with ]C1 (the service strips and keeps it)."""
    running(SerialScannerReader(device(sim.path), sink))
    assert sim.scan_and_wait("0104012345678901\x1d10LOT7", aim="]C1") == b"\x06"
    assert sink.received[0].raw == b"]C10104012345678901\x1d10LOT7"


def test_rejected_scan_gets_the_configured_nak_bytes(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN multi-byte ACK and NAK sequences in the config
    WHEN one accepted and one rejected scan are read
    THEN exactly those bytes are written back, in scan order."""
    running(SerialScannerReader(device(sim.path, ack="0241", nak="024E"), sink))
    sim.scan("P:FILTER")
    assert sim.wait_received(2) == b"\x02A"
    sim.scan("BAD-CODE")
    assert sim.wait_received(4) == b"\x02A\x02N"


def test_empty_ack_config_writes_nothing(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN ack = "" (a scanner without ACK/NAK mode)
    WHEN a scan is read
    THEN it is delivered and nothing is written back to the scanner."""
    reader = running(SerialScannerReader(device(sim.path, ack="", nak=""), sink))
    sim.scan("P:BRAKE-PAD")
    assert reader.wait_scans(1, 2.0)
    assert sim.wait_received(1, timeout=0.2) == b""


def test_partial_lines_across_reads_are_joined(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a scan arriving in several pieces with pauses between them
    WHEN the reader sees each piece in a separate read
    THEN exactly one scan with the whole text is delivered."""
    reader = running(SerialScannerReader(device(sim.path), sink))
    sim.dribble("L:A-01-03", pieces=4, delay_s=0.03)
    assert sim.wait_received(1) == b"\x06"
    assert sink.texts() == ["L:A-01-03"]
    assert reader.status().scans == 1


def test_burst_of_scans_in_one_write_all_delivered_in_order(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a scanner emptying its batch memory: 200 scans in one write
    WHEN the reader frames them
    THEN all 200 reach the sink in order with consecutive seqs and 200 ACK bytes come back."""
    running(SerialScannerReader(device(sim.path), sink))
    texts = [f"P:PART-{i:04d}" for i in range(200)]
    sim.burst(texts)
    assert sim.wait_received(200, timeout=3.0) == b"\x06" * 200
    assert sink.texts() == texts
    assert [r.seq for r in sink.received] == list(range(1, 201))


def test_garbage_bytes_are_rejected_and_reader_keeps_going(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN line noise of non-UTF-8 bytes
    WHEN it arrives as a line and a good scan follows
    THEN the noise is logged rejected with a NAK and the good scan still gets its ACK."""
    running(SerialScannerReader(device(sim.path), sink))
    noise = sim.garbage(32, seed=7)
    assert sim.wait_received(1) == b"\x15"
    assert sim.scan_and_wait("WO:1002") == b"\x06"
    assert sink.received[0].raw == noise
    assert sink.received[0].result.code == "bad_encoding"
    assert sink.texts() == ["WO:1002"]


def test_overlong_line_is_discarded_with_one_rejection(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a 20,000-byte line (a scanner stuck sending, a wrong terminator)
    WHEN it ends and a normal scan follows
    THEN one rejection carries the first 4 KiB plus a discard marker, then the scan is accepted."""
    running(SerialScannerReader(device(sim.path), sink))
    sim.overlong(20_000)
    assert sim.wait_received(1) == b"\x15"
    assert sim.scan_and_wait("P:WIPER") == b"\x06"
    first = sink.received[0]
    assert first.result.code == "too_long"
    assert first.raw.startswith(b"X" * 4096)
    assert first.raw.endswith(b"[floor: 15904 more bytes discarded]")
    assert sink.texts() == ["P:WIPER"]


def test_unplug_and_replug_loses_nothing_sent_after_replug(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a connected scanner that is unplugged and replugged (new pty behind the same symlink, or sim://)
    WHEN scans are sent once the reader has reopened the port
    THEN every scan after the replug is delivered and ACKed, and seqs continue without reuse."""
    reader = running(SerialScannerReader(device(sim.path), sink))
    assert sim.scan_and_wait("WO:1") == b"\x06"
    sim.unplug()
    assert reader.wait_state(ReaderState.RECONNECTING, 2.0)
    assert reader.status().last_error is not None
    sim.plug()
    assert sim.wait_host(3.0), "the reader never reopened the port"
    assert reader.wait_state(ReaderState.CONNECTED, 2.0)
    assert [sim.scan_and_wait(f"P:{i}") for i in range(5)] == [b"\x06"] * 5
    assert sink.texts() == ["WO:1", "P:0", "P:1", "P:2", "P:3", "P:4"]
    assert [r.seq for r in sink.received] == [1, 2, 3, 4, 5, 6]


def test_new_reader_continues_seq_from_the_sink(sim: ScannerSim, sink: MemorySink, running: Start) -> None:
    """GIVEN a sink that already holds seqs 1..3 for the device (a restart of the service)
    WHEN a new reader delivers a scan
    THEN it is numbered 4, so no earlier scan can be applied twice."""
    sink.submit("counter-1", "scanner-1", [ScanInput(b"P:%d" % i, seq=i) for i in (1, 2, 3)])
    running(SerialScannerReader(device(sim.path), sink))
    assert sim.scan_and_wait("P:NEW") == b"\x06"
    assert sink.received[-1].seq == 4


class FlakySink(MemorySink):
    """A sink whose storage fails for the next N submits."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def submit(self, station: str, device: str, scans: list[ScanInput]) -> list[ScanResult]:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database is locked")
        return super().submit(station, device, scans)


def test_sink_failure_naks_and_does_not_burn_a_seq(sim: ScannerSim, running: Start) -> None:
    """GIVEN a sink that fails once
    WHEN a scan arrives, then the user rescans
    THEN the first attempt gets NAK, the rescan gets ACK and is stored as seq 1."""
    flaky = FlakySink(failures=1)
    reader = running(SerialScannerReader(device(sim.path), flaky))
    assert sim.scan_and_wait("P:X") == b"\x15"
    assert sim.scan_and_wait("P:X") == b"\x06"
    assert [r.seq for r in flaky.received] == [1]
    assert "database is locked" in (reader.status().last_error or "")


def test_socket_url_serial_server(sink: MemorySink, running: Start) -> None:
    """GIVEN a scanner behind a serial-to-Ethernet converter (pyserial socket:// URL)
    WHEN it sends a scan, disconnects, and sends again after reconnecting
    THEN both scans are delivered and the converter receives an ACK for each."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    answers: list[bytes] = []

    def serve_once(text: bytes) -> None:
        conn, _ = server.accept()
        with conn:
            # pyserial flushes input while opening; a scan taken before that gets no ACK anyway.
            time.sleep(0.2)
            conn.sendall(text + b"\r")
            conn.settimeout(2.0)
            answers.append(conn.recv(1))

    t = threading.Thread(target=lambda: (serve_once(b"WO:7"), serve_once(b"P:8")))
    t.start()
    reader = running(SerialScannerReader(device(f"socket://127.0.0.1:{port}"), sink), wait=False)
    t.join(5.0)
    server.close()
    assert answers == [b"\x06", b"\x06"]
    assert reader.wait_scans(2, 1.0)
    assert sink.texts() == ["WO:7", "P:8"]
