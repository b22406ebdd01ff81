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

from floor import clock
from floor.core.authority import BadgeError, resolve_badge
from floor.core.counts import CountError
from floor.core.counts.settings import CountSettings
from floor.models import CountLocation, CountSession, Location, Part, StockLevel
from floor.models.base import table_of
from floor.models.counts import CountKind

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
            raise CountError("count_no_locations")
        if len(codes) > MAX_BINS:
            raise CountError("count_too_many_bins", max=MAX_BINS)
        found = dict(
            session.execute(
                select(Location.code, Location.id).where(Location.code.in_(set(codes)), Location.active.is_(True))
            )
            .tuples()
            .all()
        )
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise CountError(
                "count_unknown_bins", {"unknown": sorted(set(unknown))}, bins=", ".join(sorted(set(unknown))[:10])
            )
        return list(dict.fromkeys(found[c] for c in codes))
    if zone is not None:
        ids = list(session.scalars(store.where(Location.zone == zone).order_by(Location.code)))
        if not ids:
            raise CountError("count_zone_empty", zone=zone)
        return ids
    if kind == "full":
        ids = list(session.scalars(store.order_by(Location.code)))
        if not ids:
            raise CountError("count_store_empty")
        return ids
    due = due_bins(session, day or clock.now().date(), settings or CountSettings())
    by_code = dict(session.execute(select(Location.code, Location.id)).tuples().all())
    ids = [by_code[d["location"]] for d in due if d["in_count"] is None]
    if not ids:
        raise CountError("count_nothing_due")
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
    if kind not in CountKind.values():
        raise CountError("count_bad_kind", valid=", ".join(CountKind.values()), kind=kind)
    if zone is not None and codes is not None:
        raise CountError("count_zone_and_locations")
    creator = None
    if badge is not None:
        try:
            creator = resolve_badge(session, badge)
        except BadgeError as exc:
            raise CountError(exc.code, badge=exc.params["badge"], name=exc.params["name"]) from None
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
            "count_bins_busy", {"counts": clash}, counts=", ".join(map(str, clash)), bins=", ".join(codes_busy)
        )
    count = CountSession(
        kind=kind,
        zone=zone,
        blind=blind,
        status="open",
        created_at=clock.now(),
        created_by=creator.id if creator else None,
        note=note[:200],
    )
    session.add(count)
    session.flush()
    session.execute(
        table_of(CountLocation).insert(), [{"count_id": count.id, "location_id": i, "pass_no": 0} for i in ids]
    )
    return count
