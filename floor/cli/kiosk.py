"""`floor kiosk enrol STATION`: print a one-time URL that binds a browser to a station."""

from __future__ import annotations

import click

from floor.cli.support import load_cli_config
from floor.config import ConfigError


@click.group("kiosk")
def kiosk() -> None:
    """Kiosk browsers: enrol one as a station."""


@kiosk.command("enrol")
@click.argument("station")
@click.option("--config", "config_path", default=None, help="Config file.")
@click.option("--base-url", default=None, help="How browsers reach floor, e.g. http://floor.local:8000.")
def enrol(station: str, config_path: str | None, base_url: str | None) -> None:
    """Print a one-time, expiring URL; opening it in a browser makes that browser STATION's kiosk."""
    from floor.core import enrolment
    from floor.core.audit import record
    from floor.db import Database
    from floor.db.migrate import upgrade

    cfg = load_cli_config(config_path, None)
    assert cfg is not None
    try:
        cfg.station(station)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    db = Database.from_config(cfg)
    try:
        upgrade(db.engine)
        with db.writing() as s:
            token = enrolment.issue(s, station, cfg.kiosk.enrol_ttl_s, created_by="cli")
            record(s, "cli", "kiosk.enrol_issued", station, ttl_s=cfg.kiosk.enrol_ttl_s)
    finally:
        db.dispose()
    base = (base_url or cfg.kiosk.base_url or f"http://{cfg.host}:{cfg.port}").rstrip("/")
    hours = cfg.kiosk.enrol_ttl_s / 3600
    click.echo(f"{base}/kiosk/enrol/{token}")
    click.echo(f"Open it once in the kiosk browser of {station} within {hours:g} h; it then stops working.", err=True)
