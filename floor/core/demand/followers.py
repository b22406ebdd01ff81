"""The stock followers: stock of a part came, left or was freed, so the holds of request lines follow it.

Holds above on-hand are trimmed, latest needed first (sales lines last); what is free goes to the
waiting lines, earliest needed first; the counter is told who got what. Every stock write
(`floor.core.stockflow.follow`), receipt scan and release path comes here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import reservations
from floor.core.demand import notify, owners
from floor.core.demand.lines import StockView, held_of, holder, recheck_warning_line, refresh
from floor.core.reservations import Holder
from floor.models import PartRequest, Reservation, ReservedTotal, Sale, SaleLine
from floor.models.requests import RequestStatus


def waiting_lines(session: Session, part_id: int) -> list[PartRequest]:
    """Open lines of one part that still lack stock, of open jobs and booked appointments: earliest needed first."""
    rows = session.scalars(
        select(PartRequest)
        .select_from(owners.joined())
        .where(
            PartRequest.part_id == part_id,
            PartRequest.status.in_(("partial", "backordered", "awaiting_approval")),
            owners.LIVE,
        )
        .order_by(*owners.first_needed(), PartRequest.id)
    )
    return list(rows)


def rereserve(
    session: Session, part_id: int, on_hand: int | None = None, skip: Collection[int] = ()
) -> list[tuple[PartRequest, int]]:
    """Stock of a part came or was freed: reserve it for the waiting lines, earliest needed first (promise or
    appointment); lines in `skip` (one a supervisor just took units from) wait."""
    out: list[tuple[PartRequest, int]] = []
    lines = [r for r in waiting_lines(session, part_id) if r.id not in skip]
    if not lines:
        return out
    helds = held_of(session, [r.id for r in lines])
    total = None if on_hand is None else on_hand
    for line in lines:
        held = helds.get(line.id, 0)
        need = line.qty - line.issued - held
        if need <= 0:
            continue
        took = reservations.reserve(session, part_id, need, holder(line), on_hand=total)
        if took == 0:
            break  # nothing free any more
        refresh(session, line, held + took)
        out.append((line, took))
    return out


def trim_to_stock(session: Session, part_id: int, on_hand: int | None = None) -> list[tuple[PartRequest, int]]:
    """Stock left (an undone receipt, a write-off): holds above on-hand are released, latest needed first.

    Job lines give first: a receipt re-reserves for them (`rereserve`). Sales lines give only
    when the jobs' holds are not enough (`trim_sales`), so reserved never exceeds on-hand.
    Returns the request lines trimmed and what each gave.
    """
    stock = reservations.availability(session, part_id)
    have = stock.on_hand if on_hand is None else on_hand
    over = stock.reserved - max(0, have)
    out: list[tuple[PartRequest, int]] = []
    if over <= 0:
        return out
    # An appointment's lines (no job yet) hold stock too: they give in the order of their time, as jobs by promise.
    lines = session.scalars(
        select(PartRequest)
        .select_from(owners.joined())
        .join(Reservation, (Reservation.holder == "request") & (Reservation.holder_id == PartRequest.id))
        .where(PartRequest.part_id == part_id)
        .order_by(*owners.last_needed(), PartRequest.id.desc())
    )
    for line in lines:
        give = reservations.release(session, holder(line), over)
        refresh(session, line)
        out.append((line, give))
        over -= give
        if over <= 0:
            break
    if over > 0:
        trim_sales(session, part_id, over)
    return out


def trim_sales(session: Session, part_id: int, over: int) -> int:
    """Release `over` units that sales lines hold of a part, the sale confirmed latest first; return how many.

    The sale stays open: its pick then takes free stock, as for units it never held.
    """
    rows = session.execute(
        select(SaleLine.id)
        .join(Reservation, (Reservation.holder == "sale") & (Reservation.holder_id == SaleLine.id))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Reservation.part_id == part_id)
        .order_by(Sale.confirmed_at.is_(None), Sale.confirmed_at.desc(), Sale.id.desc(), SaleLine.id.desc())
    ).all()
    gave = 0
    for (line_id,) in rows:
        gave += reservations.release(session, Holder("sale", line_id), over - gave)
        if gave >= over:
            break
    return gave


_WAITING = (RequestStatus.PARTIAL.value, RequestStatus.BACKORDERED.value, RequestStatus.AWAITING_APPROVAL.value)


def _with_demand(session: Session, part_ids: Sequence[int]) -> set[int]:
    """Of these parts, those anything holds or open lines wait for: two queries however many parts.

    A few parts (an API receipt) are looked up by id; many (a count's adjustments) are matched
    against every held or awaited part, a set the size of the open demand, not of the store.
    """
    held = select(ReservedTotal.part_id).where(ReservedTotal.qty > 0)
    waited = select(PartRequest.part_id).where(PartRequest.status.in_(_WAITING)).distinct()
    if len(part_ids) <= 500:
        return set(session.scalars(held.where(ReservedTotal.part_id.in_(part_ids)))) | set(
            session.scalars(waited.where(PartRequest.part_id.in_(part_ids)))
        )
    wanted = set(part_ids)
    return (set(session.scalars(held)) | set(session.scalars(waited))) & wanted


def follow_stock(
    session: Session,
    part_ids: Sequence[int],
    *,
    view: StockView | None = None,
    skip: Collection[int] = (),
    tell: bool = True,
    at: datetime | None = None,
    why: notify.Why | None = None,
    event_id: int | None = None,
) -> list[tuple[PartRequest, int]]:
    """The stock follower: stock of these parts came, left or was freed, so holds follow it.

    Holds above on-hand are trimmed (`trim_to_stock`) and what is free goes to the waiting lines, earliest
    needed first (`rereserve`); the counter is told who got what (`notify.tell_counter`; a receipt scan
    tells it itself: `tell=False`). Parts nobody holds or waits for cost nothing more. Every stock write
    (`stockflow.follow`: API moves, count approvals, imports), receipt scan and release path
    (`follow_release`) comes here. Parts in id order: the order every writer locks a part's rows in.
    Returns the lines that got units and how many.
    """
    if not part_ids:
        return []
    got: list[tuple[PartRequest, int]] = []
    for part_id in sorted(_with_demand(session, part_ids)):
        stock = None if view is None else view.on_hand(part_id)
        trim_to_stock(session, part_id, on_hand=stock)
        got += rereserve(session, part_id, on_hand=stock, skip=skip)
    if tell and got:
        alerts = notify.tell_counter(session, got, at or clock.now(), why, event_id)
        if view is not None:
            view.told(alerts)
    return got


def follow_release(
    session: Session,
    part_ids: Sequence[int],
    at: datetime,
    why: notify.Why,
    *,
    view: StockView | None = None,
    skip: Collection[int] = (),
    event_id: int | None = None,
) -> list[tuple[PartRequest, int]]:
    """Units of these parts were freed (a hold ended, or they came back to the shelf): what every release path calls.

    The freed units go to the lines waiting for them as a receipt's do (`follow_stock`), the counter is
    told why, and the warning line is judged again: the parts' free stock changed. `view` is the scan's.
    """
    ids = sorted(set(part_ids))
    got = follow_stock(session, ids, view=view, skip=skip, at=at, why=why, event_id=event_id)
    if view is None:
        recheck_warning_line(session, set(ids), at)
    else:
        view.warning_line(ids)
    return got
