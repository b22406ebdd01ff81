"""~HS parsing, the simulated printer, and transports opened from URLs (tcp, pty, device file)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from floor.config import PrinterConfig
from floor.labels.hoststatus import HostStatus, HostStatusError, format_host_status, parse_host_status
from floor.labels.service import printer_status
from floor.labels.transport import PrinterOffline, open_transport
from hardware_sim.printer import RunningPrinter, SimPrinter

# A real ZD420 answer: paper out and paused set, 1 format in buffer, head closed.
REAL_HS = b"\x02030,1,1,1245,001,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"


def test_parse_real_answer() -> None:
    """GIVEN the three-line answer of a paper-out, paused printer WHEN parsed THEN both faults and the buffer show."""
    st = parse_host_status(REAL_HS)
    flags = (st.paper_out, st.paused, st.head_open, st.formats_in_buffer, st.label_length)
    assert flags == (True, True, False, 1, 1245)
    assert st.faults == ["paper_out", "paused"] and not st.ready


@pytest.mark.parametrize(
    "flag",
    [
        "paper_out",
        "paused",
        "head_open",
        "ribbon_out",
        "buffer_full",
        "under_temperature",
        "over_temperature",
        "corrupt_ram",
    ],
)
def test_every_fault_flag_round_trips(flag: str) -> None:
    """GIVEN a status with one fault WHEN formatted and parsed THEN exactly that fault is reported."""
    st = parse_host_status(format_host_status(HostStatus(**{flag: True})))
    assert st.faults == [flag]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x02030,0,0\x03",
        REAL_HS[:60],
        b"\x02a\x03\x02b\x03\x02c\x03",
        b"\x02030,x,0,1245,001,0,0,0,000,0,0,0\x03\x02001,0,0,0,1,2,6,0,0,1,000\x03\x021,0\x03",
    ],
)
def test_malformed_answers_are_errors(data: bytes) -> None:
    """GIVEN truncated or garbled ~HS bytes WHEN parsed THEN HostStatusError is raised."""
    with pytest.raises(HostStatusError):
        parse_host_status(data)


def test_sim_records_formats_split_across_writes() -> None:
    """GIVEN a format arriving in pieces with ~HS between labels WHEN fed THEN each format is recorded whole, once."""
    p = SimPrinter()
    assert p.feed(b"^XA^FDone^F") == b""
    assert p.feed(b"S^XZ\n~H") == b""
    answer = p.feed(b"S^XA^FDtwo^FS^XZ")
    assert parse_host_status(answer).ready
    assert p.received == [b"^XA^FDone^FS^XZ", b"^XA^FDtwo^FS^XZ"] == p.printed


def test_sim_faults_hold_labels_and_silence() -> None:
    """GIVEN a printer whose head is opened WHEN a label and ~HS arrive THEN it stays silent and holds the label."""
    p = SimPrinter()
    p.set_fault(head_open=True)
    assert p.feed(b"^XA^XZ~HS") == b""
    assert p.printed == [] and len(p.buffer) == 1
    p.set_fault(head_open=False)
    assert p.printed == [b"^XA^XZ"]


def test_sim_pause_answers_and_resumes() -> None:
    """GIVEN a paused printer WHEN asked ~HS THEN it answers 'paused'; ~PS resumes and prints the buffer."""
    p = SimPrinter()
    p.feed(b"~PP^XA^XZ")
    st = parse_host_status(p.feed(b"~HS"))
    assert st.paused and st.formats_in_buffer == 1 and p.printed == []
    p.feed(b"~PS")
    assert p.printed == [b"^XA^XZ"]


def test_sim_runs_out_of_paper_after_n() -> None:
    """GIVEN paper for two labels WHEN three arrive THEN two print, it goes silent; paper in prints the 3rd."""
    p = SimPrinter(paper_out_after=2)
    p.feed(b"^XA^FD1^XZ^XA^FD2^XZ^XA^FD3^XZ")
    assert len(p.printed) == 2 and p.feed(b"~HS") == b""
    p.load_paper()
    assert [f[-5:-3] for f in p.printed] == [b"D1", b"D2", b"D3"]


@pytest.mark.parametrize("endpoint", ["tcp", "pty"])
def test_transports_reach_the_simulator(sim: RunningPrinter, endpoint: str) -> None:
    """GIVEN the simulator on TCP and on a pty WHEN a label is written THEN it arrives byte for byte."""
    url = sim.tcp_url if endpoint == "tcp" else sim.pty_path
    assert url is not None
    t = open_transport(url, {"timeout": 1})
    try:
        t.write("^XA^FD机油^FS^XZ".encode())
        assert sim.printer.wait_received(1) == ["^XA^FD机油^FS^XZ".encode()]
    finally:
        t.close()


def test_device_file_transport_writes_the_file(tmp_path: Path) -> None:
    """GIVEN a file standing in for /dev/usb/lp0 WHEN a label is written THEN the file has the bytes; reads time out."""
    path = tmp_path / "lp0"
    path.write_bytes(b"")
    t = open_transport(f"file://{path}", {"timeout": 0.2})
    t.write(b"^XA^XZ")
    start = time.monotonic()
    assert t.read_until_frames(3, 0.2) == b""
    assert time.monotonic() - start < 1.0
    t.close()
    assert path.read_bytes() == b"^XA^XZ"


@pytest.mark.parametrize(
    "url", ["tcp://127.0.0.1:1", "/dev/does-not-exist", "file:///nonexistent/dir/lp0", "tcp://:9100"]
)
def test_unreachable_printer_urls(url: str) -> None:
    """GIVEN a URL nothing answers on WHEN opened THEN PrinterOffline says so."""
    with pytest.raises(PrinterOffline):
        open_transport(url, {"timeout": 0.3})


@pytest.mark.parametrize("endpoint", ["tcp", "pty"])
def test_printer_status_ready_and_paused(sim: RunningPrinter, endpoint: str) -> None:
    """GIVEN the simulator WHEN its status is asked THEN ready, then 'paused' after ~PP is set."""
    url = sim.tcp_url if endpoint == "tcp" else sim.pty_path
    assert url is not None
    cfg = PrinterConfig("p", url, {"timeout": 1})
    assert printer_status(cfg)["state"] == "ready"
    sim.printer.set_fault(paused=True)
    st = printer_status(cfg)
    assert (st["state"], st["faults"], st["ready"]) == ("fault", ["paused"], False)


def test_silent_printer_is_a_fault_within_the_timeout(sim: RunningPrinter) -> None:
    """GIVEN a printer out of paper (silent) WHEN asked THEN after the timeout it is a fault, 'no_answer'."""
    sim.printer.set_fault(paper_out=True)
    start = time.monotonic()
    st = printer_status(PrinterConfig("p", sim.tcp_url or "", {"timeout": 0.3}))
    assert 0.25 < time.monotonic() - start < 2.0
    assert (st["state"], st["faults"]) == ("fault", ["no_answer"]) and "no answer" in st["error"]


def test_printer_that_never_answers() -> None:
    """GIVEN a TCP peer that accepts but never answers WHEN asked ~HS THEN the status is a fault, not a hang."""
    server = socket.create_server(("127.0.0.1", 0))
    try:
        port = server.getsockname()[1]
        st = printer_status(PrinterConfig("mute", f"tcp://127.0.0.1:{port}", {"timeout": 0.3}))
        assert st["state"] == "fault" and st["faults"] == ["no_answer"]
    finally:
        server.close()


def test_offline_and_no_back_channel() -> None:
    """GIVEN a refused port, and a write-only device WHEN asked THEN 'offline', and 'unknown' (never guessed ready)."""
    assert printer_status(PrinterConfig("off", "tcp://127.0.0.1:1", {"timeout": 0.3}))["state"] == "offline"
    r, w = os.pipe()
    try:
        st = printer_status(PrinterConfig("lp", f"/dev/fd/{w}", {"transport": "file", "status": False}))
        assert st["state"] == "unknown" and st["ready"] is False
    finally:
        os.close(r)
        os.close(w)
