"""KPIs over the records of SPEC 9.2–9.4: first-time fill, rework, sales and warranty claims.

Each reads its own feature's table with one or two aggregate queries; `kpis` adds them to the
ledger's figures. Definitions: docs/kpis.md.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from floor.core.reports.period import Period
from floor.models import ScanEvent
from floor.models.reception import QcResult
from floor.models.requests import PartRequest
from floor.models.sales import Sale, WarrantyClaim

CENT = Decimal("0.01")


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _money(value: Any) -> float:
    """A SUM from either database (SQLite hands back floats, None for no rows) as money."""
    return float(Decimal(str(value or 0)).quantize(CENT))


def fill_rate(session: Session, period: Period) -> dict[str, Any]:
    """Request lines made in the period met in full from stock when made ÷ all lines made in it.

    A line whose making scan was undone was never asked for and is left out; a line cancelled later
    for any other reason still counts (whether it was filled was decided when it was made).
    Sale lines do not record a first-time fill, so only request lines count.
    """
    undone = select(ScanEvent.id).where(ScanEvent.undone_by.is_not(None))
    total, filled = session.execute(
        select(
            func.count(PartRequest.id),
            func.count(PartRequest.id).filter(PartRequest.filled_from_stock.is_(True)),
        ).where(
            PartRequest.created_at >= period.start,
            PartRequest.created_at < period.end,
            or_(PartRequest.event_id.is_(None), PartRequest.event_id.not_in(undone)),
        )
    ).one()
    lines, met = int(total or 0), int(filled or 0)
    return {"lines": lines, "filled_from_stock": met, "rate": _ratio(met, lines)}


def rework_rate(session: Session, period: Period) -> dict[str, Any]:
    """Jobs with a FAIL verdict in the period (sent back to work) ÷ jobs with any QC verdict in it."""
    valid = (QcResult.at >= period.start, QcResult.at < period.end, QcResult.undone_at.is_(None))
    jobs, failed, verdicts, fails = session.execute(
        select(
            func.count(distinct(QcResult.work_order_id)),
            func.count(distinct(QcResult.work_order_id)).filter(QcResult.result == "fail"),
            func.count(QcResult.id),
            func.count(QcResult.id).filter(QcResult.result == "fail"),
        ).where(*valid)
    ).one()
    inspected, reworked = int(jobs or 0), int(failed or 0)
    return {
        "jobs_inspected": inspected,
        "jobs_reworked": reworked,
        "verdicts": int(verdicts or 0),
        "fails": int(fails or 0),
        "rate": _ratio(reworked, inspected),
    }


def sales(session: Session, period: Period) -> dict[str, Any]:
    """Sales shipped in the period: how many, goods amount (lines' qty × price) and their cost."""
    n, goods, cost = session.execute(
        select(func.count(Sale.id), func.sum(Sale.goods_total), func.sum(Sale.cost_total)).where(
            Sale.status == "shipped", Sale.shipped_at >= period.start, Sale.shipped_at < period.end
        )
    ).one()
    return {"sales": int(n or 0), "total": _money(goods), "cost": _money(cost)}


def warranty(session: Session, period: Period, as_of: datetime) -> dict[str, Any]:
    """Warranty claims credited in the period, and owed (approved, not yet credited) as of `as_of`."""
    credited_n, credited = session.execute(
        select(func.count(WarrantyClaim.id), func.sum(WarrantyClaim.credited_amount)).where(
            WarrantyClaim.status == "credited",
            WarrantyClaim.credited_at >= period.start,
            WarrantyClaim.credited_at < period.end,
        )
    ).one()
    # Owed at an instant: approved by then and not credited by then (a claim credited since was
    # still owed at a past period's end; approval sets decided_at, crediting keeps it).
    owed_n, owed = session.execute(
        select(func.count(WarrantyClaim.id), func.sum(WarrantyClaim.amount)).where(
            WarrantyClaim.status.in_(("approved", "credited")),
            WarrantyClaim.decided_at < as_of,
            or_(WarrantyClaim.credited_at.is_(None), WarrantyClaim.credited_at >= as_of),
        )
    ).one()
    return {
        "credited": _money(credited),
        "credited_claims": int(credited_n or 0),
        "owed": _money(owed),
        "owed_claims": int(owed_n or 0),
        "owed_as_of": as_of.isoformat(),
    }
