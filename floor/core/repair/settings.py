"""The `[billing]` config table (the parts the repair order needs; the bill, SPEC 10.4, adds its own keys).

```toml
[billing]
labour_rate = "380.00"   # per hour, the currency of the site
tax_pct = 13             # on what the customer pays (customer lines), 0-100
```
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from floor.config import Config, ConfigError


@dataclass(frozen=True)
class BillingSettings:
    """The labour rate per hour and the tax percentage (defaults: 0 and 0, so nothing is priced by accident)."""

    labour_rate: Decimal = Decimal(0)
    tax_pct: Decimal = Decimal(0)


def _number(table: dict[str, Any], key: str, hi: Decimal) -> Decimal:
    value = table.get(key, 0)
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ConfigError(f"[billing] {key} must be a number, not {value!r}") from None
    if not number.is_finite() or not Decimal(0) <= number <= hi:
        raise ConfigError(f"[billing] {key} must be between 0 and {hi}, not {value!r}")
    return number


def billing_settings(cfg: Config | None) -> BillingSettings:
    """The `[billing]` settings of a config (defaults when absent); bad values raise ConfigError."""
    table: dict[str, Any] = (cfg.raw if cfg is not None else {}).get("billing") or {}
    return BillingSettings(_number(table, "labour_rate", Decimal(1_000_000)), _number(table, "tax_pct", Decimal(100)))
