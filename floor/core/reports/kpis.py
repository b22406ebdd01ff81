"""The KPIs of a period, computed from the ledger and the records as they are (no nightly batch).

Every figure is defined in the README ("Reports and KPIs"). Money is valued at each move's own
unit cost (the ledger's book value), so the stock value at any instant is the sum of qty × unit
cost of the moves up to it. Stock in scrap bins is not stock value. The average stock value of a
period is the mean of its daily closing values: the opening value plus each day's moves weighted
by the number of days of the period they stay in (sum of value × days ÷ days), read with one
grouped pass over the period's moves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from floor.core.counts.variance import variance_rows
from floor.core.reports.deadstock import DEFAULT_DAYS, dead_stock
from floor.core.reports.period import Period
from floor.core.reports.sqlparts import CONSUMPTION, SCRAP_BINS, STORE_BINS, day_index
from floor.models import CountLocation, CountSession, CustomerReturn, Location, Part, UTCDateTime
from floor.models.workorders import Core

CENT = Decimal("0.01")
KPI_KEYS = (
    "turnover",
    "days_of_supply",
    "fill_rate",
    "count_accuracy",
    "returns_rate",
    "rework_rate",
    "core_return_rate",
    "stockouts",
    "dead_stock_value",
    "sales_total",
    "parts_cost_total",
)
# KPIs whose records floor does not keep yet (their branch has not landed): reported as null.
UNAVAILABLE: dict[str, str] = {
    "fill_rate": "parts requests and sale lines with first-time fill (SPEC 9.2/9.3) are not in this build",
    "rework_rate": "QC results with rework (SPEC 9.4) are not in this build",
    "sales_total": "sales (SPEC 9.3) are not in this build",
}


def _dec(value: Any) -> Decimal:
    """A SUM from either database as Decimal (SQLite hands back floats)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _ratio(num: float | Decimal, den: float | Decimal, places: int = 4) -> float | None:
    return round(float(num) / float(den), places) if den else None


def _binds(session: Session, period: Period) -> dict[str, Any]:
    return {"start": period.start, "end": period.end, "d0": period.first.isoformat(), "n": period.days}


def _typed(sql: str) -> Any:
    """A text() statement whose :start/:end are bound as UTC datetimes."""
    names = [n for n in ("start", "end") if f":{n}" in sql]
    return text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n in names))


@dataclass
class Flow:
    """The stock value and consumption of a period."""

    opening_value: Decimal
    closing_value: Decimal
    average_value: Decimal
    cost_consumed: Decimal  # cost of parts issued and sold, net of returns
    units_consumed: int


def stock_flow(session: Session, period: Period) -> Flow:
    """Opening, closing and average stock value and the consumption of the period, from the ledger."""
    binds = _binds(session, period)
    opening = _dec(
        session.execute(
            _typed(
                f"SELECT SUM(qty * unit_cost) FROM stock_moves WHERE at < :start AND location_id NOT IN {SCRAP_BINS}"
            ),
            binds,
        ).scalar()
    )
    sql = (
        f"SELECT {day_index(session)} AS d,"
        f" SUM(CASE WHEN location_id NOT IN {SCRAP_BINS} THEN qty * unit_cost ELSE 0 END),"
        f" SUM(CASE WHEN {CONSUMPTION} THEN -qty * unit_cost ELSE 0 END),"
        f" SUM(CASE WHEN {CONSUMPTION} THEN -qty ELSE 0 END)"
        " FROM stock_moves WHERE at >= :start AND at < :end GROUP BY d"
    )
    weighted = Decimal(0)
    change = Decimal(0)
    cost = Decimal(0)
    units = 0
    n = period.days
    for d, dv, cv, cq in session.execute(_typed(sql), binds):
        value = _dec(dv)
        change += value
        # a move on day d is in the closing value of days d .. n-1
        weighted += value * (n - int(d))
        cost += _dec(cv)
        units += int(cq or 0)
    return Flow(opening, opening + change, opening + weighted / n, cost, units)


