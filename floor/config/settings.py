"""The settings tables the core's rules take as values: `[counts]`, `[sales]`, `[warranty]`, `[billing]`, `[vehicles]`,
and the after-sales tables (`[followup]`, `[comebacks]`, `[complaints]`, `[service]`, `[returns]`), read and checked.

The values are the core's types (`CountSettings`, `SalesSettings`); a bad value is a ConfigError naming
the table and key. A table that is absent gives the defaults.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from floor.config.model import Config, ConfigError
from floor.core.aftersales.settings import WEEKDAYS, AftersalesSettings
from floor.core.counts.settings import CLASSES, CountSettings
from floor.core.repair.settings import BillingSettings
from floor.core.sales.settings import SalesSettings


def abc_cutoffs(value: Any) -> tuple[float, float, float]:
    """`abc_cutoffs`: three percentages (A, B, C) that add up to 100."""
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
        abc_cutoffs=abc_cutoffs(table["abc_cutoffs"]) if "abc_cutoffs" in table else base.abc_cutoffs,
        frequency=_frequency(table["frequency"]) if "frequency" in table else base.frequency,
        full_count=_full_count(table["full_count"]) if "full_count" in table else base.full_count,
        recount_qty=qty,
        recount_value=recount_value,
        abc_interval_s=float(table.get("abc_interval_s", base.abc_interval_s)),
    )


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


def _billing_number(table: dict[str, Any], key: str, hi: Decimal, default: int = 0) -> Decimal:
    value = table.get(key, default)
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
    return BillingSettings(
        _billing_number(table, "labour_rate", Decimal(1_000_000)),
        _billing_number(table, "tax_pct", Decimal(100)),
        _billing_number(table, "max_discount_pct", Decimal(100), default=5),
    )


def vin_check_digit(cfg: Config | None) -> bool:
    """Whether VINs must carry their check digit (default true); a non-boolean raises ConfigError."""
    table: dict[str, Any] = (cfg.raw if cfg is not None else {}).get("vehicles") or {}
    value = table.get("vin_check_digit", True)
    if not isinstance(value, bool):
        raise ConfigError(f"[vehicles] vin_check_digit must be true or false, not {value!r}")
    return value


def _whole(raw: dict[str, Any], table: str, key: str, default: int, lo: int, hi: int) -> int:
    value = (raw.get(table) or {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"[{table}] {key} must be a whole number from {lo} to {hi}, not {value!r}")
    return value


def aftersales_settings(cfg: Config | None) -> AftersalesSettings:
    """The after-sales settings of a config (SPEC 10.5; defaults when absent); bad values raise ConfigError."""
    raw: dict[str, Any] = cfg.raw if cfg is not None else {}
    days = (raw.get("site") or {}).get("working_days", sorted(WEEKDAYS))
    if (
        not isinstance(days, list)
        or not days
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days)
    ):
        raise ConfigError(
            f"[site] working_days must be ISO weekdays 1-7 (1 = Monday), e.g. [1, 2, 3, 4, 5], not {days!r}"
        )
    base = AftersalesSettings()
    return AftersalesSettings(
        timezone=(cfg.timezone if cfg is not None else None) or "UTC",
        working_days=frozenset(days),
        followup_days=_whole(raw, "followup", "days", base.followup_days, 0, 60),
        followup_attempts=_whole(raw, "followup", "attempts", base.followup_attempts, 1, 20),
        followup_expire_days=_whole(raw, "followup", "expire_days", base.followup_expire_days, 1, 365),
        comeback_days=_whole(raw, "comebacks", "days", base.comeback_days, 1, 365),
        respond_hours=_whole(raw, "complaints", "respond_hours", base.respond_hours, 1, 24 * 60),
        resolve_days=_whole(raw, "complaints", "resolve_days", base.resolve_days, 1, 365),
        service_months=_whole(raw, "service", "interval_months", base.service_months, 1, 120),
        service_km=_whole(raw, "service", "interval_km", base.service_km, 100, 1_000_000),
        returns_days=_whole(raw, "returns", "days", base.returns_days, 0, 3650),
    )
