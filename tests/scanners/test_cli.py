"""The device commands: `floor sim scanner` in a real subprocess, and `floor devices`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from floor.cli.devices import devices_command
from floor.scanners.base import ReaderState
from floor.scanners.memory_sink import MemorySink
from floor.scanners.serial_scanner import SerialScannerReader
from hardware_sim.scanner import ScannerSim
from tests.scanners.conftest import device


def test_sim_scanner_command_prints_path_and_scans_into_a_reader(tmp_path: Path, sink: MemorySink) -> None:
    """GIVEN `sim scanner --scan WO:1001 --scan P:OIL` started as its own process
    WHEN a reader opens the path it printed
    THEN both scans arrive in order and the simulator sees the ACKs."""
    link = tmp_path / "scanner"
    code = "from hardware_sim.cli import scanner_command; scanner_command()"
    cmd = [
        sys.executable,
        "-c",
        code,
        "--link",
        str(link),
        "--scan",
        "WO:1001",
        "--scan",
        "P:OIL",
        "--interval",
        "0.05",
    ]
    with subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ) as proc:
        assert proc.stdout is not None
        printed = proc.stdout.readline().strip()
        reader = SerialScannerReader(device(str(link)), sink)
        reader.start()
        try:
            connected = reader.wait_state(ReaderState.CONNECTED, 3.0)
            sink.wait_count(2, 5.0)
        finally:
            reader.stop()
            proc.terminate()
    assert printed == str(link)
    assert connected
    assert sink.texts() == ["WO:1001", "P:OIL"]


def test_devices_command_probes_configured_devices(tmp_path: Path) -> None:
    """GIVEN a config with a plugged simulated scanner and an absent one
    WHEN `floor devices --json` runs with no server answering
    THEN the first is present, the second absent, each with its kind and station."""
    with ScannerSim() as sim:
        cfg = tmp_path / "floor.toml"
        cfg.write_text(f"""
[server]
port = 9
[[stations]]
name = "counter-1"
[[devices]]
name = "here"
kind = "serial-scanner"
url = "{sim.path}"
station = "counter-1"
[[devices]]
name = "gone"
kind = "rfid-reader"
url = "{tmp_path / "nothing"}"
station = "counter-1"
""")
        result = CliRunner().invoke(devices_command, ["--config", str(cfg), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    rows = {r["name"]: r for r in doc["configured"]}
    assert rows["here"]["present"] is True and rows["here"]["kind"] == "serial-scanner"
    assert rows["gone"]["present"] is False and rows["gone"]["station"] == "counter-1"
    assert doc["server_running"] is False
