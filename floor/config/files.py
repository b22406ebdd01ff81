"""Where the config file is and reading it: TOML in, a checked `Config` out."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from floor.config.model import Config, ConfigError
from floor.config.parse import parse_config


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
