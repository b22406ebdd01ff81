"""The KPIs of a period, computed from the ledger and the records as they are (no nightly batch).

Every figure is defined in docs/kpis.md. Money is valued at each move's own
unit cost (the ledger's book value), so the stock value at any instant is the sum of qty × unit
cost of the moves up to it. Stock in scrap bins is not stock value. The average stock value of a
period is time-weighted: the opening value plus each move's value times the days from its instant
to the period's end, divided by the period's days (the sum of value × days ÷ days), read with one
aggregate pass over the period's moves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, func, select, text
from sqlalchemy.orm import Session

from floor.core.ledger_summary import CONSUMPTION_REASONS, consumption_sql
from floor.core.reports.deadstock import DEFAULT_DAYS, dead_stock
from floor.core.reports.period import Period
from floor.core.reports.records import fill_rate, rework_rate, sales, warranty
from floor.core.reports.sqlparts import CONSUMPTION, STORE_BINS, days_since_start, is_pg
from floor.core.reports.workshop import workshop_sales
from floor.models import CountLine, CountLocation, CountSession, CustomerReturn, Location, Part, UTCDateTime
from floor.models.ledger import MoveReason
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
    "labour_sales",
    "parts_sales_workshop",
    "revenue_per_job",
    "parts_margin",
)
# KPIs whose records floor does not keep yet: reported as null with the reason. Every SPEC 9.5
# KPI now has its records (requests, QC results, sales), so none is missing in this build.
UNAVAILABLE: dict[str, str] = {}


def _dec(value: Any) -> Decimal:
    """A SUM from either database as Decimal (SQLite hands back floats)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _ratio(num: float | Decimal, den: float | Decimal, places: int = 4) -> float | None:
    return round(float(num) / float(den), places) if den else None


@dataclass
class Flow:
    """The stock value and consumption of a period."""

    opening_value: Decimal
    closing_value: Decimal
    average_value: Decimal
    cost_consumed: Decimal  # cost of parts issued and sold, net of returns
    units_consumed: int


def _not_scrap(session: Session) -> str:
    """`AND location_id NOT IN (...)` for the scrap bins, or nothing when there are none (the usual case)."""
    ids = [int(i) for i in session.scalars(select(Location.id).where(Location.kind == "scrap"))]
    return f" AND location_id NOT IN ({', '.join(map(str, ids))})" if ids else ""


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(moment: datetime) -> datetime:
    hour = _floor_hour(moment)
    return hour if hour == moment else hour + timedelta(hours=1)


@dataclass
class _Sums:
    """Of the moves in a span of time: value (outside scrap), Σ value × days after a reference instant, consumption."""

    value: Decimal = Decimal(0)
    by_time: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    units: int = 0

    def add(self, value: Any, by_time: Any, cost: Any, units: Any) -> None:
        self.value += _dec(value)
        self.by_time += _dec(by_time)
        self.cost += _dec(cost)
        self.units += int(units or 0)


def _epoch(session: Session, column: str) -> str:
    if is_pg(session):
        return f"EXTRACT(EPOCH FROM {column})"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def _sums(session: Session, t0: datetime | None, t1: datetime, ref: datetime) -> _Sums:
    """Value, value × days after `ref`, cost and units consumed of the moves with t0 <= at < t1 (t0 None: all before t1).

    Whole UTC hours come from the hour summary (floor.core.ledger_summary); the parts of an hour at
    either end (a site whose midnight is not on the hour) from the ledger's moves in them.
    """
    out = _Sums()
    h0 = None if t0 is None else _ceil_hour(t0)
    h1 = _floor_hour(t1)
    edges: list[tuple[datetime | None, datetime]] = []
    if h0 is not None and h0 >= h1:
        edges.append((t0, t1))
    else:
        cond = "hour < :h1" if h0 is None else "hour >= :h0 AND hour < :h1"
        sql = (
            "SELECT SUM(value), SUM(value * (" + _epoch(session, "hour") + " - :ref_epoch) + value_secs) / 86400.0,"
            f" SUM(consumed_cost), SUM(consumed_qty) FROM stock_value_hours WHERE {cond}"
        )
        names = ["h1"] if h0 is None else ["h0", "h1"]
        stmt = text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n in names))
        out.add(*session.execute(stmt, {"h0": h0, "h1": h1, "ref_epoch": ref.timestamp()}).one())
        if t0 is not None and h0 is not None and t0 < h0:
            edges.append((t0, h0))
        if h1 < t1:
            edges.append((h1, t1))
    for e0, e1 in edges:
        out.add(*_ledger_sums(session, e0, e1, ref))
    return out


