"""`floor labels render|print KIND ID…`: labels to files or stdout, or through the print queue."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from floor.cli.support import load_cli_config
from floor.config import Config
from floor.labels.kinds import KINDS
from floor.labels.model import LabelError
from floor.labels.queue import ACTIVE
from floor.labels.service import FORMATS, enqueue_labels, enqueue_zone_bins, make_label, render, render_sheets
from floor.labels.worker import PrintWorker


def _config(ctx: click.Context, explicit: str | None) -> Config:
    obj = ctx.find_root().obj
    if explicit is None and isinstance(obj, Config):
        return obj
    cfg_obj = getattr(obj, "cfg", None)
    if explicit is None and isinstance(cfg_obj, Config):
        return cfg_obj
    cfg = load_cli_config(explicit)
    assert cfg is not None  # required: a missing config raises
    return cfg


def _database(cfg: Config) -> Any:
    from floor.db import Database

    return Database.from_config(cfg)


@click.group("labels")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="floor.toml (default: FLOOR_CONFIG, ./floor.toml, the instance folder).",
)
@click.pass_context
def labels(ctx: click.Context, config_path: str | None) -> None:
    """Render labels or print them on a configured label printer."""
    ctx.ensure_object(dict)
    ctx.meta["floor.labels.config"] = config_path


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


@labels.command("render")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="zpl", show_default=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write one file per label here (default: ZPL/SVG to stdout).",
)
@click.option("--sheet", is_flag=True, help="Lay the labels out on A4 sheets (png or svg).")
@click.pass_context
def render_cmd(ctx: click.Context, kind: str, ids: tuple[str, ...], fmt: str, out_dir: str | None, sheet: bool) -> None:
    """Render KIND labels for each ID as ZPL, PNG or SVG."""
    cfg = _config(ctx, ctx.meta.get("floor.labels.config"))
    db = _database(cfg)
    try:
        with db.reading() as s:
            if sheet:
                docs: list[bytes | str] = list(render_sheets(s, kind, list(ids), fmt))
                outputs = [(f"{kind}-sheet-{n + 1}.{fmt}", d) for n, d in enumerate(docs)]
            else:
                outputs = [(f"{kind}-{_safe(i)}.{fmt}", render(make_label(s, kind, i), fmt)) for i in ids]
    except LabelError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.dispose()
    if out_dir is None:
        if fmt == "png" and sys.stdout.isatty():
            raise click.ClickException("PNG is binary: give --out DIR")
        for _, data in outputs:
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)  # click.get_binary_stream("stdout") is this buffer (and deprecated)
            else:
                click.echo(data, nl=not data.endswith("\n"))
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in outputs:
        path = out / name
        path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
        click.echo(str(path))


def _default_printer(cfg: Config) -> str:
    if len(cfg.printers) == 1:
        return next(iter(cfg.printers))
    if not cfg.printers:
        raise click.ClickException("no [[printers]] in the config")
    raise click.ClickException(f"several printers configured; choose one with --printer: {', '.join(cfg.printers)}")


@labels.command("print")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("ids", nargs=-1)
@click.option("--printer", "printer_name", default=None, help="A [[printers]] name (default: the only one).")
@click.option("--zone", default=None, help="With KIND bin: every bin of this zone, as one batch.")
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Send the jobs now and wait for them (else leave them to `floor serve`).",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait with --wait.")
@click.pass_context
def print_cmd(
    ctx: click.Context,
    kind: str,
    ids: tuple[str, ...],
    printer_name: str | None,
    zone: str | None,
    wait: bool,
    timeout: float,
) -> None:
    """Queue KIND labels for each ID on a printer (and by default send them now)."""
    cfg = _config(ctx, ctx.meta.get("floor.labels.config"))
    printer_name = printer_name or _default_printer(cfg)
    if not ids and not zone:
        raise click.UsageError("give at least one ID (or --zone with bin)")
    if zone and kind != "bin":
        raise click.UsageError("--zone goes with KIND bin")
    db = _database(cfg)
    try:
        with db.writing() as s:
            jobs = (
                enqueue_zone_bins(s, printer_name, zone, cfg.printers)
                if zone
                else enqueue_labels(s, printer_name, kind, list(ids), printers=cfg.printers)
            )
            job_ids = [j.id for j in jobs]
        click.echo(f"queued {len(job_ids)} label(s) for {printer_name}: jobs {', '.join(map(str, job_ids))}")
        if wait:
            _drain(cfg, db, printer_name, job_ids, timeout)
    except LabelError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.dispose()


def _drain(cfg: Config, db: Any, printer_name: str, job_ids: list[int], timeout: float) -> None:
    from sqlalchemy import select

    from floor.models import PrintJob

    # recover=False: a running `floor serve` may own jobs in 'sending'; never touch those.
    worker = PrintWorker(cfg.printers[printer_name], db.write_session, recover=False)
    worker.start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            with db.reading() as s:
                rows = s.execute(
                    select(PrintJob.id, PrintJob.status, PrintJob.error).where(PrintJob.id.in_(job_ids))
                ).all()
            pending = [r for r in rows if r.status in ACTIVE]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        worker.stop()
    printed = sum(1 for r in rows if r.status == "printed")
    click.echo(f"sent {printed} of {len(job_ids)}")
    if pending:
        reason = pending[0].error or "printer busy"
        raise click.ClickException(f"{len(pending)} label(s) still queued ({reason}); they stay in the queue")
