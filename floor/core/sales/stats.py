"""Sales statistics: shipped sales in a period by customer, by part and by day (revenue, cost, margin).

`sales_stats` is the one function the API, its CSV and the reports use. Three grouped
queries; the per-day split runs over one row per sale (not per line) in Python, so the
day boundary is the site's local midnight on both databases.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.sales.orders import money
from floor.models import Customer, Part, Sale, SaleLine

CSV_COLUMNS = ("group", "key", "name", "sales", "qty", "revenue", "cost", "margin")


def _money_row(revenue: Any, cost: Any) -> dict[str, str]:
    rev, cst = money(Decimal(revenue or 0)), money(Decimal(cost or 0))
    return {"revenue": str(rev), "cost": str(cst), "margin": str(rev - cst)}


def sales_stats(session: Session, start: datetime, end: datetime, tz: tzinfo) -> dict[str, Any]:
    """Sales shipped in [start, end): totals, and by customer, by part and by local day."""
    revenue = func.sum(SaleLine.qty * SaleLine.price)
    cost = func.sum(SaleLine.qty * SaleLine.unit_cost)
    qty = func.sum(SaleLine.qty)
    shipped = (Sale.status == "shipped", Sale.shipped_at >= start, Sale.shipped_at < end)
    by_customer = [
        {"customer": code, "name": name, "sales": int(n), "qty": int(q or 0), **_money_row(r, c)}
        for code, name, n, q, r, c in session.execute(
            select(Customer.code, Customer.name, func.count(func.distinct(Sale.id)), qty, revenue, cost)
            .select_from(Sale)
            .join(SaleLine, SaleLine.sale_id == Sale.id)
            .join(Customer, Customer.id == Sale.customer_id)
            .where(*shipped)
            .group_by(Customer.code, Customer.name)
            .order_by(revenue.desc(), Customer.code)
        )
    ]
    by_part = [
        {"part_no": part_no, "name": name, "sales": int(n), "qty": int(q or 0), **_money_row(r, c)}
        for part_no, name, n, q, r, c in session.execute(
            select(Part.part_no, Part.name, func.count(func.distinct(Sale.id)), qty, revenue, cost)
            .select_from(Sale)
            .join(SaleLine, SaleLine.sale_id == Sale.id)
            .join(Part, Part.id == SaleLine.part_id)
            .where(*shipped)
            .group_by(Part.part_no, Part.name)
            .order_by(revenue.desc(), Part.part_no)
        )
    ]
    days: dict[str, list[Any]] = {}
    for at, q, r, c in session.execute(
        select(Sale.shipped_at, qty, revenue, cost)
        .select_from(Sale)
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .where(*shipped)
        .group_by(Sale.id, Sale.shipped_at)
    ):
        day = at.astimezone(tz).date().isoformat()
        row = days.setdefault(day, [0, 0, Decimal(0), Decimal(0)])
        row[0] += 1
        row[1] += int(q or 0)
        row[2] += Decimal(r or 0)
        row[3] += Decimal(c or 0)
    by_day = [{"day": day, "sales": n, "qty": q, **_money_row(r, c)} for day, (n, q, r, c) in sorted(days.items())]
    total_rev = sum((Decimal(d["revenue"]) for d in by_day), Decimal(0))
    total_cost = sum((Decimal(d["cost"]) for d in by_day), Decimal(0))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "totals": {
            "sales": sum(d["sales"] for d in by_day),
            "qty": sum(d["qty"] for d in by_day),
            **_money_row(total_rev, total_cost),
        },
        "by_customer": by_customer,
        "by_part": by_part,
        "by_day": by_day,
    }


def stats_csv(stats: dict[str, Any]) -> str:
    """The statistics as one CSV: a row per customer, part and day (`group` says which)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
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
