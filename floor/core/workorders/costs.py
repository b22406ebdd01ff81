"""Parts cost per job: issued − returned, each at the unit cost of its issue, over a period.

A move counts in the period it was made (`from` ≤ at < `to`), so periods add up
and a late return lowers the cost of the period it happened in. Undos count with
the move they reverse: an undone issue is not issued, an undone return not returned.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from floor.core.csvsafe import SafeDictWriter
from floor.models import Part, StockMove, WorkOrder

CENT = Decimal("0.01")
JOB_COLUMNS = (
    "work_order",
    "vehicle",
    "customer",
    "status",
    "closed_at",
    "lines",
    "issued_qty",
    "returned_qty",
    "net_qty",
    "issued_cost",
    "returned_cost",
    "parts_cost",
)
PART_COLUMNS = (
    "work_order",
    "vehicle",
    "customer",
    "status",
    "closed_at",
    "part_no",
    "part_name",
    "issued_qty",
    "returned_qty",
    "net_qty",
    "issued_cost",
    "returned_cost",
    "parts_cost",
)


def parts_cost_rows(session: Session, start: datetime, end: datetime, by: str = "job") -> list[dict[str, Any]]:
    """One row per job (`by="job"`) or per job and part (`by="part"`) with moves in [start, end)."""
    # The "issued" side: issues (qty < 0) and their undos (qty > 0, lowering it); the rest is the
    # "returned" side: returns (qty > 0) and their undos (qty < 0).
    issued_side = case(
        (StockMove.reason == "issue", 1), ((StockMove.reason == "undo") & (StockMove.qty > 0), 1), else_=0
    ).label("issued_side")
    rows = session.execute(
        select(
            WorkOrder.number,
            WorkOrder.vehicle,
            WorkOrder.customer,
            WorkOrder.status,
            WorkOrder.closed_at,
            Part.part_no,
            Part.name,
            issued_side,
            StockMove.unit_cost,
            func.sum(StockMove.qty),
        )
        .join(WorkOrder, WorkOrder.id == StockMove.work_order_id)
        .join(Part, Part.id == StockMove.part_id)
        .where(StockMove.work_order_id.is_not(None), StockMove.at >= start, StockMove.at < end)
        .group_by(
            WorkOrder.number,
            WorkOrder.vehicle,
            WorkOrder.customer,
            WorkOrder.status,
            WorkOrder.closed_at,
            Part.part_no,
            Part.name,
            issued_side,
            StockMove.unit_cost,
        )
        .order_by(WorkOrder.number, Part.part_no)
    ).all()
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    lines: dict[str, set[str]] = {}
    for number, vehicle, customer, status, closed_at, part_no, part_name, side, cost, qty in rows:
        key = (number,) if by == "job" else (number, part_no)
        row = out.get(key)
        if row is None:
            row = {
                "work_order": number,
                "vehicle": vehicle,
                "customer": customer,
                "status": status,
                "closed_at": closed_at.isoformat() if closed_at else "",
                "issued_qty": 0,
                "returned_qty": 0,
                "issued_cost": Decimal(0),
                "returned_cost": Decimal(0),
            }
            if by != "job":
                row.update(part_no=part_no, part_name=part_name)
            out[key] = row
        lines.setdefault(number, set()).add(part_no)
        qty = int(qty or 0)
        if side:  # stock out to the job is negative: issued grows by -qty
            row["issued_qty"] -= qty
            row["issued_cost"] -= qty * Decimal(cost)
        else:
            row["returned_qty"] += qty
            row["returned_cost"] += qty * Decimal(cost)
    result = []
    for row in out.values():
        row["net_qty"] = row["issued_qty"] - row["returned_qty"]
        row["parts_cost"] = row["issued_cost"] - row["returned_cost"]
        for k in ("issued_cost", "returned_cost", "parts_cost"):
            row[k] = row[k].quantize(CENT)
        if by == "job":
            row["lines"] = len(lines[row["work_order"]])
        result.append(row)
    return result


def to_csv(rows: Iterable[dict[str, Any]], by: str = "job") -> str:
    """The rows as CSV text with a header row (UTF-8 with BOM, so spreadsheet programs read Chinese right)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = SafeDictWriter(
        buf, fieldnames=JOB_COLUMNS if by == "job" else PART_COLUMNS, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: str(v) for k, v in row.items()})
    return buf.getvalue()
