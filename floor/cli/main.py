"""The `floor` command line: init, import, serve, demo, sim, devices, gateway, labels, bench."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from floor.cli.support import load_cli_config
from floor.config import Config


def _load(config_path: str | None, instance: str | None = None) -> Config:
    cfg = load_cli_config(config_path, instance)
    assert cfg is not None  # required=True raises instead
    return cfg


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    """floor: barcode/RFID parts store and workshop floor."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not verbose:  # migrations say what they do at INFO on every start; only problems matter here
        logging.getLogger("alembic").setLevel(logging.WARNING)


@main.command()
@click.option("--instance", default="instance", show_default=True, help="Instance folder to create.")
def init(instance: str) -> None:
    """Create the instance folder, a commented floor.toml and the database."""
    from floor.cli.instance_files import write_private_config
    from floor.db import Database
    from floor.db.migrate import upgrade

    folder = Path(instance)
    folder.mkdir(parents=True, exist_ok=True)
    cfg_path = folder / "floor.toml"
    if cfg_path.exists():
        click.echo(f"keeping existing {cfg_path}")
    else:
        write_private_config(cfg_path, (Path(__file__).parent / "sample_config.toml").read_text(encoding="utf-8"))
        click.echo(f"wrote {cfg_path} (mode 0600: it holds the API tokens and the session key)")
    cfg = _load(str(cfg_path))
    db = Database.from_config(cfg)
    try:
        changed = upgrade(db.engine)
    except Exception as exc:  # an unreachable PostgreSQL, a read-only folder: say so plainly
        raise click.ClickException(f"cannot prepare the database {cfg.database_url}: {exc}") from None
    finally:
        db.dispose()
    click.echo(("created" if changed else "checked") + f" database {cfg.database_url}")


@main.command("import")
@click.argument("kind", required=False)  # checked by floor.imports against its kinds (one list: iter_kinds)
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option(
    "--chunk-rows",
    type=click.IntRange(1, 100000),
    default=None,
    help="Rows per transaction of a parts import (default: sized to about 20 ms each).",
)
@click.option(
    "--keep-stopped",
    is_flag=True,
    help="Keep what a stopped import wrote when it cannot be taken back (import_in_use), instead of importing.",
)
def import_(
    kind: str | None, file: str | None, config_path: str | None, chunk_rows: int | None, keep_stopped: bool
) -> None:
    """Import a CSV file of KIND (locations, parts, users, stock, customers, vehicles, operations, workorders).

    All or nothing, errors named by line. A parts file is written in short chunks, so scans go on while it imports; if the import fails or
    is stopped, what it wrote is taken back (at once, or by the next import or `floor serve`), unless a part it made
    is in use since (import_in_use): then `--keep-stopped` keeps what it wrote, and the file is imported again.
    """
    from floor.config.settings import vin_check_digit
    from floor.core import messages
    from floor.db import Database
    from floor.db.migrate import upgrade
    from floor.imports import CsvFormatError, ImportBusy, import_csv
    from floor.imports import keep_stopped as keep

    cfg = _load(config_path)
    db = Database.from_config(cfg)
    upgrade(db.engine)
    if keep_stopped:
        try:
            kept = keep(db)
        finally:
            db.dispose()
        click.echo(f"kept what import(s) {', '.join(map(str, kept))} wrote" if kept else "no stopped import to keep")
        return
    if kind is None or file is None:
        db.dispose()
        raise click.UsageError("give KIND and FILE (or --keep-stopped)")
    data = Path(file).read_bytes()
    bar_state: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        bar = bar_state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=f"importing {kind}", file=sys.stderr)
            bar.__enter__()
            bar_state["bar"] = bar
        bar.update(done - bar.pos)  # type: ignore[attr-defined]

    try:
        report = import_csv(
            db,
            kind,
            data,
            progress,
            cfg.timezone,
            vin_check_digit=vin_check_digit(cfg),
            filename=Path(file).name,
            chunk_rows=chunk_rows,
        )
    except CsvFormatError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except ImportBusy as exc:
        raise click.ClickException(messages.render(exc.code, exc.params)[0]) from None
    finally:
        if "bar" in bar_state:
            bar_state["bar"].__exit__(None, None, None)  # type: ignore[attr-defined]
        db.dispose()
    if not report.ok:
        for err in report.errors:
            click.echo(f"{file}: {err}", err=True)
        raise click.ClickException(f"nothing imported: {len(report.errors)} error(s); fix them and import again")
    click.echo(f"imported {report.rows} {kind} row(s) from {file}")


