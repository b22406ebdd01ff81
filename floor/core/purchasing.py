"""What purchasing reads: parts below their warning line, how many to order, cores still owed; JSON and CSV."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.aftersales.complaints import listing
from floor.core.alerts.line import available_totals, below_reorder_point
from floor.core.billing.views import unpaid
from floor.core.csvsafe import SafeWriter
from floor.core.receiving.deliveries import outstanding_by_part
from floor.core.sales.claims import overdue
from floor.core.workorders.cores import cores_report
from floor.models import Part, StockAlert, StockAlertEvent

CSV_COLUMNS = (
    "part_no",
    "name",
    "on_hand",
    "reorder_point",
    "reorder_qty",
    "max_level",
    "on_order",
    "suggested_qty",
    "unit_cost",
    "order_value",
)


def suggested_qty(on_hand: int, on_order: int, reorder_point: int, reorder_qty: int, max_level: int | None) -> int:
    """How many to order: up to the max level, else the reorder quantity (at least back to the point), less what is on order."""
    if max_level:
        want = max_level - on_hand
    else:
        want = max(reorder_qty, reorder_point - on_hand)
    return max(0, want - on_order)


def low_stock(session: Session) -> list[dict[str, Any]]:
    """Parts whose free stock is below their reorder point, with what is on order and the suggestion.

    `on_hand` here is issuable stock less what jobs and sales hold: a reserved part is not free stock.
    """
    parts = session.execute(
        select(Part.id, Part.part_no, Part.name, Part.reorder_point, Part.reorder_qty, Part.max_level, Part.unit_cost)
        .where(Part.active.is_(True), Part.reorder_point > 0)
        .order_by(Part.part_no)
    ).all()
    if not parts:
        return []
    totals = available_totals(session)
    on_order = outstanding_by_part(session)
    since = dict(
        session.execute(select(StockAlert.part_id, StockAlert.raised_at).where(StockAlert.active.is_(True)))
        .tuples()
        .all()
    )
    out: list[dict[str, Any]] = []
    for pid, part_no, name, point, rqty, max_level, cost in parts:
        on_hand = totals.get(pid, 0)
        if not below_reorder_point(on_hand, point):
            continue
        ordered = on_order.get(pid, 0)
        qty = suggested_qty(on_hand, ordered, point, rqty or 0, max_level)
        raised = since.get(pid)
        out.append(
            {
                "part_no": part_no,
                "name": name,
                "on_hand": on_hand,
                "reorder_point": point,
                "suggested_qty": qty,
                "reorder_qty": rqty or 0,
                "max_level": max_level,
                "on_order": ordered,
                "unit_cost": str(Decimal(cost or 0).quantize(Decimal("0.01"))),
                "since": raised.isoformat() if raised else None,
            }
        )
    return out


def cores_outstanding(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Cores still due back from jobs, oldest first (the work-order feature's report)."""
    return list(cores_report(session, now)["cores"])


def alerts(session: Session, now: datetime) -> dict[str, Any]:
    """`GET /api/alerts`: parts below their warning line, outstanding cores, overdue claims, unpaid invoices,
    complaints past their deadline."""
    return {
        "low_stock": low_stock(session),
        "cores_outstanding": cores_outstanding(session, now),
        "claims_overdue": overdue(session, now),  # warranty claims whose old parts are late (SPEC 9.3)
        "unpaid_invoices": unpaid(session),  # invoices with something still owed (SPEC 10.4)
        "complaints_overdue": listing(session, None, now, overdue_only=True),  # past respond_by/resolve_by (10.5)
    }


def reorder_csv(session: Session) -> str:
    """The reorder list for purchasing: one row per low part with something left to order."""
    buf = io.StringIO()
    writer = SafeWriter(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in low_stock(session):
        if row["suggested_qty"] <= 0:
            continue
        value = (Decimal(row["unit_cost"]) * row["suggested_qty"]).quantize(Decimal("0.01"))
        writer.writerow(
            [
                row["part_no"],
                row["name"],
                row["on_hand"],
                row["reorder_point"],
                row["reorder_qty"],
                row["max_level"] if row["max_level"] is not None else "",
                row["on_order"],
                row["suggested_qty"],
                row["unit_cost"],
                str(value),
            ]
        )
    return buf.getvalue()


def alert_log(session: Session, part_no: str | None = None, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """The warning line's crossings, newest last (`offset` skips that many of the newest)."""
    stmt = (
        select(StockAlertEvent, Part.part_no)
        .join(Part, Part.id == StockAlertEvent.part_id)
        .order_by(StockAlertEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if part_no:
        stmt = stmt.where(Part.part_no == part_no)
    rows = [
        {
            "part_no": pn,
            "alert": e.kind,
            "on_hand": e.on_hand,
            "reorder_point": e.reorder_point,
            "at": e.at.isoformat(),
            "event_id": e.event_id,
        }
        for e, pn in session.execute(stmt)
    ]
    return rows[::-1]
