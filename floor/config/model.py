"""The configuration as the rest of floor reads it: one `Config` with its stations, devices and printers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from floor.core.authority import RoleTable
from floor.models.scans import StationKind

STATION_KINDS = StationKind.values()
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
    # [returns] days: customer returns of a sale accepted without a supervisor (SPEC 10.5; set by parse_config).
    returns_days: int = 7
    delivery_printer: str | None = None
    # [site] closing_time "HH:MM" (site time zone): keys still out then are listed.
    closing_time: str = "18:00"
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def role_table(self) -> RoleTable:
        """The role table in force: the defaults with this config's `[roles]` overrides (built once)."""
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