@main.command()
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--host", default=None, help="Listen address (default from config).")
@click.option("--port", type=int, default=None, help="Port (default from config).")
def serve(config_path: str | None, host: str | None, port: int | None) -> None:
    """Run the web UI, the API and every configured device reader."""
    from floor.service.runtime import Runtime

    cfg = _load(config_path)
    rt = Runtime(cfg)
    rt.start_background()
    click.echo(f"floor serving on http://{host or cfg.host}:{port or cfg.port}/kiosk/")
    try:
        rt.serve(host or cfg.host, port or cfg.port)
    except OSError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--port", type=int, default=8000, show_default=True, help="Port for the web UI.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address.")
@click.option("--dir", "folder", default="floor-demo", show_default=True, help="Folder for the demo database.")
@click.option("--fresh/--keep", default=True, show_default=True, help="Start from new sample data.")
@click.option("--seconds", type=float, default=None, help="Stop after this long (default: until Ctrl-C).")
@click.option(
    "--history-days",
    type=click.IntRange(0, 730),
    default=365,
    show_default=True,
    help="Days of simulated history built first (with --fresh), so the reports show a working shop.",
)
def demo(port: int, host: str, folder: str, fresh: bool, seconds: float | None, history_days: int) -> None:
    """One command: SQLite, sample data, a year of history, simulated scanners/reader/printer producing activity."""
    from floor.demo.run import run_demo

    run_demo(Path(folder), host, port, fresh, seconds, history_days)


@main.group()
def sim() -> None:
    """Run one simulated device on a pty and print its path."""


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object of figures.")
@click.option("--only", multiple=True, help="Run only these benchmark areas (e.g. core, labels).")
@click.option("--quick", is_flag=True, help="Smaller data sets, for a smoke run.")
def bench(as_json: bool, only: tuple[str, ...], quick: bool) -> None:
    """Run the benchmark suite; --json prints one JSON object of figures.

    Exits 1 when an area failed (its `<area>_error` is printed with the other areas' figures),
    so a broken benchmark cannot pass unnoticed as a run that printed something.
    """
    from floor.bench import areas, failed_areas, run_all

    unknown = sorted(set(only) - set(areas()))
    if unknown:
        raise click.BadParameter(
            f"no area {', '.join(unknown)}; the areas are {', '.join(areas())}", param_hint="--only"
        )

    def note(msg: str) -> None:
        click.echo(msg, err=True)

    figures = run_all(only=list(only) or None, quick=quick, progress=note)
    if as_json:
        click.echo(json.dumps(figures, indent=2, sort_keys=True, default=str))
    else:
        for key in sorted(figures):
            click.echo(f"{key:48} {figures[key]}")
    failed = failed_areas(figures)
    if failed:
        click.echo(f"bench: failed areas: {', '.join(failed)} (see their _error figures)", err=True)
        sys.exit(1)


def _register_feature_commands() -> None:
    # The feature commands (floor/cli/<feature>.py) and the simulators' (hardware_sim).
    from floor.cli.decode import decode_command
    from floor.cli.devices import devices_command, gateway_command
    from floor.cli.docs import docs_command
    from floor.cli.kiosk import kiosk
    from floor.cli.labels import labels
    from floor.cli.users import users
    from hardware_sim.cli import rfid_command, scanner_command
    from hardware_sim.cli_printer import printer

    main.add_command(devices_command, "devices")
    main.add_command(gateway_command, "gateway")
    main.add_command(labels, "labels")
    main.add_command(kiosk, "kiosk")
    main.add_command(decode_command, "decode")
    main.add_command(users, "users")
    main.add_command(docs_command, "docs")
    sim.add_command(scanner_command, "scanner")
    sim.add_command(rfid_command, "rfid")
    sim.add_command(printer, "printer")


_register_feature_commands()

if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
