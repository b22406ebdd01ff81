"""Sales settings, the value rules take: discount limits and the warranty return deadline.

Read from the `[sales]` and `[warranty]` tables of floor.toml by `floor.config.settings.sales_settings`:

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
from decimal import Decimal


@dataclass(frozen=True)
class SalesSettings:
    """Discount limits and the warranty return deadline, with the defaults of SPEC 9.3."""

    max_discount_pct: Decimal = Decimal(10)
    trade_discount_pct: Decimal = Decimal(0)
    return_days: int = 30
