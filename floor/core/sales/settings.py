"""The `[sales]` and `[warranty]` config tables.

```toml
[sales]
max_discount_pct = 10     # a price below sell_price × (1 − this/100) needs a supervisor
trade_discount_pct = 0    # trade customers' default price: sell_price × (1 − this/100)

[warranty]
return_days = 30          # a claim's old parts must reach the supplier this many days after the core came back
```
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from floor.config import Config, ConfigError


@dataclass(frozen=True)
class SalesSettings:
    """Discount limits and the warranty return deadline, with the defaults of SPEC 9.3."""

    max_discount_pct: Decimal = Decimal(10)
    trade_discount_pct: Decimal = Decimal(0)
    return_days: int = 30


def _pct(table: dict[str, Any], key: str, default: Decimal, where: str) -> Decimal:
    value = table.get(key, default)
    try:
        pct = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ConfigError(f"[{where}] {key} must be a number, not {value!r}") from None
    if not Decimal(0) <= pct <= Decimal(100) or isinstance(value, bool):
        raise ConfigError(f"[{where}] {key} must be between 0 and 100, not {value!r}")
    return pct


def sales_settings(cfg: Config | None) -> SalesSettings:
    """The settings of a config (defaults when the tables are absent); bad values raise ConfigError."""
    raw = cfg.raw if cfg is not None else {}
    sales = raw.get("sales", {}) or {}
    warranty = raw.get("warranty", {}) or {}
    days = warranty.get("return_days", 30)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise ConfigError(f"[warranty] return_days must be a whole number of days from 1 to 3650, not {days!r}")
    return SalesSettings(
        _pct(sales, "max_discount_pct", Decimal(10), "sales"),
        _pct(sales, "trade_discount_pct", Decimal(0), "sales"),
        days,
    )
