"""The `[counts]` config table: ABC cut-offs, count frequencies, recount thresholds.

```toml
[counts]
abc_cutoffs = [80, 15, 5]          # % of 12-month issue value in A, B, C
frequency = { A = 12, B = 4, C = 1 } # counts per year per class
full_count = "12-31"               # month-day of the annual full count ("" = none)
recount_qty = 2                    # recount when |variance| exceeds this many units ...
recount_value = "100.00"           # ... or this much value at cost
abc_interval_s = 86400             # how often the ABC scheduler recomputes
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from floor.config import Config, ConfigError

CLASSES = ("A", "B", "C")


@dataclass(frozen=True)
class CountSettings:
    """Count and ABC settings with the workshop's defaults."""

    abc_cutoffs: tuple[float, float, float] = (80.0, 15.0, 5.0)
    frequency: dict[str, int] = field(default_factory=lambda: {"A": 12, "B": 4, "C": 1})
    full_count: tuple[int, int] | None = (12, 31)
    recount_qty: int = 2
    recount_value: Decimal = Decimal("100.00")
    abc_interval_s: float = 86400.0

    def is_full_count_day(self, day: date) -> bool:
        """True on the annual full count's day."""
        return self.full_count is not None and (day.month, day.day) == self.full_count

    def over_threshold(self, variance: int, value: Decimal) -> bool:
        """True when a line's variance needs a recount."""
        return abs(variance) > self.recount_qty or abs(value) > self.recount_value


def _cutoffs(value: Any) -> tuple[float, float, float]:
    if not isinstance(value, list) or len(value) != 3:
        raise ConfigError("[counts] abc_cutoffs must be three percentages, e.g. [80, 15, 5]")
    try:
        a, b, c = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError("[counts] abc_cutoffs must be numbers") from None
    if min(a, b, c) < 0 or abs(a + b + c - 100) > 0.001:
        raise ConfigError("[counts] abc_cutoffs must be non-negative and add up to 100")
    return a, b, c


def _frequency(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) - set(CLASSES):
        raise ConfigError("[counts] frequency must be a table like { A = 12, B = 4, C = 1 }")
    out = {"A": 12, "B": 4, "C": 1}
    for cls, n in value.items():
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 365:
            raise ConfigError(f"[counts] frequency.{cls} must be counts per year from 0 to 365")
        out[cls] = n
    return out


def _full_count(value: Any) -> tuple[int, int] | None:
    if value in ("", None):
        return None
    try:
        month, day = (int(x) for x in str(value).split("-"))
        date(2024, month, day)
    except ValueError:
        raise ConfigError(f'[counts] full_count must be a month-day like "12-31", not {value!r}') from None
    return month, day


def count_settings(cfg: Config | None) -> CountSettings:
    """Read `[counts]` from a config (defaults for anything missing)."""
    table = (cfg.raw.get("counts", {}) if cfg is not None else {}) or {}
    if not isinstance(table, dict):
        raise ConfigError("[counts] must be a table")
    base = CountSettings()
    try:
        recount_value = Decimal(str(table.get("recount_value", base.recount_value)))
    except InvalidOperation:
        raise ConfigError('[counts] recount_value must be an amount like "100.00"') from None
    qty = table.get("recount_qty", base.recount_qty)
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
        raise ConfigError("[counts] recount_qty must be a whole number >= 0")
    return CountSettings(
        abc_cutoffs=_cutoffs(table["abc_cutoffs"]) if "abc_cutoffs" in table else base.abc_cutoffs,
        frequency=_frequency(table["frequency"]) if "frequency" in table else base.frequency,
        full_count=_full_count(table["full_count"]) if "full_count" in table else base.full_count,
        recount_qty=qty,
        recount_value=recount_value,
        abc_interval_s=float(table.get("abc_interval_s", base.abc_interval_s)),
    )
