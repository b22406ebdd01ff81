"""`floor labels render|print` and `floor sim printer` through click's runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from floor.cli.labels import labels
from floor.db import Database
from floor.models import PrintJob
from hardware_sim.printer import RunningPrinter
from tests.labels.helpers import decode_zxing, png_image, zpl_images
from tests.waiting import wait_for


def write_config(tmp_path: Path, db: Database, printers: dict[str, str]) -> Path:
    """A floor.toml naming the test database and the given printers."""
    lines = [f'[database]\nurl = "{db.url}"\n']
    for name, url in printers.items():
        lines.append(f'[[printers]]\nname = "{name}"\nurl = "{url}"\ntimeout = 0.5\n')
    path = tmp_path / "floor.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_render_zpl_to_stdout(labels_db: Database, tmp_path: Path) -> None:
    """GIVEN a part WHEN rendered as ZPL without --out THEN stdout is its ZPL and it decodes to P:OF-100."""
    conf = write_config(tmp_path, labels_db, {})
    result = CliRunner().invoke(labels, ["--config", str(conf), "render", "part", "OF-100"])
    assert result.exit_code == 0, result.output
    assert decode_zxing(zpl_images(result.output)[0]) == ["P:OF-100"]


def test_render_png_files_and_sheet(labels_db: Database, tmp_path: Path) -> None:
    """GIVEN two bins WHEN rendered as PNG into a folder, and as an A4 sheet THEN the files exist and decode."""
    conf = write_config(tmp_path, labels_db, {})
    out = tmp_path / "out"
    runner = CliRunner()
    r = runner.invoke(
        labels, ["--config", str(conf), "render", "bin", "A-01-01", "L:B-02-01", "--format", "png", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert decode_zxing(png_image((out / "bin-L_B-02-01.png").read_bytes())) == ["L:B-02-01"]
    r = runner.invoke(
        labels,
        ["--config", str(conf), "render", "bin", "A-01-01", "B-02-01", "--format", "svg", "--sheet", "--out", str(out)],
    )
    assert r.exit_code == 0 and (out / "bin-sheet-1.svg").read_text().startswith("<svg")


def test_render_unknown_id_fails_clearly(labels_db: Database, tmp_path: Path) -> None:
    """GIVEN an unknown work order WHEN rendered THEN exit code 1 and the error names it."""
    conf = write_config(tmp_path, labels_db, {})
    r = CliRunner().invoke(labels, ["--config", str(conf), "render", "wo", "9999"])
    assert r.exit_code == 1 and "no wo '9999'" in r.output


def test_print_sends_now(labels_db: Database, sim: RunningPrinter, tmp_path: Path) -> None:
    """GIVEN the simulated printer configured WHEN two badges are printed THEN both arrive once, jobs printed."""
    conf = write_config(tmp_path, labels_db, {"sim": sim.pty_path or ""})
    r = CliRunner().invoke(labels, ["--config", str(conf), "print", "badge", "T001", "T088"])
    assert r.exit_code == 0, r.output
    assert "sent 2 of 2" in r.output
    with labels_db.reading() as s:
        jobs = s.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        assert [j.status for j in jobs] == ["printed", "printed"]
        assert sim.printer.received == [j.payload.strip().encode() for j in jobs]


def test_print_to_faulted_printer_keeps_jobs(labels_db: Database, sim: RunningPrinter, tmp_path: Path) -> None:
    """GIVEN a head-open printer WHEN a zone is printed with a short timeout THEN exit 1, the jobs stay queued."""
    sim.printer.set_fault(head_open=True)
    conf = write_config(tmp_path, labels_db, {"sim": sim.tcp_url or ""})
    r = CliRunner().invoke(labels, ["--config", str(conf), "print", "bin", "--zone", "A", "--timeout", "1"])
    assert r.exit_code == 1 and "still queued" in r.output
    with labels_db.reading() as s:
        assert [j.status for j in s.scalars(select(PrintJob))] == ["queued", "queued"]
    assert sim.printer.printed == []


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["print", "part", "OF-100", "--printer", "ghost"], "unknown printer"),
        (["print", "part", "--no-wait"], "at least one ID"),
        (["print", "part", "OF-100", "--zone", "A"], "--zone goes with KIND bin"),
        (["render", "pallet", "1"], "Invalid value"),
    ],
)
def test_cli_bad_input(labels_db: Database, tmp_path: Path, args: list[str], fragment: str) -> None:
    """GIVEN a bad printer, kind or option mix WHEN run THEN a non-zero exit with a clear message."""
    conf = write_config(tmp_path, labels_db, {"only": "tcp://127.0.0.1:1"})
    r = CliRunner().invoke(labels, ["--config", str(conf), *args])
    assert r.exit_code != 0 and fragment in r.output


def test_sim_printer_command_prints_its_pty(tmp_path: Path) -> None:
    """GIVEN `floor sim printer` as a process WHEN started THEN its printed pty takes a label; Ctrl-C stops it."""
    code = "from hardware_sim.cli_printer import printer; printer()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--save", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("pty: ")
        from floor.labels.transport import open_transport

        t = open_transport(line[5:], {"timeout": 1})
        t.write(b"^XA^FDhi^FS^XZ")
        t.close()
        saved = tmp_path / "out" / "label-00001.zpl"
        assert wait_for(saved.exists, 5)
        assert saved.read_bytes() == b"^XA^FDhi^FS^XZ"
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == 0
