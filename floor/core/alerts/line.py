"""The warning line: raise a part's alert once when its on-hand falls below the reorder point, clear it on recovery.

On-hand here is what can be issued: the stock in store and receiving bins
(quarantine, scrap and core bins do not count). The state lives in one
`stock_alerts` row per part, every crossing in `stock_alert_events`.

Two ways in. On the scan path, `evaluate_in_scan` reads the part's bins and
alert flag once per batch (two small Core queries) and overlays the batch's
own buffered levels from the ledger; parts without a warning line cost nothing
and only an actual crossing writes (locking the part's alert row first). Outside scans (API receiving, returns, imports, count approvals),
`evaluate_parts` works from the database after the caller's ledger is flushed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from floor.core import reservations
from floor.core.catalog import Catalog
from floor.core.ledger import Ledger
from floor.core.scanning.context import ScanContext
from floor.models import Location, Part, ReservedTotal, StockAlert, StockAlertEvent, StockLevel
from floor.models.base import table_of
from floor.models.master import AVAILABLE_KINDS


@dataclass
class _BatchView:
    """What one scan batch has read: each part's available bins as in the database, whether its alert is active."""

    base: dict[int, dict[int, int]] = field(default_factory=dict)
    active: dict[int, bool] = field(default_factory=dict)


# Keyed by the batch's ledger and by the catalog snapshot: both die with their batch / master-data version.
_VIEWS: WeakKeyDictionary[Ledger, _BatchView] = WeakKeyDictionary()
_POINTS: WeakKeyDictionary[Catalog, dict[int, int]] = WeakKeyDictionary()
_level = table_of(StockLevel)
_loc = table_of(Location)
_alert = table_of(StockAlert)
# Plain Core statements: the scan path runs them once per part and batch, without ORM entity loading.
_BINS = (
    select(_level.c.location_id, _level.c.qty)
    .join(_loc, _loc.c.id == _level.c.location_id)
    .where(_level.c.part_id == bindparam("p"), _loc.c.kind.in_(AVAILABLE_KINDS))
)
_ACTIVE = select(_alert.c.active).where(_alert.c.part_id == bindparam("p"))


def _reorder_points(session: Session, catalog: Catalog) -> dict[int, int]:
    """Reorder points of the parts that have one, read once per master-data version."""
    points = _POINTS.get(catalog)
    if points is None:
        points = {
            pid: int(rp)
            for pid, rp in session.execute(
                select(Part.id, Part.reorder_point).where(Part.reorder_point > 0, Part.active.is_(True))
            )
        }
        _POINTS[catalog] = points
    return points


def _locked_row(session: Session, part_id: int) -> StockAlert:
    """The part's alert row, created if missing and locked (PostgreSQL): two stations crossing at once raise once."""
    pg = session.get_bind().dialect.name == "postgresql"
    session.flush()
    ins = (
        (pg_insert if pg else sqlite_insert)(StockAlert)
        .values(part_id=part_id, active=False, on_hand=0, reorder_point=0, times_raised=0)
        .on_conflict_do_nothing()
    )
    session.execute(ins)
    row = session.get(StockAlert, part_id, with_for_update=pg or None, populate_existing=True)
    assert row is not None
    return row


def below_reorder_point(on_hand: int, point: int) -> bool:
    """THE warning line: a part with a reorder point is low when its on-hand is below it."""
    return point > 0 and on_hand < point


def transition(
    session: Session, part_id: int, on_hand: int, point: int, at: datetime, event_id: int | None = None
) -> str | None:
    """Raise or clear a part's alert if on-hand crossed the line; returns 'raised', 'cleared' or None.

    Callers ask only when the state they read looks wrong; the row is then locked and read again.
    """
    low = below_reorder_point(on_hand, point)
    alert = _locked_row(session, part_id)
    if low and not alert.active:
        alert.active, alert.raised_at, alert.cleared_at = True, at, None
        alert.times_raised = (alert.times_raised or 0) + 1
        kind = "raised"
    elif not low and alert.active:
        alert.active, alert.cleared_at = False, at
        kind = "cleared"
    else:
        return None
    alert.on_hand, alert.reorder_point = on_hand, point
    session.add(
        StockAlertEvent(part_id=part_id, kind=kind, on_hand=on_hand, reorder_point=point, event_id=event_id, at=at)
    )
    return kind


