"""Variance as of the moment counted: counted minus the book quantity at the line's count time.

The time rule (SPEC section 4, "as of the time it was counted"):

- a counted line is taken as of its first count scan in the bin's current pass
  (the moment the counter started counting that part in that bin);
- a part the book has in the bin but the counter did not find is a zero count
  as of the bin's last count scan (when the counter finished the bin without it);
- moves stamped at exactly that moment are before the count (`at <= t`), as in
  `floor.core.ledger.on_hand_at`.

So issues, receipts and moves made while a count is under way change neither
the counted nor the expected quantity of a line already counted, and a part
issued out of a bin before the counter got to it is not a false shortage.

Expected is computed for every line in one set-based query: the current level
(`stock_levels`) minus the moves after the line's time, a correlated sum that
walks the (part_id, location_id, at) index from that time on. Recent count
times touch only the few moves since, not the ledger's history.

Once approved, the count's lines carry their expected quantity and unit cost,
and the report reads those: an approved count never changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, null, select, type_coerce, union_all
from sqlalchemy.orm import Session

from floor.core.counts import CountError
from floor.core.counts.settings import CountSettings
from floor.core.csvsafe import SafeWriter
from floor.models import CountLine, CountLocation, CountSession, Location, Part, StockLevel, StockMove, UTCDateTime
from floor.models.base import table_of

CENT = Decimal("0.01")


@dataclass(slots=True)
class VarianceRow:
    """One (bin, part) line of a count: counted, expected as of its time, and who/why."""

    location_id: int
    part_id: int
    location: str
    zone: str
    part_no: str
    name: str
    counted: int
    expected: int
    unit_cost: Decimal
    at: datetime | None
    pass_no: int
    line_id: int | None
    reason: str | None
    counted_current: bool = True  # the line was counted in its bin's current pass

    @property
    def variance(self) -> int:
        """Counted minus expected: positive is an overage, negative a shortage."""
        return self.counted - self.expected

    @property
    def value(self) -> Decimal:
        """The variance valued at unit cost."""
        return (self.unit_cost * self.variance).quantize(CENT)


def get_count(session: Session, count_id: int) -> CountSession:
    """The count session, or CountError 404."""
    count = session.get(CountSession, count_id)
    if count is None:
        raise CountError("no_such_count", id=count_id)
    return count


def _live_rows(session: Session, count_id: int) -> list[VarianceRow]:
    cl, ln, sl, mv = CountLocation, CountLine, table_of(StockLevel), table_of(StockMove)
    bins = select(cl.location_id, cl.pass_no, cl.finished_at).where(cl.count_id == count_id, cl.pass_no > 0).cte("bins")
    current = ln.pass_no == bins.c.pass_no
    counted = (
        select(
            ln.location_id.label("loc"),
            ln.part_id.label("part"),
            case((current, ln.counted), else_=0).label("counted"),
            case((current, ln.counted_at), else_=bins.c.finished_at).label("t"),
            bins.c.pass_no.label("pass_no"),
            ln.id.label("line_id"),
            ln.reason.label("reason"),
            case((current, 1), else_=0).label("cur"),
        )
        .join(bins, bins.c.location_id == ln.location_id)
        .where(ln.count_id == count_id)
    )
    has_line = exists().where(ln.count_id == count_id, ln.location_id == sl.c.location_id, ln.part_id == sl.c.part_id)
    booked = (
        select(
            sl.c.location_id, sl.c.part_id, literal(0), bins.c.finished_at, bins.c.pass_no, null(), null(), literal(0)
        )
        .join(bins, bins.c.location_id == sl.c.location_id)
        .where(~has_line)
    )
    cand = union_all(counted, booked).subquery("cand")
    since = (
        select(func.coalesce(func.sum(mv.c.qty), 0))
        .where(mv.c.part_id == cand.c.part, mv.c.location_id == cand.c.loc, mv.c.at > cand.c.t)
        .scalar_subquery()
    )
    level = sl.alias("lvl")
    stmt = (
        select(
            cand.c.loc,
            cand.c.part,
            Location.code,
            Location.zone,
            Part.part_no,
            Part.name,
            cand.c.counted,
            (func.coalesce(level.c.qty, 0) - since).label("expected"),
            Part.unit_cost,
            type_coerce(cand.c.t, UTCDateTime),
            cand.c.pass_no,
            cand.c.line_id,
            cand.c.reason,
            cand.c.cur,
        )
        .select_from(cand)
        .outerjoin(level, and_(level.c.part_id == cand.c.part, level.c.location_id == cand.c.loc))
        .join(Part, Part.id == cand.c.part)
        .join(Location, Location.id == cand.c.loc)
    )
    out = []
    costs: dict[Any, Decimal] = {}  # a few distinct costs, many lines: convert each once
    for r in session.connection().execute(stmt):
        n_counted, n_expected = int(r[6]), int(r[7])
        if not (n_counted or n_expected):
            continue
        cost = costs.get(r[8])
        if cost is None:
            cost = costs[r[8]] = Decimal(str(r[8] or 0))
        out.append(
            VarianceRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                n_counted,
                n_expected,
                cost,
                r[9],
                int(r[10]),
                r[11],
                r[12],
                bool(r[13]),
            )
        )
    return out


def _frozen_rows(session: Session, count_id: int) -> list[VarianceRow]:
    ln = CountLine
    stmt = (
        select(
            ln.location_id,
            ln.part_id,
            Location.code,
            Location.zone,
            Part.part_no,
            Part.name,
            ln.counted,
            ln.expected,
            ln.unit_cost,
            ln.counted_at,
            ln.pass_no,
            ln.id,
            ln.reason,
        )
        .join(Part, Part.id == ln.part_id)
        .join(Location, Location.id == ln.location_id)
        .where(ln.count_id == count_id, ln.expected.is_not(None))
    )
    return [
        VarianceRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            int(r[6]),
            int(r[7]),
            Decimal(str(r[8] or 0)),
            r[9],
            int(r[10]),
            r[11],
            r[12],
        )
        for r in session.execute(stmt)
    ]


def variance_rows(session: Session, count_id: int) -> list[VarianceRow]:
    """Every line of a count with a counted or expected quantity, sorted by bin and part."""
    count = get_count(session, count_id)
    rows = _frozen_rows(session, count_id) if count.status == "approved" else _live_rows(session, count_id)
    rows.sort(key=lambda r: (r.location, r.part_no))
    return rows


def needs_recount(row: VarianceRow, settings: CountSettings) -> bool:
    """A first-pass line whose variance is over a threshold must be recounted before approval."""
    return row.pass_no <= 1 and settings.over_threshold(row.variance, row.value)


def variance_report(
    session: Session, count_id: int, settings: CountSettings, only_variances: bool = False
) -> dict[str, Any]:
    """`GET /api/counts/<id>/variance`: lines (counted, expected, variance, value) and totals."""
    count = get_count(session, count_id)
    rows = variance_rows(session, count_id)
    approved = count.status == "approved"
    lines = []
    over_q = short_q = 0
    over_v = short_v = Decimal(0)
    recount_bins: set[str] = set()
    for r in rows:
        var, value = r.variance, r.value
        recount = not approved and needs_recount(r, settings)
        if recount:
            recount_bins.add(r.location)
        if var > 0:
            over_q, over_v = over_q + var, over_v + value
        elif var < 0:
            short_q, short_v = short_q - var, short_v - value
        if only_variances and not var:
            continue
        lines.append(
            {
                "location": r.location,
                "part_no": r.part_no,
                "counted": r.counted,
                "expected": r.expected,
                "variance": var,
                "value": str(value),
                "zone": r.zone,
                "name": r.name,
                "unit_cost": str(r.unit_cost.quantize(CENT)),
                "counted_at": r.at.isoformat() if r.at else None,
                "recounts": max(0, r.pass_no - 1),
                "recount_required": recount,
                "reason": r.reason,
            }
        )
    prog = progress(session, count_id)
    return {
        "id": count.id,
        "kind": count.kind,
        "status": count.status,
        "blind": count.blind,
        "approved_at": count.approved_at.isoformat() if count.approved_at else None,
        "lines": lines,
        "totals": {
            "lines": len(rows),
            "variance_lines": sum(1 for r in rows if r.variance),
            "overage_qty": over_q,
            "overage_value": str(over_v.quantize(CENT)),
            "shortage_qty": short_q,
            "shortage_value": str(short_v.quantize(CENT)),
            "net_qty": over_q - short_q,
            "net_value": str((over_v - short_v).quantize(CENT)),
            "recount_required": len(recount_bins),
            "bins": prog["bins"],
            "bins_counted": prog["bins_counted"],
        },
        "recount_bins": sorted(recount_bins),
    }


CSV_COLUMNS = (
    "location",
    "zone",
    "part_no",
    "name",
    "counted",
    "expected",
    "variance",
    "unit_cost",
    "value",
    "counted_at",
    "recounts",
    "recount_required",
    "reason",
)


def variance_pareto(lines: list[dict[str, Any]], top: int = 10) -> list[dict[str, Any]]:
    """The report lines with the largest variance value, with each one's share and the cumulative share (in %)."""
    vals = sorted(
        ((abs(Decimal(line["value"])), line) for line in lines if line["variance"]), key=lambda x: x[0], reverse=True
    )
    total = sum((v for v, _ in vals), Decimal(0))
    out, cum = [], Decimal(0)
    for v, line in vals[:top]:
        cum += v
        out.append(
            {
                "label": f"{line['location']} {line['part_no']}",
                "value": line["value"],
                "variance": line["variance"],
                "pct": float(v * 100 / total) if total else 0.0,
                "cum_pct": float(cum * 100 / total) if total else 0.0,
            }
        )
    return out


