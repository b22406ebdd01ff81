"""Configuration: the TOML file of the contract, read into typed dataclasses.

`model` holds what the rest of floor reads (`Config`, `StationConfig`, ...); `tables` is the
registry of known tables and keys (`TABLES`) and `known_keys` its check; `parse` builds a
`Config` table by table (`roles` for `[api] tokens` and `[roles]`); `files` finds and reads
the file. Import from `floor.config`: the names below are its public face.
"""

from floor.config.files import find_config, load_config
from floor.config.known_keys import check_known_keys
from floor.config.model import (
    DEVICE_KINDS,
    STATION_KINDS,
    TERMINATORS,
    ApiToken,
    Config,
    ConfigError,
    DeviceConfig,
    KioskConfig,
    PrinterConfig,
    StationConfig,
)
from floor.config.parse import parse_config
from floor.config.tables import TABLES

__all__ = [
    "DEVICE_KINDS",
    "STATION_KINDS",
    "TABLES",
    "TERMINATORS",
    "ApiToken",
    "Config",
    "ConfigError",
    "DeviceConfig",
    "KioskConfig",
    "PrinterConfig",
    "StationConfig",
    "check_known_keys",
    "find_config",
    "load_config",
    "parse_config",
]
