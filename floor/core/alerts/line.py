"""The warning line: raise a part's alert once when its on-hand falls below the reorder point, clear it on recovery.

On-hand here is what can be issued: the stock in store and receiving bins
(quarantine, scrap and core bins do not count). The state lives in one
`stock_alerts` row per part, every crossing in `stock_alert_events`.

Two ways in. On the scan path, `evaluate_in_scan` reads the part's bins once
per batch and overlays the batch's own buffered levels from the ledger, so
a batch costs two small queries per part with a warning line and none for the
rest. Outside scans (API receiving, returns, imports, count approvals),
`evaluate_parts` works from the database after the caller's ledger is flushed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.catalog import Catalog
from floor.core.ledger import Ledger
from floor.core.scanning.context import ScanContext
from floor.core.stockflow import AVAILABLE_KINDS
from floor.models import Location, Part, StockAlert, StockAlertEvent, StockLevel


@dataclass
class _BatchView:
    """What one scan batch has read: each part's available bins as in the database, its alert row."""

    base: dict[int, dict[int, int]] = field(default_factory=dict)
    alerts: dict[int, StockAlert | None] = field(default_factory=dict)


# Keyed by the batch's ledger and by the catalog snapshot: both die with their batch / master-data version.
_VIEWS: WeakKeyDictionary[Ledger, _BatchView] = WeakKeyDictionary()
_POINTS: WeakKeyDictionary[Catalog, dict[int, int]] = WeakKeyDictionary()


def _reorder_points(session: Session, catalog: Catalog) -> dict[int, int]:
    """Reorder points of the parts that have one, read once per master-data version."""
    points = _POINTS.get(catalog)
    if points is None:
        points = {pid: int(rp) for pid, rp in session.execute(
            select(Part.id, Part.reorder_point).where(Part.reorder_point > 0, Part.active.is_(True)))}
        _POINTS[catalog] = points
    return points


def _alert_row(session: Session, part_id: int) -> StockAlert | None:
    pg = session.get_bind().dialect.name == "postgresql"
    # Locked on PostgreSQL so two stations crossing the line at once raise it once.
    return session.get(StockAlert, part_id, with_for_update=pg or None)


def transition(session: Session, part_id: int, on_hand: int, point: int, alert: StockAlert | None, at: datetime,
               event_id: int | None = None) -> tuple[str | None, StockAlert | None]:
    """Raise or clear a part's alert if on-hand crossed the line; returns ('raised'|'cleared'|None, row)."""
    low = point > 0 and on_hand < point
    if low and (alert is None or not alert.active):
        if alert is None:
            alert = StockAlert(part_id=part_id, times_raised=0)
            session.add(alert)
        alert.active, alert.raised_at, alert.cleared_at = True, at, None
        alert.on_hand, alert.reorder_point = on_hand, point
        alert.times_raised = (alert.times_raised or 0) + 1
        kind = "raised"
    elif not low and alert is not None and alert.active:
        alert.active, alert.cleared_at, alert.on_hand, alert.reorder_point = False, at, on_hand, point
        kind = "cleared"
    else:
        return None, alert
    session.add(StockAlertEvent(part_id=part_id, kind=kind, on_hand=on_hand, reorder_point=point,
                                event_id=event_id, at=at))
    return kind, alert


def _db_bins(session: Session, part_id: int) -> dict[int, int]:
    rows = session.execute(select(StockLevel.location_id, StockLevel.qty)
                           .join(Location, Location.id == StockLevel.location_id)
                           .where(StockLevel.part_id == part_id, Location.kind.in_(AVAILABLE_KINDS)))
    return {loc: int(qty) for loc, qty in rows}


def _scan_on_hand(ctx: ScanContext, view: _BatchView, part_id: int) -> int:
    base = view.base.get(part_id)
    if base is None:
        base = view.base[part_id] = _db_bins(ctx.session, part_id)
    levels = dict(base)
    # Levels this batch changed are buffered in the ledger until the engine flushes it.
    for p, loc in ctx.ledger.changed:
        if p == part_id:
            info = ctx.catalog.locations.get(loc)
            if info is not None and info.kind in AVAILABLE_KINDS:
                levels[loc] = ctx.ledger.levels[(p, loc)]
    return sum(levels.values())


def evaluate_in_scan(ctx: ScanContext, part_ids: Iterable[int]) -> list[dict[str, object]]:
    """Re-evaluate parts a scan changed; returns the crossings (for the scan's effects)."""
    points = _reorder_points(ctx.session, ctx.catalog)
    todo = [p for p in part_ids if p in points]
    if not todo:
        return []
    view = _VIEWS.get(ctx.ledger)
    if view is None:
        view = _VIEWS[ctx.ledger] = _BatchView()
    out: list[dict[str, object]] = []
    for part_id in todo:
        on_hand = _scan_on_hand(ctx, view, part_id)
        if part_id not in view.alerts:
            view.alerts[part_id] = _alert_row(ctx.session, part_id)
        kind, view.alerts[part_id] = transition(ctx.session, part_id, on_hand, points[part_id],
                                                view.alerts[part_id], ctx.at, ctx.event_id)
        if kind is not None:
            part = ctx.catalog.parts.get(part_id)
            out.append({"alert": kind, "part_no": part.part_no if part else str(part_id), "on_hand": on_hand,
                        "reorder_point": points[part_id]})
    return out


def available_totals(session: Session, part_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Issuable on-hand per part (store and receiving bins), from the database."""
    stmt = (select(StockLevel.part_id, func.sum(StockLevel.qty))
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.kind.in_(AVAILABLE_KINDS)).group_by(StockLevel.part_id))
    if part_ids is not None:
        stmt = stmt.where(StockLevel.part_id.in_(list(part_ids)))
    return {pid: int(qty or 0) for pid, qty in session.execute(stmt)}


def evaluate_parts(session: Session, part_ids: Iterable[int], at: datetime,
                   event_id: int | None = None) -> list[dict[str, object]]:
    """Re-evaluate parts after stock changed outside the scan path (the caller's moves are flushed)."""
    ids = sorted(set(part_ids))
    out: list[dict[str, object]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        parts = session.execute(select(Part.id, Part.part_no, Part.reorder_point).where(Part.id.in_(chunk))).all()
        totals = available_totals(session, chunk)
        stmt = select(StockAlert).where(StockAlert.part_id.in_(chunk)).order_by(StockAlert.part_id)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        alerts = {a.part_id: a for a in session.scalars(stmt)}
        for pid, part_no, point in parts:
            on_hand = totals.get(pid, 0)
            kind, _row = transition(session, pid, on_hand, int(point or 0), alerts.get(pid), at, event_id)
            if kind is not None:
                out.append({"alert": kind, "part_no": part_no, "on_hand": on_hand, "reorder_point": int(point or 0)})
    session.flush()
    return out


def evaluate_all(session: Session, at: datetime) -> list[dict[str, object]]:
    """Re-evaluate every part with a warning line or an active alert (after imports or count approvals)."""
    ids = set(session.scalars(select(Part.id).where(Part.reorder_point > 0)))
    ids |= set(session.scalars(select(StockAlert.part_id).where(StockAlert.active.is_(True))))
    return evaluate_parts(session, ids, at)