def _ledger_sums(session: Session, t0: datetime | None, t1: datetime, ref: datetime) -> Any:
    """The same sums read from the moves themselves (a part of an hour: few rows, by the time index)."""
    not_scrap = _not_scrap(session)
    valued = "qty * unit_cost" if not not_scrap else f"CASE WHEN 1 = 1{not_scrap} THEN qty * unit_cost ELSE 0 END"
    sql = (
        f"SELECT SUM({valued}), SUM(({valued}) * {days_since_start(session)}),"
        f" SUM(CASE WHEN {CONSUMPTION} THEN -qty * unit_cost ELSE 0 END),"
        f" SUM(CASE WHEN {CONSUMPTION} THEN -qty ELSE 0 END)"
        f" FROM stock_moves WHERE {'at >= :t0 AND ' if t0 is not None else ''}at < :t1"
    )
    names = ["start", "t1"] + (["t0"] if t0 is not None else [])
    stmt = text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n in names))
    return session.execute(stmt, {"start": ref, "t0": t0, "t1": t1}).one()


def stock_flow(session: Session, period: Period) -> Flow:
    """Opening, closing and average stock value and the consumption of the period, from the hour summary.

    The average is time-weighted: each move's value v = qty × unit cost counts for the time from its
    instant to the period's end, Σ v × (end − at) = n Σv − Σ v × (at − start), in days.
    """
    opening = _sums(session, None, period.start, period.start).value
    moves = _sums(session, period.start, period.end, period.start)
    n = Decimal((period.end - period.start).total_seconds()) / 86400
    # Σ v × (end − at) = n Σv − Σ v × (at − start), in days
    weighted = moves.value * n - moves.by_time
    return Flow(opening, opening + moves.value, opening + weighted / n, moves.cost, moves.units)


def stockouts(session: Session, period: Period) -> dict[str, int]:
    """Part-days at zero available in store bins (closing balance <= 0) while the part was demanded.

    Demanded: an active part with a warning line (reorder point > 0), or one issued or sold in the
    period. Read from the runs at zero that the ledger keeps per part (floor.core.ledger_summary):
    a day counts when its closing instant (the next midnight) lies in a run, since < t <= until. A
    part without a warning line counts from its first store move (before it the store did not hold
    it); one with a warning line counts from the start.
    """
    rows = session.execute(_STOCKOUT_SQL, {"start": period.start, "end": period.end, "yes": True})
    conv = UTCDateTime()
    days: dict[int, int] = defaultdict(int)
    for part_id, since_raw, until_raw, warned, first_raw in rows:
        since = conv.process_result_value(since_raw, None)  # type: ignore[arg-type]
        until = conv.process_result_value(until_raw, None)  # type: ignore[arg-type]
        if since is None and not warned:
            since = conv.process_result_value(first_raw, None)  # type: ignore[arg-type]
        a = period.start if since is None or since < period.start else since
        b = period.end if until is None or until > period.end else until
        if b > a:
            # the midnights M with a < M <= b: one per local day boundary crossed
            n = (period.local_date(b) - period.local_date(a)).days
            if n > 0:
                days[int(part_id)] += n
    return {"part_days": sum(days.values()), "parts": len(days)}


_DEMANDED = f"""(p.active = :yes AND p.reorder_point > 0) OR EXISTS (
  SELECT 1 FROM stock_moves m WHERE m.part_id = c.part_id AND m.reason IN ({", ".join(f"'{r}'" for r in (*CONSUMPTION_REASONS, MoveReason.UNDO.value))})
   AND m.at >= :start AND m.at < :end AND m.location_id IN {STORE_BINS} AND {consumption_sql("m")})"""
