"""Count plans: which bins are due today, and creating count sessions.

A bin takes the best class of the parts stocked in it (an empty bin is C).
A class counted n times a year is counted every 365 // n days; its bins,
in code order, are given evenly spread offsets within that period, so each
day gets about the same share of the year's counting. On the annual full
count's day every store bin is due.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.authority import BadgeError, resolve_badge
from floor.core.counts import CountError
from floor.core.counts.settings import CountSettings
from floor.models import CountLocation, CountSession, Location, Part, StockLevel, utcnow
from floor.models.counts import COUNT_KINDS

MAX_BINS = 100_000


def bin_classes(session: Session) -> dict[int, str]:
    """Each active store bin's class: the best class in force among parts with stock in it."""
    classes = {
        loc_id: "C"
        for loc_id in session.scalars(select(Location.id).where(Location.active.is_(True), Location.kind == "store"))
    }
    cls = func.coalesce(Part.abc_override, Part.abc, "C")
    rows = session.execute(
        select(StockLevel.location_id, func.min(cls))
        .join(Part, Part.id == StockLevel.part_id)
        .where(StockLevel.qty != 0)
        .group_by(StockLevel.location_id)
    )
    for loc_id, best in rows:
        if loc_id in classes and best in ("A", "B", "C"):
            classes[loc_id] = best
    return classes


def open_count_bins(session: Session) -> dict[int, int]:
    """Bins that are in an open count session, with that session's id."""
    rows = session.execute(
        select(CountLocation.location_id, CountLocation.count_id)
        .join(CountSession, CountSession.id == CountLocation.count_id)
        .where(CountSession.status == "open")
    )
    return {loc: cid for loc, cid in rows}


def due_bins(session: Session, day: date, settings: CountSettings) -> list[dict[str, Any]]:
    """The bins to count on a day: the full count's day gives all, else each class's share."""
    classes = bin_classes(session)
    locs = (
        {loc.id: loc for loc in session.scalars(select(Location).where(Location.id.in_(list(classes))))}
        if classes
        else {}
    )
    busy = open_count_bins(session)
    full = settings.is_full_count_day(day)
    due: list[tuple[int, str]] = []
    if full:
        due = [(loc_id, "full") for loc_id in classes]
    else:
        for cls in ("A", "B", "C"):
            per_year = settings.frequency.get(cls, 0)
            if per_year <= 0:
                continue
            period = max(1, 365 // per_year)
            ids = sorted((i for i, c in classes.items() if c == cls), key=lambda i: locs[i].code)
            n = len(ids)
            for i, loc_id in enumerate(ids):
                if (day.toordinal() - (i * period) // n) % period == 0:
                    due.append((loc_id, cls))
    out = [
        {"location": locs[i].code, "zone": locs[i].zone, "abc": classes[i], "why": why, "in_count": busy.get(i)}
        for i, why in due
    ]
    return sorted(out, key=lambda d: d["location"])


def _resolve_bins(
    session: Session,
    kind: str,
    zone: str | None,
    codes: list[str] | None,
    day: date | None,
    settings: CountSettings | None,
) -> list[int]:
    store = select(Location.id).where(Location.active.is_(True), Location.kind == "store")
    if codes is not None:
        if not codes:
            raise CountError("'locations' is empty")
        if len(codes) > MAX_BINS:
            raise CountError(f"at most {MAX_BINS} bins per count")
        found = dict(
            session.execute(
                select(Location.code, Location.id).where(Location.code.in_(set(codes)), Location.active.is_(True))
            )
            .tuples()
            .all()
        )
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise CountError(f"unknown bins: {', '.join(sorted(set(unknown))[:10])}", unknown=sorted(set(unknown)))
        return list(dict.fromkeys(found[c] for c in codes))
    if zone is not None:
        ids = list(session.scalars(store.where(Location.zone == zone).order_by(Location.code)))
        if not ids:
            raise CountError(f"zone {zone!r} has no active store bins")
        return ids
    if kind == "full":
        ids = list(session.scalars(store.order_by(Location.code)))
        if not ids:
            raise CountError("the store has no active bins")
        return ids
    due = due_bins(session, day or utcnow().date(), settings or CountSettings())
    by_code = dict(session.execute(select(Location.code, Location.id)).tuples().all())
    ids = [by_code[d["location"]] for d in due if d["in_count"] is None]
    if not ids:
        raise CountError("no bins are due for counting today; name a zone or locations")
    return ids


def create_count(
    session: Session,
    kind: str,
    zone: str | None = None,
    codes: Iterable[str] | None = None,
    blind: bool = True,
    badge: str | None = None,
    note: str = "",
    day: date | None = None,
    settings: CountSettings | None = None,
) -> CountSession:
    """Open a count session over a zone, a list of bins, the whole store (full) or today's due bins (cycle)."""
    if kind not in COUNT_KINDS:
        raise CountError(f"'kind' must be one of {', '.join(COUNT_KINDS)}, not {kind!r}")
    if zone is not None and codes is not None:
        raise CountError("give either 'zone' or 'locations', not both")
    creator = None
    if badge is not None:
        try:
            creator = resolve_badge(session, badge)
        except BadgeError as exc:
            raise CountError(f"{exc.code.replace('_', ' ')} {exc.params['badge']}", status=403, code=exc.code) from None
    ids = _resolve_bins(session, kind, zone, list(codes) if codes is not None else None, day, settings)
    busy = open_count_bins(session)
    clash = sorted({busy[i] for i in ids if i in busy})
    if clash:
        codes_busy = session.scalars(
            select(Location.code)
            .where(Location.id.in_([i for i in ids if i in busy]))
            .order_by(Location.code)
            .limit(10)
        ).all()
        raise CountError(
            f"bins already in open count {', '.join(map(str, clash))}: {', '.join(codes_busy)}",
            status=409,
            counts=clash,
        )
    count = CountSession(
        kind=kind,
        zone=zone,
        blind=blind,
        status="open",
        created_at=utcnow(),
        created_by=creator.id if creator else None,
        note=note[:200],
    )
    session.add(count)
    session.flush()
    session.execute(
        CountLocation.__table__.insert(), [{"count_id": count.id, "location_id": i, "pass_no": 0} for i in ids]
    )
    return count
