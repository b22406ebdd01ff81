"""Request lines of a job (SPEC 9.2): ask, reserve, backorder, approve, cancel, release, move, re-reserve.

A line holds stock through one reservation (`Holder("request", line.id, job.id)` in
`floor.core.reservations`), so "reserved" is never stored twice. The line's `status`
column is kept in step with what it holds, so lists (picks, special orders, the board)
are one indexed query.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from floor.core import audit, changes, clock, messages, reservations, stockflow
from floor.core.authority import NotAllowed, RoleTable
from floor.core.demand import notify, owners
from floor.core.reservations import Holder
from floor.core.scanning.context import Reject
from floor.models import (
    Part,
    PartRequest,
    RequestClosure,
    Reservation,
    ReservedTotal,
    Sale,
    SaleLine,
    StockLevel,
    WorkOrder,
)
from floor.models.requests import OPEN_REQUEST_STATUSES
from floor.models.workorders import CLOSED_STATUSES

MAX_LINES = 200
MAX_QTY = 100_000


class DemandError(Reject):
    """A request rule refused the change (its HTTP status by code in `floor.web.errors`)."""


class Person(Protocol):
    """Who acts: a `User` row or the scan path's `UserInfo`."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...


class StockView(Protocol):
    """How the followers see stock on the scan path: on-hand from the scan's ledger (moves not yet written),
    the scan's warning line, and what the counter was told (for the scan's effects). Outside scans: None."""

    def on_hand(self, part_id: int) -> int: ...

    def warning_line(self, part_ids: Sequence[int]) -> None: ...

    def told(self, alerts: list[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class Ask:
    """One asked line: a part and how many."""

    part_id: int
    part_no: str
    qty: int
    unit_cost: Decimal
    reorder_point: int = 1  # unknown: assume the part has a warning line


def approval_value(cfg: Any) -> Decimal | None:
    """`[requisition] approval_value`: a line worth more (qty × unit cost) waits for a supervisor; None = off."""
    raw = ((getattr(cfg, "raw", None) or {}).get("requisition") or {}).get("approval_value")
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"[requisition] approval_value must be a number, not {raw!r}") from None
    return value if value >= 0 else None


def require(table: RoleTable, who: Person | None, action: str) -> None:
    """The site's role table's verdict as a request rule: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise DemandError("role_denied", **exc.params) from None


def holder(line: PartRequest) -> Holder:
    """The reservation holder of a line."""
    return Holder("request", line.id, line.work_order_id)


def status_for(status: str, qty: int, issued: int, awaiting: bool, held: int) -> str:
    """What a line's status is, given its counts, whether it still awaits approval, and what it holds."""
    if status == "cancelled":
        return "cancelled"
    if qty - issued <= 0:
        return "issued"
    if awaiting:
        return "awaiting_approval"
    if held >= qty - issued:
        return "reserved"
    return "partial" if held > 0 else "backordered"


def status_of(line: PartRequest, held: int) -> str:
    """What a line's status is, given what it holds now."""
    awaiting = bool(line.needs_approval) and line.approved_at is None
    return status_for(line.status, line.qty, line.issued, awaiting, held)


def refresh(session: Session, line: PartRequest, held: int | None = None) -> str:
    """Set a line's status from what it holds; return it."""
    line.status = status_of(line, reservations.held(session, holder(line)) if held is None else held)
    return line.status


def check_qty(qty: Any, where: str = "qty") -> int:
    """A requested quantity: a whole number from 1 up (`bad_qty`, 400, otherwise)."""
    if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_QTY:
        raise DemandError("bad_request_qty", qty=str(qty)[:20], where=where)
    return qty


def check_open(wo: WorkOrder) -> None:
    """Requests are for open jobs only (`wo_closed`)."""
    if wo.status in CLOSED_STATUSES:
        raise DemandError("wo_closed", number=wo.number, status=wo.status)


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
        _warning_line(session, {a.part_id for a in asks if a.reorder_point > 0}, at)
    return made


def _warning_line(session: Session, part_ids: set[int], at: datetime) -> None:
    """Reserved stock is not free stock: holds move a part across its warning line like issues do."""
    from floor.core.alerts import evaluate_parts  # late: the alerts package imports the scan hooks

    if part_ids:
        evaluate_parts(session, part_ids, at)


def get_line(session: Session, line_id: int, lock: bool = False) -> PartRequest:
    """A request line by id (`unknown_request`, 404); `lock` locks it for a change.

    The part's level rows are locked before the line, the order an issue scan takes them in
    (levels at its prefetch, the line when it writes), so the two cannot deadlock.
    """
    part_id = session.scalar(select(PartRequest.part_id).where(PartRequest.id == line_id))
    if part_id is None:
        raise DemandError("unknown_request", id=line_id)
    stmt = select(PartRequest).where(PartRequest.id == line_id)
    if lock:
        session.execute(
            select(StockLevel.qty)
            .where(StockLevel.part_id == part_id)
            .order_by(StockLevel.location_id)
            .with_for_update()
        ).all()
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    line = session.scalar(stmt)
    assert line is not None
    return line


def _check_line_open(line: PartRequest) -> None:
    if line.status not in OPEN_REQUEST_STATUSES:
        raise DemandError("request_closed", id=line.id, status=line.status)


def cancel(session: Session, line: PartRequest, actor: Person | None, via: str, at: datetime, table: RoleTable) -> int:
    """Cancel an open line and release what it holds; someone else's line needs `cancel_request`."""
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    own = actor is not None and line.requested_by is not None and line.requested_by == getattr(actor, "id", None)
    if not own:
        require(table, actor, "cancel_request")
    _check_line_open(line)
    freed = reservations.release(session, holder(line))
    line.status, line.closed_at = "cancelled", at
    line.closed_by = getattr(actor, "id", None) if own or getattr(actor, "role", None) != "admin" else None
    follow_release(session, [line.part_id], at, messages.render("freed_by_request_cancel", {"id": line.id}))
    audit.record(session, via, "cancel_request", f"request:{line.id}", at=at, released=freed)
    return freed


def approve(session: Session, line: PartRequest, actor: Person | None, via: str, at: datetime, table: RoleTable) -> str:
    """A supervisor approves a line awaiting approval; it then reserves what it still lacks."""
    changes.publish(session, changes.JOBS)  # sent only if the transaction commits
    require(table, actor, "approve_request")
    if line.status != "awaiting_approval":
        raise DemandError("not_awaiting_approval", id=line.id, status=line.status)
    line.approved_at = at
    line.approved_by = getattr(actor, "id", None) if isinstance(getattr(actor, "id", None), int) else None
    held = reservations.held(session, holder(line))
    need = line.qty - line.issued - held
    if need > 0:
        held += reservations.reserve(session, line.part_id, need, holder(line))
    refresh(session, line, held)
    _warning_line(session, {line.part_id}, at)
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
    _check_line_open(line)
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
    _check_line_open(line)
    _check_line_open(target)
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


def held_of(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    """What each line holds now (lines holding nothing are absent)."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Reservation.holder_id, Reservation.qty).where(
            Reservation.holder == "request", Reservation.holder_id.in_(ids)
        )
    )
    return {int(i): int(q) for i, q in rows}


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


_WAITING = ("partial", "backordered", "awaiting_approval")


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
    (`stockflow.STOCK_FOLLOWERS`: API moves, count approvals, imports), receipt scan and release path
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
        _warning_line(session, set(ids), at)
    else:
        view.warning_line(ids)
    return got


stockflow.STOCK_FOLLOWERS.append(follow_stock)


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
