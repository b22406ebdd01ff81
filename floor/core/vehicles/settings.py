"""The `[vehicles]` config table.

```toml
[vehicles]
vin_check_digit = true   # check position 9 of a VIN (49 CFR 565, GB 16735); false where the region has none
```
"""

from __future__ import annotations

from typing import Any

from floor.config import Config, ConfigError


def vin_check_digit(cfg: Config | None) -> bool:
    """Whether VINs must carry their check digit (default true); a non-boolean raises ConfigError."""
    table: dict[str, Any] = (cfg.raw if cfg is not None else {}).get("vehicles") or {}
    value = table.get("vin_check_digit", True)
    if not isinstance(value, bool):
        raise ConfigError(f"[vehicles] vin_check_digit must be true or false, not {value!r}")
    return value
