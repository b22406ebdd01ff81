"""Request lines of a job (SPEC 9.2): ask, reserve, backorder, approve, cancel, release, move.

A line holds stock through one reservation (`Holder("request", line.id, job.id)` in
`floor.core.reservations`), so "reserved" is never stored twice. The line's `status`
column is kept in step with what it holds, so lists (picks, special orders, the board)
are one indexed query.

Modules of the package: `lines` (a line's basics and checks), this one (what people ask and
change), `followers` (holds follow stock: re-reserve, trim), `closing` (jobs and appointments
that end, and UNDO of that). Import each name from the module that defines it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import audit, changes, messages, reservations
from floor.core.authority import RoleTable
from floor.core.demand.followers import follow_release
from floor.core.demand.lines import (
    MAX_LINES,
    Ask,
    DemandError,
    Person,
    check_line_open,
    check_open,
    check_qty,
    holder,
    recheck_warning_line,
    refresh,
    require,
)
from floor.core.pins import refuse_own_work, verify_pin
from floor.models import Part, PartRequest, User, WorkOrder


def resolve_lines(session: Session, lines: Sequence[tuple[str, Any]]) -> list[Ask]:
    """Check asked (part_no, qty) pairs: every part known and active, every quantity positive."""
    if not lines:
        raise DemandError("no_lines")
    if len(lines) > MAX_LINES:
        raise DemandError("too_many_lines", max=MAX_LINES)
    nos = {no for no, _ in lines}
    parts = {
        p.part_no: p
        for p in session.execute(select(Part).where(Part.part_no.in_(nos), Part.active.is_(True))).scalars()
    }
    asks: list[Ask] = []
    for i, (no, qty) in enumerate(lines):
        part = parts.get(no)
        if part is None:
            raise DemandError("unknown_part", text=str(no)[:60])
        asks.append(
            Ask(
                part.id,
                part.part_no,
                check_qty(qty, f"lines[{i}].qty"),
                Decimal(part.unit_cost or 0),
                int(part.reorder_point or 0),
            )
        )
    return asks


def request_parts(
    session: Session,
    wo: WorkOrder,
    asks: Sequence[Ask],
    actor: Person | None,
    via: str,
    at: datetime,
    *,
    limit: Decimal | None = None,
    event_id: int | None = None,
    table: RoleTable,
    on_hand: dict[int, int] | None = None,
) -> list[PartRequest]:
    """Make one line per ask: reserve what is free, backorder the rest; lines above `limit` await approval."""
    require(table, actor, "request_parts")
    check_open(wo)
    made = make_lines(session, asks, actor, via, at, wo_id=wo.id, limit=limit, event_id=event_id, on_hand=on_hand)
    audit.record(
        session,
        via,
        "request_parts",
        f"WO:{wo.number}",
        at=at,
        lines=[{"id": r.id, "part_id": r.part_id, "qty": r.qty, "status": r.status} for r in made],
    )
    return made


def make_lines(
    session: Session,
    asks: Sequence[Ask],
    actor: Person | None,
    via: str,
    at: datetime,
    *,
    wo_id: int | None = None,
    appointment_id: int | None = None,
    limit: Decimal | None = None,
    event_id: int | None = None,
    on_hand: dict[int, int] | None = None,
) -> list[PartRequest]:
    """The lines of one request, for a job or (before the job exists) an appointment: reserve, backorder, approve.

    Parts are reserved in part-id order, the order every writer locks in (no deadlock between
    two requests). `on_hand` is the scan path's view of stock (see `reservations.reserve`).
    """
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    made: list[PartRequest] = []
    for ask in asks:
        line = PartRequest(
            work_order_id=wo_id,
            appointment_id=appointment_id,
            part_id=ask.part_id,
            qty=ask.qty,
            issued=0,
            status="backordered",
            unit_cost=ask.unit_cost,
            requested_by=actor.id if actor is not None and isinstance(getattr(actor, "id", None), int) else None,
            requested_via=via[:64],
            created_at=at,
            event_id=event_id,
            needs_approval=limit is not None and ask.unit_cost * ask.qty > limit,
        )
        session.add(line)
        made.append(line)
    session.flush()
    with session.no_autoflush:  # the lines' new states are written once, at the end
        for line in sorted(made, key=lambda r: (r.part_id, r.id)):
            avail = None if on_hand is None else on_hand[line.part_id]
            took = reservations.reserve(session, line.part_id, line.qty, holder(line), on_hand=avail, fresh=True)
            line.filled_from_stock = took >= line.qty
            refresh(session, line, took)
    if on_hand is None:  # the scan path evaluates the warning line itself
        # A part without a warning line cannot cross it (evaluate_all clears lines removed since).
        recheck_warning_line(session, {a.part_id for a in asks if a.reorder_point > 0}, at)
    return made


def cancel(session: Session, line: PartRequest, actor: Person | None, via: str, at: datetime, table: RoleTable) -> int:
    """Cancel an open line and release what it holds; someone else's line needs `cancel_request`."""
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    own = actor is not None and line.requested_by is not None and line.requested_by == getattr(actor, "id", None)
    if not own:
        require(table, actor, "cancel_request")
    closer = getattr(actor, "id", None) if own or getattr(actor, "role", None) != "admin" else None
    freed = withdraw(session, line, closer, at)
    audit.record(session, via, "cancel_request", f"request:{line.id}", at=at, released=freed)
    return freed


