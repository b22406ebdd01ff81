"""Configuration: the TOML file of the contract, read into typed dataclasses."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STATION_KINDS = ("counter", "stocktake", "receiving", "kiosk", "keys")
DEVICE_KINDS = ("serial-scanner", "hid-scanner", "rfid-reader", "camera")
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


class ConfigError(ValueError):
    """The config file is missing, unreadable or names something impossible."""


@dataclass(frozen=True)
class StationConfig:
    """One scanning station: a counter, stocktake handheld, receiving dock or kiosk."""

    name: str
    kind: str = "counter"
    default_location: str | None = None
    printer: str | None = None
    require_badge: bool = True
    idle_timeout_s: float = 120.0


@dataclass(frozen=True)
class DeviceConfig:
    """One input device (scanner, reader, camera) addressed by URL."""

    name: str
    kind: str
    url: str
    station: str
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, key: str, default: Any = None) -> Any:
        """Return a device-specific option (baudrate, terminator, ack, ...)."""
        return self.options.get(key, default)


@dataclass(frozen=True)
class PrinterConfig:
    """A label printer addressed by URL (tcp://, pyserial URL or device file)."""

    name: str
    url: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApiToken:
    """One `[api] tokens` entry: a bare string is role `admin` on every station (full access)."""

    token: str
    role: str = "admin"
    stations: tuple[str, ...] = ()  # empty: every station

    def may_use_station(self, station: str) -> bool:
        """Whether this token may post scans for a station."""
        return not self.stations or station in self.stations


@dataclass(frozen=True)
class KioskConfig:
    """`[kiosk]`: whether a browser must be enrolled (`floor kiosk enrol`) before it may write."""

    require_enrolment: bool = False
    enrol_ttl_s: int = 24 * 3600
    base_url: str | None = None  # how `floor kiosk enrol` prints its URL; default http://host:port


@dataclass
class Config:
    """The whole configuration of one floor instance."""

    database_url: str = "sqlite:///floor.db"
    sqlite_synchronous: str = "FULL"
    host: str = "127.0.0.1"
    port: int = 8000
    api_tokens: list[str] = field(default_factory=list)
    token_roles: dict[str, ApiToken] = field(default_factory=dict)  # token text -> its role and stations
    roles: dict[str, list[str]] = field(default_factory=dict)  # `[roles]` overrides of the role table
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    secret_key: str | None = None
    timezone: str = "UTC"
    stations: dict[str, StationConfig] = field(default_factory=dict)
    devices: dict[str, DeviceConfig] = field(default_factory=dict)
    printers: dict[str, PrinterConfig] = field(default_factory=dict)
    # [delivery] require_signature: DELIVER needs the customer's signature; printer: where gate passes print.
    require_signature: bool = False
    delivery_printer: str | None = None
    # [site] closing_time "HH:MM" (site time zone): keys still out then are listed.
    closing_time: str = "18:00"
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def role_table(self) -> Any:
        """The role table in force: the defaults with this config's `[roles]` overrides (built once)."""
        from floor.core.authority import RoleTable

        cached = self.__dict__.get("_role_table")
        if cached is None or cached[0] != self.roles:  # rebuilt if `roles` changed after loading (tests)
            snapshot = {k: list(v) for k, v in self.roles.items()}
            cached = self.__dict__["_role_table"] = (snapshot, RoleTable.with_overrides(snapshot))
        return cached[1]

    def station(self, name: str) -> StationConfig:
        """Return the named station or raise ConfigError."""
        try:
            return self.stations[name]
        except KeyError:
            raise ConfigError(f"unknown station {name!r}; configured: {', '.join(self.stations) or 'none'}") from None


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: missing required key {key!r}")
    return table[key]


def parse_config(data: dict[str, Any], path: Path | None = None, base_dir: Path | None = None) -> Config:
    """Build a Config from parsed TOML, checking every name and value."""
    cfg = Config(path=path, raw=data)
    db = data.get("database", {})
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
    server = data.get("server", {})
    cfg.host = str(server.get("host", cfg.host))
    try:
        cfg.port = int(server.get("port", cfg.port))
    except (TypeError, ValueError):
        raise ConfigError(f"[server] port must be a number, not {server.get('port')!r}") from None
    cfg.secret_key = server.get("secret_key")
    tz = str(data.get("site", {}).get("timezone", "UTC"))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'[site] timezone {tz!r} is not a known time zone, e.g. "Asia/Shanghai"') from None
    cfg.timezone = tz
    _parse_tokens(cfg, data.get("api", {}).get("tokens", []))
    _parse_roles(cfg, data.get("roles", {}))
    _parse_kiosk(cfg, data.get("kiosk", {}))
    _parse_delivery(cfg, data)
    for i, st in enumerate(data.get("stations", [])):
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
    for i, pr in enumerate(data.get("printers", [])):
        where = f"[[printers]] #{i + 1}"
        name = str(_require(pr, "name", where))
        cfg.printers[name] = PrinterConfig(
            name=name,
            url=str(_require(pr, "url", where)),
            options={k: v for k, v in pr.items() if k not in ("name", "url")},
        )
    for i, dev in enumerate(data.get("devices", [])):
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
    for st in cfg.stations.values():
        if st.printer and st.printer not in cfg.printers:
            raise ConfigError(f"station {st.name!r}: printer {st.printer!r} is not configured under [[printers]]")
    limit = data.get("requisition", {}).get("approval_value")
    if limit is not None:
        try:
            ok = not isinstance(limit, bool) and Decimal(str(limit)) >= 0
        except ArithmeticError:
            ok = False
        if not ok:
            raise ConfigError(f"[requisition] approval_value must be an amount of money from 0, not {limit!r}")
    return cfg