def stockouts(session: Session, period: Period) -> dict[str, int]:
    """Part-days at zero available in store bins (closing balance <= 0) while the part was demanded.

    Demanded: an active part with a warning line (reorder point > 0), or one issued or sold in the period.
    """
    sql = f"""
WITH demanded AS (
  SELECT id AS part_id FROM parts WHERE active = :yes AND reorder_point > 0
  UNION
  SELECT part_id FROM stock_moves WHERE at >= :start AND at < :end AND {CONSUMPTION}
),
pts AS (
  SELECT part_id, 0 AS d, 0 AS q FROM demanded
  UNION ALL
  SELECT m.part_id, 0, m.qty FROM stock_moves m JOIN demanded x ON x.part_id = m.part_id
   WHERE m.at < :start AND m.location_id IN {STORE_BINS}
  UNION ALL
  SELECT m.part_id, {day_index(session, "m.at")}, m.qty FROM stock_moves m JOIN demanded x ON x.part_id = m.part_id
   WHERE m.at >= :start AND m.at < :end AND m.location_id IN {STORE_BINS}
),
agg AS (SELECT part_id, d, SUM(q) AS q FROM pts GROUP BY part_id, d),
run AS (
  SELECT part_id, d, SUM(q) OVER (PARTITION BY part_id ORDER BY d) AS bal,
         LEAD(d, 1, :n) OVER (PARTITION BY part_id ORDER BY d) AS nxt
  FROM agg
)
SELECT COALESCE(SUM(nxt - d), 0), COUNT(DISTINCT part_id) FROM run WHERE bal <= 0
"""
    days, parts = session.execute(_typed(sql), {**_binds(session, period), "yes": True}).one()
    return {"part_days": int(days or 0), "parts": int(parts or 0)}


def count_accuracy(session: Session, period: Period) -> dict[str, Any]:
    """Accuracy of the counts approved in the period: per count, per ABC class and per zone.

    Bin accuracy = bins without any variance ÷ bins counted; value accuracy = 1 − Σ|variance value| ÷
    Σ expected value. Per class and zone the unit is the counted line (bin × part).
    """
    counts = session.execute(
        select(CountSession.id, CountSession.kind, CountSession.zone, CountSession.approved_at)
        .where(
            CountSession.status == "approved",
            CountSession.approved_at >= period.start,
            CountSession.approved_at < period.end,
        )
        .order_by(CountSession.approved_at, CountSession.id)
    ).all()
    per_count: list[dict[str, Any]] = []
    classes: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)  # lines, ok, |var value|, exp value
    zones: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # bins, ok
    all_bins = all_ok = 0
    all_abs = all_exp = Decimal(0)
    abc: dict[int, str | None] = {}
    if counts:
        abc = {pid: o or a for pid, o, a in session.execute(select(Part.id, Part.abc_override, Part.abc)).tuples()}
    for count_id, kind, zone, approved_at in counts:
        rows = variance_rows(session, count_id)
        bin_zone: dict[int, str] = {
            loc: z or "-"
            for loc, z in session.execute(
                select(CountLocation.location_id, Location.zone)
                .join(Location, Location.id == CountLocation.location_id)
                .where(CountLocation.count_id == count_id, CountLocation.pass_no > 0)
            ).tuples()
        }
        bins = set(bin_zone)
        off: set[int] = set()
        abs_value = exp_value = Decimal(0)
        for r in rows:
            bins.add(r.location_id)
            bin_zone[r.location_id] = r.zone or "-"
            if r.variance:
                off.add(r.location_id)
            exp = r.unit_cost * r.expected
            abs_value += abs(r.unit_cost * r.variance)
            exp_value += exp
            cls = classes[abc.get(r.part_id) or "-"]
            cls[0] += 1
            cls[1] += 0 if r.variance else 1
            cls[2] += abs(r.unit_cost * r.variance)
            cls[3] += exp
        n_bins = len(bins)
        ok = n_bins - len(off)
        for loc in bins:
            z = zones[bin_zone.get(loc, "-")]
            z[0] += 1
            z[1] += 0 if loc in off else 1
        per_count.append(
            {
                "count_id": count_id,
                "kind": kind,
                "zone": zone,
                "approved_at": approved_at.isoformat() if approved_at else None,
                "bins": n_bins,
                "bins_without_variance": ok,
                "accuracy": _ratio(ok, n_bins),
                "value_accuracy": _value_accuracy(abs_value, exp_value),
            }
        )
        all_bins += n_bins
        all_ok += ok
        all_abs += abs_value
        all_exp += exp_value
    return {
        "bins": all_bins,
        "bins_without_variance": all_ok,
        "accuracy": _ratio(all_ok, all_bins),
        "value_accuracy": _value_accuracy(all_abs, all_exp),
        "counts": per_count,
        "by_class": {
            c: {
                "lines": int(v[0]),
                "lines_without_variance": int(v[1]),
                "accuracy": _ratio(v[1], v[0]),
                "value_accuracy": _value_accuracy(v[2], v[3]),
            }
            for c, v in sorted(classes.items())
        },
        "by_zone": {
            z: {"bins": v[0], "bins_without_variance": v[1], "accuracy": _ratio(v[1], v[0])}
            for z, v in sorted(zones.items())
        },
    }


