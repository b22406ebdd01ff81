"""The device manager builds one reader per configured device and runs them together."""

from __future__ import annotations

from floor.config import parse_config
from floor.scanners.base import ReaderState
from floor.scanners.manager import DeviceManager
from floor.scanners.memory_sink import MemorySink
from floor.scanners.rfid import RfidSerialReader
from floor.scanners.rfid_stream import RfidStreamReader
from hardware_sim.rfid import RfidSerialSim
from hardware_sim.scanner import ScannerSim


def test_manager_runs_every_device_and_reports_states() -> None:
    """GIVEN a config with a serial scanner, a line-mode RFID reader and an HTTP RFID reader on another station
    WHEN the manager for station counter-1 starts and each simulator sends one read
    THEN the two counter-1 readers connect and deliver, the other station's reader is not built."""
    sink = MemorySink()
    with ScannerSim() as scanner, RfidSerialSim() as rfid:
        cfg = parse_config(
            {
                "stations": [{"name": "counter-1"}, {"name": "board"}],
                "devices": [
                    {"name": "s1", "kind": "serial-scanner", "url": scanner.path, "station": "counter-1"},
                    {"name": "r1", "kind": "rfid-reader", "url": rfid.path, "station": "counter-1"},
                    {"name": "r2", "kind": "rfid-reader", "url": "http://127.0.0.1:9/s", "station": "board"},
                ],
            }
        )
        with DeviceManager(cfg, sink, stations=["counter-1"]) as manager:
            assert isinstance(manager.readers["r1"], RfidSerialReader)
            assert "r2" not in manager.readers
            for reader in manager.readers.values():
                assert reader.wait_state(ReaderState.CONNECTED, 3.0)
            scanner.scan("WO:1001")
            rfid.read("3034257BF7194E4000001A85", 1, -50.0)
            assert sink.wait_count(2)
            states = {s.name: s for s in manager.states()}
            assert states["s1"].scans == 1 and states["r1"].scans == 1
            assert manager.sightings.last("3034257BF7194E4000001A85") is not None
        assert all(s.state is ReaderState.STOPPED for s in manager.states())
    full = DeviceManager(cfg, sink)
    assert isinstance(full.readers["r2"], RfidStreamReader)