def _parse_tokens(cfg: Config, tokens: Any) -> None:
    from floor.core.authority import ADMIN
    from floor.models.master import ROLES

    shape = '[api] tokens must be a list of strings or {token = "...", role = "...", stations = [...]} tables'
    if not isinstance(tokens, list):
        raise ConfigError(shape)
    for i, item in enumerate(tokens):
        if isinstance(item, str):
            entry = ApiToken(item)
        elif isinstance(item, dict) and isinstance(item.get("token"), str):
            role = item.get("role", ADMIN)
            if role != ADMIN and role not in ROLES:
                raise ConfigError(
                    f"[api] tokens #{i + 1}: role must be one of {', '.join(ROLES)} or admin, not {role!r}"
                )
            stations = item.get("stations", [])
            if not isinstance(stations, list) or not all(isinstance(x, str) for x in stations):
                raise ConfigError(f"[api] tokens #{i + 1}: stations must be a list of station names")
            extra = sorted(set(item) - {"token", "role", "stations"})
            if extra:
                raise ConfigError(f"[api] tokens #{i + 1}: unknown key {extra[0]!r} (known: token, role, stations)")
            entry = ApiToken(item["token"], str(role), tuple(stations))
        else:
            raise ConfigError(shape)
        if not entry.token.strip():
            raise ConfigError(f"[api] tokens #{i + 1}: the token is empty")
        cfg.api_tokens.append(entry.token)
        cfg.token_roles[entry.token] = entry


def _parse_roles(cfg: Config, table: Any) -> None:
    from floor.core.authority import RoleTable

    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        raise ConfigError('[roles] maps actions to lists of roles, e.g. receive = ["storekeeper", "supervisor"]')
    try:
        RoleTable.with_overrides(table)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    cfg.roles = {str(k): [str(r) for r in v] for k, v in table.items()}


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


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check one TOML config file."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {p} not found; create one with `floor init`") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    return parse_config(data, path=p, base_dir=p.parent)


def find_config(explicit: str | None = None, instance: str | os.PathLike[str] | None = None) -> Path | None:
    """Find the config: --config, then FLOOR_CONFIG, then ./floor.toml, then the instance folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("FLOOR_CONFIG")
    if env:
        return Path(env)
    local = Path("floor.toml")
    if local.exists():
        return local
    inst = Path(instance or os.environ.get("FLOOR_INSTANCE", "instance"))
    candidate = inst / "floor.toml"
    return candidate if candidate.exists() else None