def _scan_on_hand(ctx: ScanContext, view: _BatchView, part_id: int) -> int:
    base = view.base.get(part_id)
    if base is None:
        conn = ctx.session.connection()
        base = view.base[part_id] = {loc: int(qty) for loc, qty in conn.execute(_BINS, {"p": part_id})}
        view.active[part_id] = bool(conn.execute(_ACTIVE, {"p": part_id}).scalar())
    levels = dict(base)
    # Levels this batch changed are buffered in the ledger until the engine flushes it.
    for p, loc in ctx.ledger.changed:
        if p == part_id:
            info = ctx.catalog.locations.get(loc)
            if info is not None and info.kind in AVAILABLE_KINDS:
                levels[loc] = ctx.ledger.levels[(p, loc)]
    # Stock held for jobs and sales is not free stock (SPEC 9.2); the total is read once per transaction.
    return sum(levels.values()) - reservations.scan_demand(ctx.session, ctx.cache, part_id)[0]


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
        if below_reorder_point(on_hand, points[part_id]) == view.active[part_id]:
            continue  # the usual case: no crossing, no write
        kind = transition(ctx.session, part_id, on_hand, points[part_id], ctx.at, ctx.event_id)
        view.active[part_id] = below_reorder_point(on_hand, points[part_id])
        if kind is not None:
            part = ctx.catalog.parts.get(part_id)
            out.append(
                {
                    "alert": kind,
                    "part_no": part.part_no if part else str(part_id),
                    "on_hand": on_hand,
                    "reorder_point": points[part_id],
                }
            )
    return out


def available_totals(session: Session, part_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Free issuable stock per part: on-hand in store and receiving bins less what is reserved, from the database."""
    ids = None if part_ids is None else list(part_ids)
    totals = issuable_totals(session, ids)
    held = select(ReservedTotal.part_id, ReservedTotal.qty).where(ReservedTotal.qty != 0)
    if ids is not None:
        held = held.where(ReservedTotal.part_id.in_(ids))
    for pid, qty in session.execute(held):
        totals[pid] = totals.get(pid, 0) - int(qty)
    return totals


def issuable_totals(session: Session, part_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Issuable on-hand per part (store and receiving bins), from the database."""
    stmt = (
        select(StockLevel.part_id, func.sum(StockLevel.qty))
        .join(Location, Location.id == StockLevel.location_id)
        .where(Location.kind.in_(AVAILABLE_KINDS))
        .group_by(StockLevel.part_id)
    )
    if part_ids is not None:
        stmt = stmt.where(StockLevel.part_id.in_(list(part_ids)))
    return {pid: int(qty or 0) for pid, qty in session.execute(stmt)}


def evaluate_parts(
    session: Session, part_ids: Iterable[int], at: datetime, event_id: int | None = None
) -> list[dict[str, object]]:
    """Re-evaluate parts after stock changed outside the scan path (the caller's moves are flushed)."""
    ids = sorted(set(part_ids))
    out: list[dict[str, object]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        parts = session.execute(select(Part.id, Part.part_no, Part.reorder_point).where(Part.id.in_(chunk))).all()
        totals = available_totals(session, chunk)
        active = dict(
            session.execute(select(StockAlert.part_id, StockAlert.active).where(StockAlert.part_id.in_(chunk)))
            .tuples()
            .all()
        )
        for pid, part_no, point in parts:
            on_hand, point = totals.get(pid, 0), int(point or 0)
            if below_reorder_point(on_hand, point) == bool(active.get(pid)):
                continue
            kind = transition(session, pid, on_hand, point, at, event_id)
            if kind is not None:
                out.append({"alert": kind, "part_no": part_no, "on_hand": on_hand, "reorder_point": point})
    session.flush()
    return out


def evaluate_all(session: Session, at: datetime) -> list[dict[str, object]]:
    """Re-evaluate every part with a warning line or an active alert (after imports or count approvals)."""
    ids = set(session.scalars(select(Part.id).where(Part.reorder_point > 0)))
    ids |= set(session.scalars(select(StockAlert.part_id).where(StockAlert.active.is_(True))))
    return evaluate_parts(session, ids, at)
