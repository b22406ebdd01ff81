"""Simulators in-process behind pyserial's sim:// URL scheme: scanner, RFID reader, printer."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import serial
from sqlalchemy import select

from floor.application.scan_service import ScanService
from floor.config import Config
from floor.db import Database
from floor.labels.hoststatus import parse_host_status
from floor.labels.transport import open_transport
from floor.models import Part, StockLevel
from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.memory_sink import MemorySink
from floor.scanners.rfid import RfidSerialReader
from floor.scanners.serial_scanner import SerialScannerReader
from hardware_sim.printer import RunningPrinter
from hardware_sim.rfid import RfidSerialSim
from hardware_sim.scanner import ScannerSim
from tests.factories import load_small_shop
from tests.scanners.conftest import device

Start = Callable[..., DeviceReader]
EPC = "3034257BF7194E4000001A85"


def _url(kind: str) -> str:
    return f"sim://{kind}-{uuid.uuid4().hex[:8]}"


def _on_hand(db: Database, part_no: str) -> int:
    with db.reading() as s:
        return int(
            s.scalar(
                select(StockLevel.qty)
                .join(Part, Part.id == StockLevel.part_id)
                .where(Part.part_no == part_no, StockLevel.location_id == 1)
            )
            or 0
        )


def test_a_scan_on_a_sim_url_moves_stock_and_is_acked(db: Database, cfg: Config, running: Start) -> None:
    """GIVEN the small shop and a scanner simulated in-process at sim://
    WHEN a technician scans badge, job and a part through floor's serial reader
    THEN the part is issued to the job (stock down by one) and each scan is answered with ACK."""
    load_small_shop(db)
    service = ScanService(cfg, db)
    before = _on_hand(db, "OF-100")
    with ScannerSim(_url("scanner")) as sim:
        running(SerialScannerReader(device(sim.path), service))
        assert sim.wait_host(2.0)
        answers = [sim.scan_and_wait(text) for text in ("U:T001", "WO:1001", "P:OF-100")]
        assert answers == [b"\x06"] * 3
        assert sim.scan_and_wait("P:NO-SUCH-PART") == b"\x15"
    assert _on_hand(db, "OF-100") == before - 1


def test_unknown_sim_url_keeps_retrying_with_a_clear_error(sink: MemorySink, running: Start) -> None:
    """GIVEN a config naming a simulator that does not exist in this process
    WHEN the reader starts
    THEN it stays reconnecting and its last error says what is missing."""
    reader = running(SerialScannerReader(device("sim://not-here"), sink), wait=False)
    assert reader.wait_state(ReaderState.RECONNECTING, 2.0)
    assert "no simulated device sim://not-here" in (reader.status().last_error or "")


def test_urls_are_case_and_slash_insensitive_and_names_unique() -> None:
    """SIM://Name/ opens sim://name; a second simulator of the same name is refused."""
    name = uuid.uuid4().hex[:8]
    with ScannerSim(f"sim://scan-{name}") as sim:
        port = serial.serial_for_url(f"SIM://Scan-{name}/", timeout=0.5)
        sim.scan("L:A-01-01")
        assert port.read(10) == b"L:A-01-01\r"
        port.close()
        with pytest.raises(ValueError, match="already exists"):
            ScannerSim(f"sim://scan-{name}")


def test_a_handle_from_before_an_unplug_stays_dead_after_the_replug() -> None:
    """GIVEN a port opened before the device was unplugged and plugged again
    THEN the old handle fails (as an old fd on a re-created /dev node does) and a new open works."""
    with ScannerSim(_url("scanner")) as sim:
        old = serial.serial_for_url(sim.path, timeout=0.1)
        sim.replug()
        with pytest.raises(serial.SerialException, match="disconnected"):
            old.read(1)
        new = serial.serial_for_url(sim.path, timeout=0.5)
        sim.scan("P:1")
        assert new.read(4) == b"P:1\r"
        new.write(b"\x06")
        assert sim.wait_received(1) == b"\x06"


def test_rfid_reader_on_a_sim_url_folds_repeats(sink: MemorySink, running: Start) -> None:
    """GIVEN a line-mode RFID reader simulated at sim://
    WHEN one tag is read 30 times in its window
    THEN the service receives it once."""
    with RfidSerialSim(_url("rfid")) as sim:
        reader = running(RfidSerialReader(device(sim.path, kind="rfid-reader", name="cabinet"), sink))
        assert sim.wait_host(2.0)
        sim.read(EPC, 1, -55.0, times=30)
        assert sink.wait_count(1)
        assert sink.texts() == [EPC]
        assert reader.tags.reads == 30


def test_printer_on_a_sim_url_prints_answers_status_and_goes_silent_without_paper() -> None:
    """GIVEN a ZPL printer simulated at sim://, reached through floor's label transport
    WHEN a label is sent and ~HS asked, then the paper runs out
    THEN the label prints, the status parses, and once out of paper ~HS gets no answer at all."""
    with RunningPrinter(pty=True, tcp_port=None, link=_url("printer")) as sim:
        transport = open_transport(sim.pty_path or "")
        try:
            transport.write(b"^XA^FO20,20^FDhello^FS^XZ")
            transport.write(b"~HS")
            status = parse_host_status(transport.read_until_frames(3, 2.0))
            assert not status.paper_out and not status.head_open
            assert len(sim.printer.wait_printed(1, 2.0)) == 1
            sim.printer.set_fault(paper_out=True)
            transport.write(b"~HS")
            assert transport.read_until_frames(3, 0.3) == b""
        finally:
            transport.close()