def variance_csv(report: dict[str, Any]) -> str:
    """The report's lines as CSV (header row, one line per bin and part)."""
    buf = io.StringIO()
    writer = SafeWriter(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in report["lines"]:
        writer.writerow(["" if line.get(c) is None else line[c] for c in CSV_COLUMNS])
    return buf.getvalue()


def progress(session: Session, count_id: int) -> dict[str, Any]:
    """Counting progress by zone (bins counted, recounts, lines) — safe to show counters: no expected quantities."""
    count = get_count(session, count_id)
    cl = CountLocation
    rows = session.execute(
        select(
            Location.zone,
            func.count(),
            func.sum(case((cl.pass_no > 0, 1), else_=0)),
            func.sum(case((cl.pass_no > 1, 1), else_=0)),
        )
        .join(Location, Location.id == cl.location_id)
        .where(cl.count_id == count_id)
        .group_by(Location.zone)
        .order_by(Location.zone)
    )
    zones = [
        {"zone": z or "-", "bins": int(n), "counted": int(c or 0), "recounted": int(rc or 0)} for z, n, c, rc in rows
    ]
    lines = session.scalar(select(func.count()).select_from(CountLine).where(CountLine.count_id == count_id))
    return {
        "id": count.id,
        "kind": count.kind,
        "status": count.status,
        "blind": count.blind,
        "zone": count.zone,
        "created_at": count.created_at.isoformat(),
        "zones": zones,
        "bins": sum(z["bins"] for z in zones),
        "bins_counted": sum(z["counted"] for z in zones),
        "lines_counted": int(lines or 0),
    }
