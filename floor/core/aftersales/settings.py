"""The after-sales settings (SPEC 10.5): `[followup]`, `[comebacks]`, `[complaints]`, `[service]`, `[returns]`
and the site's time zone and working days, as one value the rules take.

```toml
[site]
timezone = "Asia/Shanghai"
working_days = [1, 2, 3, 4, 5, 6]   # ISO weekdays (1 = Monday); default Monday to Friday

[followup]
days = 3          # the call is due this many days after delivery
attempts = 3      # tries before the follow-up counts as failed
expire_days = 15  # not called after this many days

[comebacks]
days = 30

[complaints]
respond_hours = 48
resolve_days = 7

[service]
interval_months = 6
interval_km = 5000

[returns]
days = 7
```

Read and checked by `floor.config.settings.aftersales_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEEKDAYS = frozenset({1, 2, 3, 4, 5})


@dataclass(frozen=True)
class AftersalesSettings:
    """Every number the after-sales rules take, with the SPEC's defaults."""

    timezone: str = "UTC"
    working_days: frozenset[int] = field(default=WEEKDAYS)
    followup_days: int = 3
    followup_attempts: int = 3
    followup_expire_days: int = 15
    comeback_days: int = 30
    respond_hours: int = 48
    resolve_days: int = 7
    service_months: int = 6
    service_km: int = 5000
    returns_days: int = 7
