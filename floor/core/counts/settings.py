"""Count and ABC settings, the value rules take: ABC cut-offs, count frequencies, recount thresholds.

Read from the `[counts]` table of floor.toml by `floor.config.settings.count_settings`:

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
from decimal import Decimal

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
