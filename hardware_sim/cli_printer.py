"""`floor sim printer`: run a simulated ZPL printer on a pty (and optionally TCP) until Ctrl-C."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import click

from hardware_sim.printer import start_printer


@click.command("printer")
@click.option("--link", type=click.Path(), default=None, help="Symlink to create for the pty (default: a temp path).")
@click.option("--tcp", "tcp_port", type=int, default=None, help="Also listen on 127.0.0.1:PORT (0 = any free port).")
@click.option("--paper-out-after", type=int, default=None, help="Run out of paper after this many labels.")
@click.option(
    "--answer-delay",
    type=float,
    default=0.0,
    show_default=True,
    help="Answer ~HS this many seconds late (a busy printer).",
)
@click.option(
    "--save",
    "save_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write each printed label to DIR/label-N.zpl.",
)
def printer(
    link: str | None, tcp_port: int | None, paper_out_after: int | None, answer_delay: float, save_dir: str | None
) -> None:
    """Run a simulated ZPL label printer and print its pty path."""
    out = Path(save_dir) if save_dir else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    count = 0

    def on_print(fmt: bytes) -> None:
        nonlocal count
        count += 1
        if out:
            (out / f"label-{count:05d}.zpl").write_bytes(fmt)
        click.echo(f"printed label {count} ({len(fmt)} bytes)")

    # `kill` (SIGTERM) from a supervisor cleans up like Ctrl-C: the pty symlink goes away.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    sim = start_printer(pty=True, tcp_port=tcp_port, link=link, paper_out_after=paper_out_after, on_print=on_print)
    sim.printer.answer_delay_s = answer_delay
    click.echo(f"pty: {sim.pty_path}")
    if sim.tcp_url:
        click.echo(f"tcp: {sim.tcp_url}")
    click.echo("Ctrl-C to stop")
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
