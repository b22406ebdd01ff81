"""Configuration: the TOML file of the contract, read into typed dataclasses."""

from __future__ import annotations

import difflib
import importlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STATION_KINDS = ("counter", "stocktake", "receiving", "kiosk", "keys")
DEVICE_KINDS = ("serial-scanner", "hid-scanner", "rfid-reader", "camera")
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}

if TYPE_CHECKING:  # the core's modules import this one; at run time the table is imported late
    from floor.core.authority import RoleTable


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
    # Device-specific keys sit beside the fixed ones in [[devices]]; `flat` names every one the
    # readers use (add a new option here, or it is refused as unknown).
    options: dict[str, Any] = field(
        default_factory=dict,
        metadata={
            "flat": (
                "baudrate",
                "terminator",
                "ack",
                "nak",
                "layout",
                "symbologies",
                "decode_scale",
                "repeat_s",
                "loop",
                "fps",
                "fold_window_s",
                "idle_timeout_s",
                "token",
            )
        },
    )

    def option(self, key: str, default: Any = None) -> Any:
        """Return a device-specific option (baudrate, terminator, ack, ...)."""
        return self.options.get(key, default)


@dataclass(frozen=True)
class PrinterConfig:
    """A label printer addressed by URL (tcp://, pyserial URL or device file)."""

    name: str
    url: str
    options: dict[str, Any] = field(
        default_factory=dict, metadata={"flat": ("timeout", "status", "status_timeout", "cjk_font")}
    )


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

    def role_table(self) -> RoleTable:
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


# -- the known tables and keys ------------------------------------------------------------------
# Every table and key a floor.toml may hold is a field of a dataclass named in TABLES: a typo
# (`require_bagde`) or a table nobody reads is refused with the nearest known name, instead of
# being silently ignored. To add a table, write a dataclass whose fields are its keys and add
# one line to TABLES (a class, or "module:Class" to avoid an import cycle). A field whose value
# is itself a table or an array of tables names its dataclass with `field(metadata={"table": Cls})`;
# tables by name (`[api.tokens.alice]`) use `metadata={"named_tables": Cls}`; `metadata={"flat":
# (...)}` lists extra keys kept in one dict field (device and printer options); an array that
# mixes bare strings and tables (`[api] tokens`) adds `"strings": True`. A table whose keys are
# names defined elsewhere (`[roles]`: actions of the role table) is a "module:MAPPING" entry.


@dataclass(frozen=True)
class DatabaseTable:
    """[database]: where the books are kept."""

    url: str = "sqlite:///floor.db"
    sqlite_synchronous: str = "FULL"


@dataclass(frozen=True)
class ServerTable:
    """[server]: where `floor serve` listens and the key that signs kiosk sessions."""

    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None


@dataclass(frozen=True)
class SiteTable:
    """[site]: facts about the workshop."""

    timezone: str = "UTC"
    closing_time: str = "18:00"  # keys still out after it are listed (SPEC 9.4)


@dataclass(frozen=True)
class RequisitionTable:
    """[requisition]: part requests above this value wait for a supervisor (SPEC 9.2)."""

    approval_value: str | int | float | None = None


@dataclass(frozen=True)
class SalesTable:
    """[sales]: discount limits of counter sales (SPEC 9.3; read by floor.core.sales.settings)."""

    max_discount_pct: int | float | str = 10
    trade_discount_pct: int | float | str = 0


@dataclass(frozen=True)
class WarrantyTable:
    """[warranty]: days the supplier allows for a warranty return (SPEC 9.3)."""

    return_days: int = 30


@dataclass(frozen=True)
class DeliveryTable:
    """[delivery]: the hand-over (SPEC 9.4): a signature required, the gate-pass printer."""

    require_signature: bool = False
    printer: str | None = None


@dataclass(frozen=True)
class ApiTable:
    """[api]: bearer tokens for API writes."""

    # A bare token string (admin everywhere) or a {token, role, stations} table.
    tokens: list[str | ApiToken] = field(default_factory=list, metadata={"table": ApiToken, "strings": True})


