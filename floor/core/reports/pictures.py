"""The figures behind the reports page: 12-month KPI series, stock value by ABC class, core ages."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.reports.kpis import CENT, KPI_KEYS
from floor.core.reports.monthend import month_kpis
from floor.core.reports.period import Period, month_of, previous_months
from floor.models import Location, Part, StockLevel
from floor.models.workorders import Core

CORE_AGE_BANDS = ((7, "0–7"), (30, "8–30"), (90, "31–90"), (None, ">90"))


def kpi_series(session: Session, now: datetime, tz: tzinfo, months: int = 12) -> list[dict[str, Any]]:
    """The KPI row of each of the last `months` months of the site's calendar (`tz`), this month (so far) last.

    Signed months come from their snapshot.
    """
    this = month_of(now, tz)
    periods: list[Period] = [*previous_months(this, months - 1), this]
    return [month_kpis(session, p, now) for p in periods]


def series_by_kpi(rows: list[dict[str, Any]]) -> dict[str, list[float | None]]:
    """Turn month rows into one list of values per KPI."""
    return {k: [None if r.get(k) is None else float(r[k]) for r in rows] for k in KPI_KEYS}


def warranty_series(rows: list[dict[str, Any]]) -> tuple[list[float | None], list[float | None]]:
    """Per month: warranty claims credited in it, and owed at its end (None where a row has no claims figures)."""
    credited: list[float | None] = []
    owed: list[float | None] = []
    for r in rows:
        claims = r.get("warranty_claims") or {}
        credited.append(claims.get("credited"))
        owed.append(claims.get("owed"))
    return credited, owed


def stock_value_by_class(session: Session) -> list[tuple[str, float]]:
    """Current stock value (on hand × unit cost, outside scrap bins) per ABC class in force, largest first."""
    rows = session.execute(
        select(Part.abc_override, Part.abc, StockLevel.qty, Part.unit_cost)
        .join(Part, Part.id == StockLevel.part_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.qty > 0, Location.kind != "scrap")
    )
    sums: dict[str, Decimal] = {}
    for override, computed, qty, cost in rows:
        cls = override or computed or "-"
        sums[cls] = sums.get(cls, Decimal(0)) + Decimal(str(cost or 0)) * int(qty)
    return sorted(((c, float(v.quantize(CENT))) for c, v in sums.items()), key=lambda cv: -cv[1])


def _band(days: float) -> str:
    for limit, label in CORE_AGE_BANDS:
        if limit is None or days <= limit:
            return label
    return CORE_AGE_BANDS[-1][1]


def core_ages(session: Session, now: datetime, since: datetime) -> dict[str, list[tuple[str, float]]]:
    """Cores still due by age now, and cores returned since `since` by how long they took, in day bands."""
    due = dict.fromkeys((label for _, label in CORE_AGE_BANDS), 0.0)
    back = dict(due)
    for (made,) in session.execute(select(Core.created_at).where(Core.status == "due")):
        due[_band((now - made).total_seconds() / 86400)] += 1
    for made, ret in session.execute(
        select(Core.created_at, Core.returned_at).where(Core.returned_at.is_not(None), Core.returned_at >= since)
    ):
        back[_band((ret - made).total_seconds() / 86400)] += 1
    return {"due": list(due.items()), "returned": list(back.items())}