_STOCKOUT_SQL = text(
    f"""
SELECT c.part_id, c.since, c.until, CASE WHEN p.active = :yes AND p.reorder_point > 0 THEN 1 ELSE 0 END, s.first_at
FROM (
  SELECT part_id, since, until FROM stockout_spans WHERE until > :start AND (since IS NULL OR since < :end)
  UNION ALL
  SELECT part_id, zero_since, NULL FROM store_stock WHERE qty <= 0 AND (zero_since IS NULL OR zero_since < :end)
  UNION ALL
  SELECT p0.id, NULL, NULL FROM parts p0 WHERE p0.active = :yes AND p0.reorder_point > 0
   AND NOT EXISTS (SELECT 1 FROM store_stock s0 WHERE s0.part_id = p0.id)
) c JOIN parts p ON p.id = c.part_id LEFT JOIN store_stock s ON s.part_id = c.part_id
WHERE {_DEMANDED}
"""
).bindparams(bindparam("start", type_=UTCDateTime), bindparam("end", type_=UTCDateTime))


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
    ids = [c[0] for c in counts]
    # An approved count's lines carry their frozen expected quantity and unit cost; the database sums
    # them per count and class, and says per counted bin whether any of its lines is off.
    values: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)  # |var value|, exp value
    bins: dict[int, dict[int, str]] = defaultdict(dict)
    off: dict[int, set[int]] = defaultdict(set)
    cls_col = func.coalesce(Part.abc_override, Part.abc)
    cost = func.coalesce(CountLine.unit_cost, 0)
    variance = CountLine.counted - CountLine.expected
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for count_id, cls_name, n, ok, abs_value, exp_value in session.execute(
            select(
                CountLine.count_id,
                cls_col,
                func.count(),
                func.sum(case((variance == 0, 1), else_=0)),
                func.sum(func.abs(variance) * cost),
                func.sum(CountLine.expected * cost),
            )
            .join(Part, Part.id == CountLine.part_id)
            .where(CountLine.count_id.in_(chunk), CountLine.expected.is_not(None))
            .group_by(CountLine.count_id, cls_col)
        ):
            c = classes[cls_name or "-"]
            c[0] += int(n)
            c[1] += int(ok or 0)
            c[2] += _dec(abs_value)
            c[3] += _dec(exp_value)
            v = values[count_id]
            v[0] += _dec(abs_value)
            v[1] += _dec(exp_value)
        for count_id, loc, zone_name in session.execute(
            select(CountLocation.count_id, CountLocation.location_id, Location.zone)
            .join(Location, Location.id == CountLocation.location_id)
            .where(CountLocation.count_id.in_(chunk), CountLocation.pass_no > 0)
        ):
            bins[count_id][loc] = zone_name or "-"
        for count_id, loc, any_off in session.execute(
            select(CountLine.count_id, CountLine.location_id, func.max(case((variance != 0, 1), else_=0)))
            .where(CountLine.count_id.in_(chunk), CountLine.expected.is_not(None))
            .group_by(CountLine.count_id, CountLine.location_id)
        ):
            bins[count_id].setdefault(loc, "-")  # a line's bin the count did not list
            if any_off:
                off[count_id].add(loc)
    for count_id, kind, zone, approved_at in counts:
        bin_zone = bins[count_id]
        n_bins = len(bin_zone)
        ok = n_bins - len(off[count_id])
        for loc, zone_name in bin_zone.items():
            z = zones[zone_name]
            z[0] += 1
            z[1] += 0 if loc in off[count_id] else 1
        abs_value, exp_value = values[count_id]
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
        if ret is not None
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
    # A period not yet over (this month on its 7th) has used only the days gone by: dividing its consumption
    # by all of its days would make days of supply grow the earlier in the month one looks.
    days_gone = max((min(period.end, now) - period.start).total_seconds(), 0) / 86400
    days_of_supply = (
        round(float(flow.average_value) * days_gone / float(flow.cost_consumed), 1)
        if flow.cost_consumed > 0 and days_gone > 0
        else None
    )
    acc = count_accuracy(session, period)
    ret = returns(session, period, flow.units_consumed)
    core = cores(session, period)
    outs = stockouts(session, period)
    as_of = min(period.end, now)
    dead = dead_stock(session, as_of, dead_days, now)
    dead_value = sum((Decimal(str(line["value"])) for line in dead), Decimal(0))
    fill = fill_rate(session, period)
    rework = rework_rate(session, period)
    sold = sales(session, period)
    claims = warranty(session, period, as_of)
    shop = workshop_sales(session, period)
    out: dict[str, Any] = {
        **period.as_dict(),
        "turnover": turnover,
        "days_of_supply": days_of_supply,
        "fill_rate": fill["rate"],
        "count_accuracy": acc["accuracy"],
        "returns_rate": ret["rate"],
        "rework_rate": rework["rate"],
        "core_return_rate": core["rate"],
        "stockouts": outs["part_days"],
        "dead_stock_value": float(dead_value.quantize(CENT)),
        "sales_total": sold["total"],
        "parts_cost_total": float(flow.cost_consumed.quantize(CENT)),
        # The workshop's invoices (SPEC 10.4, floor.core.reports.workshop).
        "labour_sales": shop["labour_sales"],
        "parts_sales_workshop": shop["parts_sales_workshop"],
        "revenue_per_job": shop["revenue_per_job"],
        "parts_margin": shop["parts_margin"],
        # Not a SPEC 9.5 key (so not in KPI_KEYS/CSV): claims credited in the period vs. owed at its end.
        "warranty_claims": claims,
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
            "fill": fill,
            "rework": rework,
            "sales": sold,
            "workshop": shop["details"],
            "unavailable": dict(UNAVAILABLE),
        },
    }
    return out