@dataclass(frozen=True)
class KioskTable:
    """[kiosk]: kiosk page defaults and the enrolment of kiosk browsers (read into KioskConfig)."""

    language: str = "en"
    require_enrolment: bool = KioskConfig.require_enrolment
    enrol_ttl_s: int = KioskConfig.enrol_ttl_s
    base_url: str | None = KioskConfig.base_url


TABLES: dict[str, type | str] = {
    "database": DatabaseTable,
    "server": ServerTable,
    "site": SiteTable,
    "api": ApiTable,
    "kiosk": KioskTable,
    "roles": "floor.core.authority:DEFAULT_TABLE",  # [roles]: action = [roles...] overrides
    "counts": "floor.core.counts.settings:CountSettings",
    "requisition": RequisitionTable,
    "sales": SalesTable,
    "warranty": WarrantyTable,
    "delivery": DeliveryTable,
    "stations": StationConfig,
    "devices": DeviceConfig,
    "printers": PrinterConfig,
}


def _schema(ref: type | str) -> type | Mapping[str, Any]:
    if isinstance(ref, str):  # "module:Class" (or a mapping), imported only when a config is checked
        module, _, name = ref.partition(":")
        ref = getattr(importlib.import_module(module), name)
    if isinstance(ref, Mapping):
        return ref
    assert isinstance(ref, type) and is_dataclass(ref), f"{ref!r} is not a config dataclass"
    return ref


def _known(schema: type | Mapping[str, Any]) -> dict[str, Any]:
    """Key -> nested schema (or None) for every key a table of this dataclass (or mapping) may hold."""
    if isinstance(schema, Mapping):  # keys named elsewhere, values checked by the parser
        return dict.fromkeys(schema)
    keys: dict[str, Any] = {}
    for f in fields(schema):
        if "flat" in f.metadata:
            keys.update(dict.fromkeys(f.metadata["flat"]))
        elif "named_tables" in f.metadata:
            keys[f.name] = _Named(f.metadata["named_tables"])
        elif f.metadata.get("strings"):
            keys[f.name] = _OrStrings(f.metadata["table"])
        else:
            keys[f.name] = f.metadata.get("table")
    return keys


@dataclass(frozen=True)
class _OrStrings:
    """A key whose value is an array of bare strings and tables, each table a `schema`."""

    schema: type | str


@dataclass(frozen=True)
class _Named:
    """A key whose value is a table of tables by name, each a `schema`."""

    schema: type | str


def _unknown(key: str, known: Any, where: str, what: str = "key") -> ConfigError:
    near = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else f"; known: {', '.join(sorted(known))}"
    return ConfigError(f"{where}: unknown {what} {key!r}{hint}")


def _check_table(value: Any, ref: type | str, where: str) -> None:
    if isinstance(value, list):  # an array of tables: [[stations]]
        for i, item in enumerate(value):
            name = f" ({item['name']})" if isinstance(item, dict) and isinstance(item.get("name"), str) else ""
            _check_table(item, ref, f"{where} #{i + 1}{name}")
        return
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    known = _known(_schema(ref))
    for key, sub in value.items():
        if key not in known:
            raise _unknown(key, known, where)
        if isinstance(known[key], _Named):
            if not isinstance(sub, dict):
                raise ConfigError(f"{where}.{key} must be a table of tables by name")
            for name, table in sub.items():
                _check_table(table, known[key].schema, f"{where}.{key}.{name}")
        elif isinstance(known[key], _OrStrings):
            if isinstance(sub, list):  # the strings are the parser's to check; the tables are checked here
                for i, item in enumerate(sub):
                    if isinstance(item, dict):
                        _check_table(item, known[key].schema, f"{where}.{key} #{i + 1}")
        elif known[key] is not None:
            _check_table(sub, known[key], f"{where}.{key}")


def check_known_keys(data: dict[str, Any]) -> None:
    """Refuse any table or key that no config dataclass declares, naming the nearest known one."""
    for name, value in data.items():
        if name not in TABLES:
            raise _unknown(name, TABLES, "config", what="table")
        where = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
        _check_table(value, TABLES[name], where)


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: missing required key {key!r}")
    return table[key]


def parse_config(data: dict[str, Any], path: Path | None = None, base_dir: Path | None = None) -> Config:
    """Build a Config from parsed TOML, checking every name and value."""
    check_known_keys(data)
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
