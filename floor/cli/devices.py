"""`floor devices` and `floor gateway`: registered on the main `floor` command by floor/cli/main.py."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import urllib.request
from typing import Any, cast

import click

from floor.cli.support import load_cli_config
from floor.config import Config, DeviceConfig
from floor.scanners.discovery import attached_devices
from floor.scanners.probe import probe


def _load(config: str | None, required: bool) -> Config | None:
    return load_cli_config(config, required=required)


def _live_states(cfg: Config) -> dict[str, dict[str, Any]] | None:
    """Reader states from a running `floor serve` (GET /api/devices), if one answers."""
    host = "127.0.0.1" if cfg.host in ("0.0.0.0", "::") else cfg.host
    try:
        with urllib.request.urlopen(f"http://{host}:{cfg.port}/api/devices", timeout=1.0) as resp:
            doc = json.loads(resp.read())
    except (OSError, ValueError):
        return None
    items = doc.get("devices", []) if isinstance(doc, dict) else []
    return {d["name"]: d for d in items if isinstance(d, dict) and "name" in d}


def _server_quarantines(cfg: Config) -> list[dict[str, Any]]:
    """Batches gateways reported as quarantined to a running `floor serve` (GET /api/gateway/alerts)."""
    host = "127.0.0.1" if cfg.host in ("0.0.0.0", "::") else cfg.host
    try:
        with urllib.request.urlopen(f"http://{host}:{cfg.port}/api/gateway/alerts", timeout=1.0) as resp:
            doc = json.loads(resp.read())
    except (OSError, ValueError):
        return []
    items = doc.get("alerts", []) if isinstance(doc, dict) else []
    return [a for a in items if isinstance(a, dict)]


def _outbox_quarantines(path: str | None) -> list[dict[str, Any]]:
    """Batches this machine's gateway outbox quarantined (read-only look at the file)."""
    if not path or not os.path.exists(path):
        return []
    from floor.scanners.outbox import Outbox

    box = Outbox(path)
    try:
        return box.quarantined()
    finally:
        box.close()


@click.command("devices")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (floor.toml).")
@click.option("--all-usb", is_flag=True, help="List every USB device node, not only known vendors.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--outbox",
    type=click.Path(dir_okay=False),
    default="floor-outbox.db",
    show_default=True,
    help="A gateway's outbox file: its quarantined batches are listed (when the file exists).",
)
def devices_command(config_path: str | None, all_usb: bool, as_json: bool, outbox: str | None) -> None:
    """Configured devices with their state, attached ones found through udev, and quarantined batches."""
    cfg = _load(config_path, required=False)
    configured: list[dict[str, Any]] = []
    live = _live_states(cfg) if cfg else None
    for dev in cfg.devices.values() if cfg else []:
        present, detail = probe(dev)
        row: dict[str, Any] = {
            "name": dev.name,
            "kind": dev.kind,
            "url": dev.url,
            "station": dev.station,
            "present": present,
            "detail": detail,
        }
        if live is not None and dev.name in live:
            row.update({k: live[dev.name].get(k) for k in ("state", "last_error", "scans", "rejected")})
        configured.append(row)
    attached = [a.to_json() for a in attached_devices(all_usb)]
    quarantined = _outbox_quarantines(outbox) + (_server_quarantines(cfg) if cfg and live is not None else [])
    if as_json:
        click.echo(
            json.dumps(
                {
                    "configured": configured,
                    "attached": attached,
                    "server_running": live is not None,
                    "quarantined": quarantined,
                }
            )
        )
        return
    for q in quarantined:
        # First, so it is seen: scans the server refused for good are not in the books.
        click.echo(
            f"ALERT: {q['scans']} scans of {q['device']} (seq {q['first_seq']}-{q['last_seq']}) quarantined: "
            f"the server refused them: {q['error']}"
        )
    click.echo("Configured devices" + ("" if cfg else " (no config found)") + ":")
    for row in configured:
        state = row.get("state") or ("present" if row["present"] else "absent")
        extra = f" scans={row['scans']}" if "scans" in row else ""
        err = f" error: {row['last_error']}" if row.get("last_error") else ""
        click.echo(f"  {row['name']:<20} {row['kind']:<15} {state:<13} {row['url']} ({row['detail']}){extra}{err}")
    if cfg and live is None:
        click.echo("  (no running `floor serve` answered: states are from a quick probe)")
    click.echo("Attached (udev):")
    for a in attached:
        click.echo(
            f"  {a['node']:<22} {a['role']:<15} {a['vendor']} {a['model']} {a['serial']}"
            f"{'  -> ' + ', '.join(cast(list[str], a['links'])) if a['links'] else ''}"
        )
    if not attached:
        click.echo("  none found")


@click.command("gateway")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (floor.toml).")
@click.option("--server", required=True, help="Base URL of the floor server, e.g. http://floor:8000.")
@click.option("--token", envvar="FLOOR_TOKEN", default=None, help="API token (Bearer); or FLOOR_TOKEN.")
@click.option("--station", "stations", multiple=True, help="Run the devices of this station (repeatable; default all).")
@click.option(
    "--device-url",
    "device_urls",
    multiple=True,
    help="Run only devices with this URL (repeatable; symlinks are resolved), as udev's unit does.",
)
@click.option(
    "--outbox",
    type=click.Path(dir_okay=False),
    default="floor-outbox.db",
    show_default=True,
    help="SQLite outbox file; keep it: it holds scans not yet delivered.",
)
@click.option(
    "--result-wait",
    type=float,
    default=0.5,
    show_default=True,
    help="Seconds to wait for the server's result before ACKing a scan as stored.",
)
def gateway_command(
    config_path: str | None,
    server: str,
    token: str | None,
    stations: tuple[str, ...],
    device_urls: tuple[str, ...],
    outbox: str,
    result_wait: float,
) -> None:
    """Run device readers against a remote floor server through a durable local outbox."""
    from floor.scanners.gateway import GatewaySink
    from floor.scanners.manager import DeviceManager

    cfg = _load(config_path, required=True)
    assert cfg is not None
    for st in stations:
        cfg.station(st)  # unknown station: a clear ConfigError
    wanted = {os.path.realpath(u) for u in device_urls}

    def select(dev: DeviceConfig) -> bool:
        return not wanted or os.path.realpath(dev.url) in wanted or dev.url in device_urls

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sink = GatewaySink(outbox, server, token, result_wait_s=result_wait)
    manager = DeviceManager(cfg, sink, stations=stations or None, select=select)
    if not manager.readers:
        raise click.ClickException("no configured device matches --station/--device-url")
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    sink.start()
    manager.start()
    click.echo(f"gateway: {len(manager.readers)} device(s) -> {sink.url}, outbox {outbox}; Ctrl-C to stop")
    try:
        while not done.wait(30.0):
            logging.getLogger("floor.gateway").info("outbox: %s", sink.status())
    except KeyboardInterrupt:
        pass
    finally:
        manager.stop()
        sink.stop()
        click.echo(f"gateway stopped; outbox: {sink.status()}")
