"""From parsed TOML to a `Config`: every name is checked first (`known_keys`), then each table's values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from floor.config.known_keys import check_known_keys
from floor.config.model import (
    DEVICE_KINDS,
    STATION_KINDS,
    TERMINATORS,
    Config,
    ConfigError,
    DeviceConfig,
    KioskConfig,
    PrinterConfig,
    StationConfig,
)
from floor.config.roles import parse_roles, parse_tokens
from floor.config.settings import aftersales_settings


def parse_config(data: dict[str, Any], path: Path | None = None, base_dir: Path | None = None) -> Config:
    """Build a Config from parsed TOML, checking every name and value."""
    check_known_keys(data)
    cfg = Config(path=path, raw=data)
    _parse_database(cfg, data.get("database", {}), base_dir)
    _parse_server(cfg, data.get("server", {}))
    _parse_timezone(cfg, data.get("site", {}))
    parse_tokens(cfg, data.get("api", {}).get("tokens", []))
    parse_roles(cfg, data.get("roles", {}))
    _parse_kiosk(cfg, data.get("kiosk", {}))
    _parse_delivery(cfg, data)
    _parse_stations(cfg, data.get("stations", []))
    _parse_printers(cfg, data.get("printers", []))
    _parse_devices(cfg, data.get("devices", []))
    for st in cfg.stations.values():
        if st.printer and st.printer not in cfg.printers:
            raise ConfigError(f"station {st.name!r}: printer {st.printer!r} is not configured under [[printers]]")
    _check_requisition(data.get("requisition", {}))
    # a bad after-sales value fails at start-up, not at the first call; the scan path reads the return window
    cfg.returns_days = aftersales_settings(cfg).returns_days
    return cfg


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: missing required key {key!r}")
    return table[key]


def _parse_database(cfg: Config, db: dict[str, Any], base_dir: Path | None) -> None:
    """`[database]`: the URL (a relative SQLite path is the config file's) and SQLite's synchronous level."""
    url = str(db.get("url", cfg.database_url))
    # A relative SQLite path is taken relative to the config file, not the cwd,
    # so `floor serve --config /etc/floor/floor.toml` finds the same database.
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and base_dir is not None:
        rel = url[len("sqlite:///") :]
        if rel and rel != ":memory:":
            url = "sqlite:///" + str((base_dir / rel).resolve())
    cfg.database_url = url
    sync = str(db.get("sqlite_synchronous", cfg.sqlite_synchronous)).upper()
    if sync not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ConfigError(f"[database] sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA, not {sync!r}")
    cfg.sqlite_synchronous = sync


def _parse_server(cfg: Config, server: dict[str, Any]) -> None:
    """`[server]`: host, port and the key that signs kiosk sessions."""
    cfg.host = str(server.get("host", cfg.host))
    try:
        cfg.port = int(server.get("port", cfg.port))
    except (TypeError, ValueError):
        raise ConfigError(f"[server] port must be a number, not {server.get('port')!r}") from None
    cfg.secret_key = server.get("secret_key")


def _parse_timezone(cfg: Config, site: dict[str, Any]) -> None:
    """`[site] timezone`: a known IANA zone."""
    tz = str(site.get("timezone", "UTC"))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'[site] timezone {tz!r} is not a known time zone, e.g. "Asia/Shanghai"') from None
    cfg.timezone = tz


def _parse_kiosk(cfg: Config, table: Any) -> None:
    if not isinstance(table, dict):
        raise ConfigError("[kiosk] must be a table")
    enrol = table.get("require_enrolment", False)
    if not isinstance(enrol, bool):
        raise ConfigError(f"[kiosk] require_enrolment must be true or false, not {enrol!r}")
    ttl = table.get("enrol_ttl_s", KioskConfig.enrol_ttl_s)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or not 60 <= ttl <= 30 * 24 * 3600:
        raise ConfigError(f"[kiosk] enrol_ttl_s must be whole seconds between 60 and 2592000, not {ttl!r}")
    base = table.get("base_url")
    cfg.kiosk = KioskConfig(enrol, ttl, str(base).rstrip("/") if base else None)


def _parse_delivery(cfg: Config, data: dict[str, Any]) -> None:
    """`[delivery]` and `[site] closing_time` (SPEC 9.4)."""
    delivery = data.get("delivery", {})
    req = delivery.get("require_signature", False)
    if not isinstance(req, bool):
        raise ConfigError("[delivery] require_signature must be true or false")
    cfg.require_signature = req
    printer = delivery.get("printer")
    cfg.delivery_printer = str(printer) if printer else None
    closing = str(data.get("site", {}).get("closing_time", cfg.closing_time))
    hh, _, mm = closing.partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60 and len(mm) == 2):
        raise ConfigError(f'[site] closing_time must be "HH:MM", e.g. "18:00", not {closing!r}')
    cfg.closing_time = f"{int(hh):02d}:{mm}"


def _parse_stations(cfg: Config, stations: list[dict[str, Any]]) -> None:
    """`[[stations]]`: each with a unique name and a known kind."""
    for i, st in enumerate(stations):
        where = f"[[stations]] #{i + 1}"
        name = str(_require(st, "name", where))
        kind = str(st.get("kind", "counter"))
        if kind not in STATION_KINDS:
            raise ConfigError(f"{where} ({name}): kind must be one of {', '.join(STATION_KINDS)}, not {kind!r}")
        if name in cfg.stations:
            raise ConfigError(f"{where}: station {name!r} is defined twice")
        cfg.stations[name] = StationConfig(
            name=name,
            kind=kind,
            default_location=st.get("default_location"),
            printer=st.get("printer"),
            require_badge=bool(st.get("require_badge", True)),
            idle_timeout_s=float(st.get("idle_timeout_s", 120)),
        )


def _parse_printers(cfg: Config, printers: list[dict[str, Any]]) -> None:
    """`[[printers]]`: a name and a URL; the other keys are the printer's options."""
    for i, pr in enumerate(printers):
        where = f"[[printers]] #{i + 1}"
        name = str(_require(pr, "name", where))
        cfg.printers[name] = PrinterConfig(
            name=name,
            url=str(_require(pr, "url", where)),
            options={k: v for k, v in pr.items() if k not in ("name", "url")},
        )


def _parse_devices(cfg: Config, devices: list[dict[str, Any]]) -> None:
    """`[[devices]]`: a known kind at a configured station; terminator and ACK/NAK bytes checked."""
    for i, dev in enumerate(devices):
        where = f"[[devices]] #{i + 1}"
        name = str(_require(dev, "name", where))
        kind = str(_require(dev, "kind", where))
        if kind not in DEVICE_KINDS:
            raise ConfigError(f"{where} ({name}): kind must be one of {', '.join(DEVICE_KINDS)}, not {kind!r}")
        station = str(_require(dev, "station", where))
        if station not in cfg.stations:
            raise ConfigError(f"{where} ({name}): station {station!r} is not configured under [[stations]]")
        term = str(dev.get("terminator", "CR")).upper()
        if term not in TERMINATORS:
            raise ConfigError(f"{where} ({name}): terminator must be CR, LF or CRLF, not {term!r}")
        for key in ("ack", "nak"):
            try:
                bytes.fromhex(str(dev.get(key, "")))
            except ValueError:
                raise ConfigError(
                    f'{where} ({name}): {key} must be hex bytes like "06", not {dev.get(key)!r}'
                ) from None
        cfg.devices[name] = DeviceConfig(
            name=name,
            kind=kind,
            url=str(_require(dev, "url", where)),
            station=station,
            options={k: v for k, v in dev.items() if k not in ("name", "kind", "url", "station")},
        )


def _check_requisition(table: dict[str, Any]) -> None:
    """`[requisition] approval_value`: an amount of money from 0 (read by the demand rules)."""
    limit = table.get("approval_value")
    if limit is not None:
        try:
            ok = not isinstance(limit, bool) and Decimal(str(limit)) >= 0
        except ArithmeticError:
            ok = False
        if not ok:
            raise ConfigError(f"[requisition] approval_value must be an amount of money from 0, not {limit!r}")