def _value_accuracy(abs_value: Decimal, exp_value: Decimal) -> float | None:
    if exp_value <= 0:
        return None
    return round(max(0.0, 1 - float(abs_value) / float(exp_value)), 4)


def returns(session: Session, period: Period, units_consumed: int) -> dict[str, Any]:
    """Units customers brought back in the period (returns not cancelled) ÷ units issued and sold."""
    returned = int(
        session.scalar(
            select(func.coalesce(func.sum(CustomerReturn.qty), 0)).where(
                CustomerReturn.created_at >= period.start,
                CustomerReturn.created_at < period.end,
                CustomerReturn.status != "cancelled",
            )
        )
        or 0
    )
    return {"units_returned": returned, "units_consumed": units_consumed, "rate": _ratio(returned, units_consumed)}


def cores(session: Session, period: Period) -> dict[str, Any]:
    """Core return rate of the cores falling due in the period, and the age of cores returned in it."""
    created = session.execute(
        select(Core.status, Core.returned_at).where(Core.created_at >= period.start, Core.created_at < period.end)
    ).all()
    due = [r for r in created if r.status != "waived"]
    back = sum(1 for r in due if r.returned_at is not None)
    ages = [
        (ret - made).total_seconds() / 86400
        for made, ret in session.execute(
            select(Core.created_at, Core.returned_at).where(
                Core.returned_at >= period.start, Core.returned_at < period.end
            )
        ).tuples()
    ]
    return {
        "due": len(due),
        "returned": back,
        "waived": len(created) - len(due),
        "rate": _ratio(back, len(due)),
        "returned_in_period": len(ages),
        "average_age_days": round(sum(ages) / len(ages), 2) if ages else None,
        "max_age_days": round(max(ages), 2) if ages else None,
    }


def kpis(session: Session, period: Period, now: datetime, dead_days: int = DEFAULT_DAYS) -> dict[str, Any]:
    """Every KPI of the period (SPEC 9.5 keys first) with the figures behind each under `details`."""
    flow = stock_flow(session, period)
    turnover = _ratio(flow.cost_consumed, flow.average_value) if flow.average_value > 0 else None
    days_of_supply = (
        round(float(flow.average_value) * period.days / float(flow.cost_consumed), 1)
        if flow.cost_consumed > 0
        else None
    )
    acc = count_accuracy(session, period)
    ret = returns(session, period, flow.units_consumed)
    core = cores(session, period)
    outs = stockouts(session, period)
    as_of = min(period.end, now)
    dead = dead_stock(session, as_of, dead_days, now)
    dead_value = sum((Decimal(str(line["value"])) for line in dead), Decimal(0))
    out: dict[str, Any] = {
        **period.as_dict(),
        "turnover": turnover,
        "days_of_supply": days_of_supply,
        "fill_rate": None,
        "count_accuracy": acc["accuracy"],
        "returns_rate": ret["rate"],
        "rework_rate": None,
        "core_return_rate": core["rate"],
        "stockouts": outs["part_days"],
        "dead_stock_value": float(dead_value.quantize(CENT)),
        "sales_total": None,
        "parts_cost_total": float(flow.cost_consumed.quantize(CENT)),
        "details": {
            "stock_value": {
                "opening": float(flow.opening_value.quantize(CENT)),
                "closing": float(flow.closing_value.quantize(CENT)),
                "average": float(flow.average_value.quantize(CENT)),
            },
            "units_consumed": flow.units_consumed,
            "count_accuracy": acc,
            "returns": ret,
            "cores": core,
            "stockouts": outs,
            "dead_stock": {"days": dead_days, "as_of": as_of.isoformat(), "lines": len(dead)},
            "unavailable": dict(UNAVAILABLE),
        },
    }
    return out
