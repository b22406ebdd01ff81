"""The `[billing]` settings (the parts the repair order needs; the bill, SPEC 10.4, adds its own keys).

```toml
[billing]
labour_rate = "380.00"   # per hour, the currency of the site
tax_pct = 13             # on what the customer pays (customer lines), 0-100
```

Read and checked by `floor.config.settings.billing_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BillingSettings:
    """The labour rate per hour and the tax percentage (defaults: 0 and 0, so nothing is priced by accident)."""

    labour_rate: Decimal = Decimal(0)
    tax_pct: Decimal = Decimal(0)
    max_discount_pct: Decimal = Decimal(5)  # above it a discount needs a supervisor's yes (SPEC 10.4)
