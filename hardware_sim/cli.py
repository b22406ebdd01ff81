"""`floor sim scanner` and `floor sim rfid`: one simulated device on a pty (or HTTP), until Ctrl-C.

Type lines on stdin to send them. Lines starting with "!" inject faults:
  !unplug  !replug  !garbage  !overlong  !burst N  (scanner)   !drop (rfid HTTP stream)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import click

from hardware_sim.rfid import RfidSerialSim, TagStreamServer, run_reads
from hardware_sim.scanner import ScannerSim


def _stdin_loop(handle: Callable[[str], None]) -> None:
    """Feed stdin lines to `handle`; without a terminal, just wait for Ctrl-C."""
    try:
        if sys.stdin is None or not sys.stdin.isatty():
            threading.Event().wait()
        for line in sys.stdin:
            if line.strip():
                handle(line.rstrip("\r\n"))
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


@click.command("scanner")
@click.option("--link", type=click.Path(), default=None, help="Stable symlink path for the pty (default: temp dir).")
@click.option(
    "--terminator", type=click.Choice(["CR", "LF", "CRLF"], case_sensitive=False), default="CR", show_default=True
)
@click.option("--aim", default=None, help="AIM prefix to put before each scan, e.g. ]C0.")
@click.option("--scan", "scans", multiple=True, help="Scan to send once the host opens the port (repeatable).")
@click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between --scan scans.")
@click.option("--repeat", is_flag=True, help="Send the --scan list again and again.")
def scanner_command(
    link: str | None, terminator: str, aim: str | None, scans: tuple[str, ...], interval: float, repeat: bool
) -> None:
    """Run a simulated serial barcode scanner on a pty and print its path."""
    sim = ScannerSim(link, terminator, aim)
    click.echo(sim.path)
    click.echo(f"pty {sim.tty_name}; type a line to scan it; ACK/NAK bytes are shown", err=True)
    seen = 0

    def show_answers() -> None:
        nonlocal seen
        while True:
            data = sim.wait_received(seen + 1, timeout=1.0)
            if len(data) > seen:
                click.echo(f"<- {data[seen:].hex(' ')}", err=True)
                seen = len(data)

    def send_script() -> None:
        while True:
            if not sim.wait_host(3600):
                continue
            for text in scans:
                sim.scan(text)
                time.sleep(interval)
            if not repeat:
                return

    def handle(line: str) -> None:
        cmd, _, arg = line.partition(" ")
        try:
            if cmd == "!unplug":
                sim.unplug()
            elif cmd == "!replug":
                sim.replug()
            elif cmd == "!garbage":
                sim.garbage()
            elif cmd == "!overlong":
                sim.overlong(int(arg or 5000))
            elif cmd == "!burst":
                sim.burst([f"P:BURST-{i}" for i in range(int(arg or 20))])
            else:
                sim.scan(line)
        except OSError as exc:
            click.echo(f"!! {exc}", err=True)

    threading.Thread(target=show_answers, daemon=True).start()
    if scans:
        threading.Thread(target=send_script, daemon=True).start()
    try:
        _stdin_loop(handle)
    finally:
        sim.close()


@click.command("rfid")
@click.option("--link", type=click.Path(), default=None, help="Stable symlink path for the pty (default: temp dir).")
@click.option(
    "--http",
    "http_port",
    type=int,
    default=None,
    help="Serve the NDJSON tag-event stream on 127.0.0.1:PORT instead of a pty (0: any port).",
)
@click.option("--format", "fmt", type=click.Choice(["impinj", "zebra"]), default="impinj", show_default=True)
@click.option("--tag", "tags", multiple=True, help="EPC hex of a tag resting in the field (repeatable).")
@click.option("--rate", type=float, default=20.0, show_default=True, help="Raw reads per second of the --tag tags.")
def rfid_command(link: str | None, http_port: int | None, fmt: str, tags: tuple[str, ...], rate: float) -> None:
    """Run a simulated RFID reader (serial line mode on a pty, or an HTTP tag stream) and print its address."""
    sim: RfidSerialSim | TagStreamServer
    if http_port is not None:
        sim = TagStreamServer(http_port, fmt)
        click.echo(sim.url)
    else:
        sim = RfidSerialSim(link)
        click.echo(sim.path)
    click.echo("type EPC[,antenna[,rssi]] to read a tag once", err=True)

    def handle(line: str) -> None:
        if line == "!drop" and isinstance(sim, TagStreamServer):
            sim.drop_clients()
            return
        epc, *rest = [f.strip() for f in line.split(",")]
        antenna = int(rest[0]) if rest and rest[0] else 1
        rssi = float(rest[1]) if len(rest) > 1 and rest[1] else -55.0
        try:
            if isinstance(sim, TagStreamServer):
                sim.emit(epc, antenna, rssi)
            else:
                sim.read(epc, antenna, rssi)
        except OSError as exc:
            click.echo(f"!! {exc}", err=True)

    if tags:
        threading.Thread(target=lambda: run_reads(sim, list(tags), rate, float("inf")), daemon=True).start()
    try:
        _stdin_loop(handle)
    finally:
        sim.close()
