"""Sales statistics: shipped sales in a period by customer, by part and by day (revenue, cost, margin).

`sales_stats` is the one function the API, its CSV and the reports use. Shipping writes
each sale's totals onto its row, so customers and days come from one pass over the sales
of the period (the day split in Python: the site's local midnight on both databases), and
only the by-part figures read the lines (one grouped query).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from floor.core.csvsafe import SafeWriter
from floor.core.sales.orders import money
from floor.models import Customer, Part, Sale, SaleLine

CSV_COLUMNS = ("group", "key", "name", "sales", "qty", "revenue", "cost", "margin")


def _money_row(revenue: Any, cost: Any) -> dict[str, str]:
    rev, cst = money(Decimal(revenue or 0)), money(Decimal(cost or 0))
    return {"revenue": str(rev), "cost": str(cst), "margin": str(rev - cst)}


def _offset_segments(start: datetime, end: datetime, tz: tzinfo) -> list[tuple[datetime, datetime, int]]:
    """Split [start, end) where the site's UTC offset changes (DST): (from, to, offset in seconds) each."""
    step = timedelta(minutes=15)  # every real offset is a multiple of 15 minutes

    def offset(at: datetime) -> int:
        delta = at.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    segments: list[tuple[datetime, datetime, int]] = []
    seg_start, seg_off, at = start, offset(start), start
    while at < end:
        nxt = min(at + timedelta(days=1), end)
        if offset(nxt) != seg_off or nxt == end:
            probe = at
            while probe < nxt and offset(probe) == seg_off:  # find the change within the day
                probe += step
            if offset(probe) != seg_off and probe < end:
                segments.append((seg_start, probe, seg_off))
                seg_start, seg_off = probe, offset(probe)
        at = nxt
    segments.append((seg_start, end, seg_off))
    return segments


def _local_day(session: Session, offset: int) -> Any:
    """SQL for the local date of `shipped_at` under a constant UTC offset."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Sale.shipped_at, f"{offset:+d} seconds")
    # An int from the zone database, not client input: safe to inline (a bound timedelta would
    # go through the column's UTC-datetime type).
    return func.date(Sale.shipped_at + literal_column(f"interval '{int(offset)} seconds'"))


def sales_stats(session: Session, start: datetime, end: datetime, tz: tzinfo) -> dict[str, Any]:
    """Sales shipped in [start, end): totals, and by customer, by part and by local day."""
    in_period = (Sale.status == "shipped", Sale.shipped_at >= start, Sale.shipped_at < end)
    sums = (func.count(Sale.id), func.sum(Sale.qty_total), func.sum(Sale.goods_total), func.sum(Sale.cost_total))
    by_customer = [
        {"customer": code, "name": name, "sales": int(n), "qty": int(q or 0), **_money_row(r, c)}
        for code, name, n, q, r, c in session.execute(
            select(Customer.code, Customer.name, *sums)
            .join(Customer, Customer.id == Sale.customer_id)
            .where(*in_period)
            .group_by(Customer.code, Customer.name)
        )
    ]
    by_customer.sort(key=lambda row: (-Decimal(row["revenue"]), row["customer"]))
    days: dict[str, list[Any]] = {}
    for seg_start, seg_end, offset in _offset_segments(start, end, tz):
        day = _local_day(session, offset)
        for d, n, q, r, c in session.execute(
            select(day, *sums)
            .where(Sale.status == "shipped", Sale.shipped_at >= seg_start, Sale.shipped_at < seg_end)
            .group_by(day)
        ):
            row = days.setdefault(str(d)[:10], [0, 0, Decimal(0), Decimal(0)])
            row[0] += int(n)
            row[1] += int(q or 0)
            row[2] += Decimal(r or 0)
            row[3] += Decimal(c or 0)
    sale_ids = select(Sale.id).where(*in_period).scalar_subquery()
    part_rows = session.execute(
        select(
            SaleLine.part_id,
            func.count(func.distinct(SaleLine.sale_id)),
            func.sum(SaleLine.qty),
            func.sum(SaleLine.qty * SaleLine.price),
            func.sum(SaleLine.qty * SaleLine.unit_cost),
        )
        .where(SaleLine.sale_id.in_(sale_ids))
        .group_by(SaleLine.part_id)
    ).all()
    parts = dict(
        (pid, (part_no, name))
        for pid, part_no, name in session.execute(
            select(Part.id, Part.part_no, Part.name).where(Part.id.in_([r[0] for r in part_rows] or [-1]))
        )
    )
    by_part = sorted(
        (
            {"part_no": parts[pid][0], "name": parts[pid][1], "sales": int(n), "qty": int(q or 0), **_money_row(r, c)}
            for pid, n, q, r, c in part_rows
        ),
        key=lambda row: (-Decimal(row["revenue"]), row["part_no"]),
    )
    by_day = [{"day": day, "sales": n, "qty": q, **_money_row(r, c)} for day, (n, q, r, c) in sorted(days.items())]
    total = [sum(row[i] for row in days.values()) for i in range(4)]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "totals": {"sales": total[0], "qty": total[1], **_money_row(total[2], total[3])},
        "by_customer": by_customer,
        "by_part": by_part,
        "by_day": by_day,
    }


def stats_csv(stats: dict[str, Any]) -> str:
    """The statistics as one CSV: a row per customer, part and day (`group` says which)."""
    buf = io.StringIO()
    writer = SafeWriter(buf, lineterminator="\r\n")  # customer and part names are typed by people
    writer.writerow(CSV_COLUMNS)
    for group, key, name_key, rows in (
        ("customer", "customer", "name", stats["by_customer"]),
        ("part", "part_no", "name", stats["by_part"]),
        ("day", "day", None, stats["by_day"]),
    ):
        for r in rows:
            writer.writerow(
                [
                    group,
                    r[key],
                    r[name_key] if name_key else "",
                    r["sales"],
                    r["qty"],
                    r["revenue"],
                    r["cost"],
                    r["margin"],
                ]
            )
    return buf.getvalue()