def withdraw(session: Session, line: PartRequest, closed_by: int | None, at: datetime) -> int:
    """Close an open line and free what it holds for the waiting lines (the caller checked who may).

    A cancel does this, and so does a part line of a repair order the customer declined (floor.core.repair).
    """
    check_line_open(line)
    freed = reservations.release(session, holder(line))
    line.status, line.closed_at, line.closed_by = "cancelled", at, closed_by
    follow_release(session, [line.part_id], at, messages.render("freed_by_request_cancel", {"id": line.id}))
    return freed


def resize(session: Session, line: PartRequest, qty: int, at: datetime) -> str:
    """Ask for `qty` units in all (at least what was issued): hold more for it, or free what it no longer needs.

    For a repair order's part line whose quantity changed (floor.core.repair.lines). Returns the new status.
    """
    if line.status == "cancelled":
        raise DemandError("request_closed", id=line.id, status=line.status)
    if qty < line.issued:
        raise ValueError("a line cannot ask for less than it was issued")
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    line.qty = qty
    have = reservations.held(session, holder(line))
    need = qty - line.issued
    if have > need:
        have -= reservations.release(session, holder(line), have - need)
        follow_release(session, [line.part_id], at, messages.render("freed_by_release", {"id": line.id}))
    elif have < need and not (line.needs_approval and line.approved_at is None):
        have += reservations.reserve(session, line.part_id, need - have, holder(line))
        recheck_warning_line(session, {line.part_id}, at)
    return refresh(session, line, have)


def approve(
    session: Session,
    line: PartRequest,
    actor: Person | None,
    via: str,
    at: datetime,
    table: RoleTable,
    *,
    pin: object = None,
) -> str:
    """A supervisor approves a line awaiting approval with their PIN; it then reserves what it still lacks.

    Four eyes (SPEC 10.6): the person who made the line may not approve it (`four_eyes`).
    """
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    require(table, actor, "approve_request")
    if line.status != "awaiting_approval":
        raise DemandError("not_awaiting_approval", id=line.id, status=line.status)
    if actor is not None:  # a supervisor-role API token acting alone needs no PIN (SPEC 10.6)
        refuse_own_work(actor, line.requested_by, "approve_request")
        person = actor if isinstance(actor, User) else session.get(User, actor.id)
        if person is not None:
            verify_pin(session, person, pin, now=at, action="approve_request")
    line.approved_at = at
    line.approved_by = getattr(actor, "id", None) if isinstance(getattr(actor, "id", None), int) else None
    held = reservations.held(session, holder(line))
    need = line.qty - line.issued - held
    if need > 0:
        held += reservations.reserve(session, line.part_id, need, holder(line))
    refresh(session, line, held)
    recheck_warning_line(session, {line.part_id}, at)
    audit.record(session, via, "approve_request", f"request:{line.id}", at=at, status=line.status)
    return line.status


def release_line(
    session: Session,
    line: PartRequest,
    actor: Person | None,
    via: str,
    at: datetime,
    qty: int | None = None,
    *,
    table: RoleTable,
) -> int:
    """A supervisor gives back stock a line holds (all, or `qty`); the line is then short again."""
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    require(table, actor, "move_reservation")
    check_line_open(line)
    freed = reservations.release(session, holder(line), qty)
    refresh(session, line)
    # The units go to the next line waiting, not straight back to the one the supervisor took them from.
    why = messages.render("freed_by_release", {"id": line.id})
    follow_release(session, [line.part_id], at, why, skip={line.id})
    audit.record(session, via, "release_reservation", f"request:{line.id}", at=at, released=freed)
    return freed


def move_reservation(
    session: Session,
    line: PartRequest,
    target: PartRequest,
    actor: Person | None,
    via: str,
    at: datetime,
    qty: int | None = None,
    *,
    table: RoleTable,
) -> int:
    """A supervisor moves held stock from one line to another line of the same part (e.g. a more urgent job)."""
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    require(table, actor, "move_reservation")
    check_line_open(line)
    check_line_open(target)
    if target.part_id != line.part_id:
        raise DemandError("reservation_other_part", id=line.id, to=target.id)
    if target.id == line.id:
        raise DemandError("reservation_same_line", id=line.id)
    want = target.qty - target.issued - reservations.held(session, holder(target))
    if qty is not None:
        want = min(want, check_qty(qty))
    if want <= 0:
        raise DemandError("reservation_not_needed", to=target.id)
    freed = reservations.release(session, holder(line), want)
    took = reservations.reserve(session, line.part_id, freed, holder(target)) if freed else 0
    refresh(session, line)
    refresh(session, target)
    audit.record(session, via, "move_reservation", f"request:{line.id}", at=at, to=target.id, qty=took)
    return took
