"""A job delivered or cancelled, or an appointment cancelled: its open lines close and free what they hold.

A scan's closing keeps one `RequestClosure` per line, so UNDO of that scan reopens the lines
(`reopen_closed`). An appointment's car that arrives takes its lines to the job (`move_to_job`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from floor.core import changes, messages, reservations
from floor.core.demand.followers import follow_release
from floor.core.demand.lines import StockView, holder, refresh
from floor.models import PartRequest, RequestClosure, Reservation, WorkOrder
from floor.models.requests import OPEN_REQUEST_STATUSES


def close_job(
    session: Session,
    wo_id: int,
    at: datetime,
    actor_id: int | None = None,
    event_id: int | None = None,
    *,
    view: StockView | None = None,
) -> int:
    """A job delivered or cancelled: its open lines are closed and what they hold released; returns units freed.

    The freed units go to the lines waiting for them (`follow_release`); `view` is the closing scan's.
    A scan's closing (`event_id`) keeps one `RequestClosure` per line, so UNDO of that scan can reopen it.
    """
    freed, parts = _close_lines(session, PartRequest.work_order_id == wo_id, at, actor_id, event_id=event_id)
    if parts:
        wo = session.get(WorkOrder, wo_id)
        assert wo is not None
        code = "freed_by_job_delivered" if wo.status == "delivered" else "freed_by_job_cancelled"
        why = messages.render(code, {"number": wo.number})
        follow_release(session, parts, at, why, view=view, event_id=event_id)
    return freed


def close_appointment(session: Session, appointment_id: int, at: datetime, actor_id: int | None = None) -> int:
    """An appointment cancelled before its car came: its open lines end and free what they hold (units freed)."""
    changes.publish(session, changes.JOBS)  # the pick queue and special orders change; sent only on commit
    freed, parts = _close_lines(session, PartRequest.appointment_id == appointment_id, at, actor_id)
    if parts:
        follow_release(session, parts, at, messages.render("freed_by_appointment_cancel", {"id": appointment_id}))
    return freed


def _close_lines(
    session: Session, whose: Any, at: datetime, actor_id: int | None, event_id: int | None = None
) -> tuple[int, list[int]]:
    """Close the open lines `whose` selects, releasing their holds: (units freed, parts that had units freed)."""
    lines = list(session.scalars(select(PartRequest).where(whose, PartRequest.status.in_(OPEN_REQUEST_STATUSES))))
    freed = 0
    parts: set[int] = set()
    for line in sorted(lines, key=lambda r: (r.part_id, r.id)):
        gave = reservations.release(session, holder(line))
        freed += gave
        if gave:
            parts.add(line.part_id)
        if event_id is not None:
            session.add(RequestClosure(request_id=line.id, event_id=event_id, status=line.status, released=gave))
        # What was issued stands; the rest of the demand ends with the job.
        line.status = "issued" if line.issued > 0 else "cancelled"
        line.closed_at, line.closed_by = at, actor_id
    return freed, sorted(parts)


def reopen_closed(
    session: Session, event_id: int, on_hand: Callable[[int], int] | None = None
) -> list[tuple[PartRequest, int, int]]:
    """UNDO of a scan that closed a job: its lines open again and hold what the closing released, if still free.

    Stock issued or reserved elsewhere since is not taken back: what cannot be held again is backordered
    (the board's waiting-parts flag follows the lines). Returns (line, released then, held now) per line.
    `on_hand(part_id)` is the scan path's view of stock (see `reservations.reserve`).
    """
    rows = list(session.scalars(select(RequestClosure).where(RequestClosure.event_id == event_id)))
    if not rows:
        return []
    lines = {
        r.id: r
        for r in session.scalars(select(PartRequest).where(PartRequest.id.in_([row.request_id for row in rows])))
    }
    out: list[tuple[PartRequest, int, int]] = []
    # Part-id order: the order every writer locks a part's rows in.
    for row in sorted(rows, key=lambda c: (lines[c.request_id].part_id, c.request_id)):
        line = lines[row.request_id]
        if line.status in OPEN_REQUEST_STATUSES:
            continue  # opened again some other way: it holds what it holds
        line.status, line.closed_at, line.closed_by = row.status, None, None
        # The closing released the whole hold, so the line holds nothing now.
        want = min(row.released, line.qty - line.issued)
        took = 0
        if want > 0:
            stock = None if on_hand is None else on_hand(line.part_id)
            took = reservations.reserve(session, line.part_id, want, holder(line), on_hand=stock)
        refresh(session, line, took)
        out.append((line, row.released, took))
    session.execute(delete(RequestClosure).where(RequestClosure.event_id == event_id))
    return out


def move_to_job(session: Session, appointment_id: int, wo: WorkOrder) -> list[PartRequest]:
    """An appointment's car arrived: its request lines, and what they hold, now belong to the job."""
    lines = list(session.scalars(select(PartRequest).where(PartRequest.appointment_id == appointment_id)))
    for line in lines:
        line.work_order_id = wo.id
    if lines:
        session.execute(
            update(Reservation)
            .where(Reservation.holder == "request", Reservation.holder_id.in_([r.id for r in lines]))
            .values(work_order_id=wo.id)
        )
    return lines
