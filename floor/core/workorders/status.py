"""The job status machine: the legal moves, the rules beyond them, and the recorded history.

A job goes received → dispatched → in_progress ⇄ on_hold → qc → washing → ready →
delivered, and may be cancelled from any open status. Final QC is passed when the
job is PASSed in `qc` (floor.core.workorders.qc); leaving `qc` forward, READY and
DELIVER need that, and DELIVER also needs every core returned or waived (and the
customer's signature where `[delivery] require_signature`). Every move is one
`wo_status_changes` row with its actor and time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.authority import RoleTable
from floor.core.billing import gate
from floor.core.billing.errors import BillingError
from floor.core.changes import JOBS, publish
from floor.core.clocking import clocks
from floor.core.demand.closing import close_job
from floor.core.demand.lines import StockView
from floor.core.repair import gates
from floor.core.scanning.context import Reject
from floor.core.workorders.texts import zh_params
from floor.models import Core, JobSignature, WorkOrder, WorkOrderStatusChange
from floor.models.repair import ClockEnd

# Status is defined once, in floor.models.workorders (the table's values); the core's callers import it from here.
from floor.models.workorders import CLOSED_STATUSES, HoldReason
from floor.models.workorders import Status as Status

S = Status
CLOSED = frozenset(Status(s) for s in CLOSED_STATUSES)
OPEN = tuple(s.value for s in Status if s not in CLOSED)
CLOSED_VALUES = tuple(s.value for s in Status if s in CLOSED)
# Stages where work is under way: the progress check (75 % of the estimate) applies here.
WORKING = (S.IN_PROGRESS.value, S.ON_HOLD.value, S.QC.value, S.WASHING.value)
HOLD_REASONS = HoldReason.values()

# The legal moves. CANCELLED is reachable from every open status; ON_HOLD → ON_HOLD changes the reason.
MOVES: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.DISPATCHED, S.IN_PROGRESS, S.ON_HOLD, S.CANCELLED}),
    S.DISPATCHED: frozenset({S.IN_PROGRESS, S.ON_HOLD, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.ON_HOLD, S.QC, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.IN_PROGRESS, S.ON_HOLD, S.CANCELLED}),
    S.QC: frozenset({S.WASHING, S.READY, S.IN_PROGRESS, S.CANCELLED}),  # back to in_progress: QC failed, rework
    S.WASHING: frozenset({S.READY, S.CANCELLED}),
    S.READY: frozenset({S.DELIVERED, S.CANCELLED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Scan verbs (`CMD:<verb>`) and the status each one moves the job in session to.
VERB_STATUS: dict[str, Status] = {
    "DISPATCH": S.DISPATCHED,
    "START": S.IN_PROGRESS,
    "HOLD": S.ON_HOLD,
    "QC": S.QC,
    "WASH": S.WASHING,
    "READY": S.READY,
    "DELIVER": S.DELIVERED,
    "CANCEL": S.CANCELLED,
}


class WorkOrderError(Reject):
    """A work-order or core rule refused a change; a scan shows it as a rejection, the API as a 409."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **zh_params(params))


class Actor(Protocol):
    """Who makes a change: a `User` row or the scan path's `UserInfo`."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Move:
    """One legal move as listed for people: from, to, and what else it needs."""

    from_status: str
    to_status: str


def legal_moves() -> list[Move]:
    """The table of legal moves, in stage order (for docs, the kiosk and tests)."""
    return [Move(a.value, b.value) for a in Status for b in sorted(MOVES[a], key=list(Status).index)]


def parse_status(value: str) -> Status:
    """A status string (any case) to a Status, or a rejection listing the valid ones."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise WorkOrderError("bad_status", status=value[:40], valid=", ".join(s.value for s in Status)) from None


def cores_due(session: Session, wo_id: int) -> list[str]:
    """Serials of the cores a job still owes."""
    return list(
        session.scalars(select(Core.serial).where(Core.work_order_id == wo_id, Core.status == "due").order_by(Core.id))
    )


HANDOVER = "handover"  # the role-table row of handing a car over: its signature and DELIVER, on every path
QC_VERDICT = "pass_qc"  # the row of final inspection: PASS, FAIL with its move back, and QC -> READY


def move_action(current: Status, to: Status, *, verdict: bool = False) -> str:
    """The role-table action of a status move: cancelling, handing over and QC are their own rows.

    `verdict`: the move is a QC verdict's own (a FAIL sends the job back to in_progress), checked as QC.
    """
    if to is S.CANCELLED:
        return "cancel_job"
    if to is S.DELIVERED:
        return HANDOVER  # scan, status API, hand-over API and kiosk all deliver under this one row
    if current is S.QC and (to is S.READY or (verdict and to is S.IN_PROGRESS)):
        return QC_VERDICT
    return "move_job"


def require_action(actor: Actor | None, action: str, roles: RoleTable) -> None:
    """Raise WorkOrderError(role_denied) unless the site's table lets `actor` do a job action.

    Without a badge only a plain move (`move_job`, at a badge-free station) passes; cancelling,
    handing over and QC always need one.
    """
    if actor is None and action == "move_job":
        return
    if actor is None or not roles.may(actor.role, action):
        raise WorkOrderError(
            "role_denied", name=getattr(actor, "name", "-"), role=getattr(actor, "role", "-"), action=action
        )


def has_signature(session: Session, wo_id: int) -> bool:
    """Whether the customer's signature is kept with the job (see floor.core.workorders.handover)."""
    return session.scalar(select(JobSignature.id).where(JobSignature.work_order_id == wo_id)) is not None


def check_move(
    session: Session,
    wo: WorkOrder,
    to: Status,
    actor: Actor | None,
    hold_reason: str | None,
    roles: RoleTable,
    require_signature: bool = False,
    verdict: bool = False,
) -> str | None:
    """Raise WorkOrderError if the move is not allowed (`roles`: the site's table); return the hold reason it sets.

    `verdict`: the move is a QC verdict's (floor.core.workorders.qc), checked as QC, not as `move_job`.
    """
    current = Status(wo.status)
    params = {"number": wo.number, "from_status": current.value, "status": to.value}
    if current in CLOSED:
        raise WorkOrderError("wo_status_closed", **params)
    if to is S.ON_HOLD:
        if hold_reason is None:  # a second HOLD switches the reason: parts ⇄ customer approval
            hold_reason = "approval" if wo.hold_reason == "parts" and current is S.ON_HOLD else "parts"
        if hold_reason not in HOLD_REASONS:
            raise WorkOrderError("bad_hold_reason", reason=str(hold_reason)[:40], valid=", ".join(HOLD_REASONS))
        if current is S.ON_HOLD and wo.hold_reason == hold_reason:
            raise WorkOrderError("already_in_status", **params)
    elif to is current:
        raise WorkOrderError("already_in_status", **params)
    # READY, DELIVER and washing after QC need a PASS of final inspection (floor.core.workorders.qc).
    if (to in (S.READY, S.DELIVERED) or (current is S.QC and to is S.WASHING)) and wo.qc_passed_at is None:
        raise WorkOrderError("qc_not_passed", **params)
    if to not in MOVES[current]:
        allowed = sorted(MOVES[current], key=list(Status).index)
        raise WorkOrderError("illegal_move", allowed=", ".join(s.value for s in allowed) or "-", **params)
    require_action(actor, move_action(current, to, verdict=verdict), roles)
    if to is S.IN_PROGRESS and not verdict:
        gates.check_start(session, wo)  # a job with lines starts only with one the customer said yes to
    if to is S.READY:
        gates.check_ready(session, wo)  # every authorized labour line done
    if to is S.DELIVERED and require_signature and not has_signature(session, wo.id):
        raise WorkOrderError("signature_required", number=wo.number)
    if to is S.DELIVERED:
        due = cores_due(session, wo.id)
        if due:
            shown = ", ".join(due[:5]) + (" …" if len(due) > 5 else "")
            raise WorkOrderError("cores_due", number=wo.number, count=len(due), serials=shown)
        try:  # paid, on account, or released by a supervisor (SPEC 10.4)
            gate.check_settled(session, wo)
        except BillingError as exc:
            raise WorkOrderError(exc.code, **exc.params) from None
    return hold_reason if to is S.ON_HOLD else None


def change_status(
    session: Session,
    wo: WorkOrder,
    to: Status | str,
    actor: Actor | None,
    at: datetime,
    note: str | None = None,
    *,
    hold_reason: str | None = None,
    event_id: int | None = None,
    technician_id: int | None = None,
    team: str | None = None,
    roles: RoleTable,
    require_signature: bool = False,
    verdict: bool = False,
    stock: StockView | None = None,
) -> WorkOrderStatusChange:
    """Move a job to a status after checking every rule against `roles` (the site's table); record it. Raises WorkOrderError.

    `verdict=True` only from floor.core.workorders.qc: a FAIL's move back is part of QC (`pass_qc`).
    Closing it frees what its request lines hold for the jobs waiting; `stock` is a closing scan's view of stock.
    """
    target = parse_status(to) if isinstance(to, str) else to
    reason = check_move(session, wo, target, actor, hold_reason, roles, require_signature, verdict)
    current = Status(wo.status)
    change = WorkOrderStatusChange(
        work_order_id=wo.id,
        from_status=current.value,
        to_status=target.value,
        actor_id=actor.id if actor else None,
        event_id=event_id,
        note=note,
        hold_reason=reason,
        at=at,
    )
    session.add(change)
    wo.status, wo.status_since, wo.hold_reason = target.value, at, reason
    if target is S.IN_PROGRESS and wo.started_at is None:
        wo.started_at = at
    if target is S.IN_PROGRESS:  # back to work (a failed QC, a rework): final inspection starts over
        wo.qc_passed_at = wo.qc_passed_by = None
    if target is S.ON_HOLD or target in CLOSED:  # nobody's clock runs on a job on hold or closed
        clocks.clock_off_job(session, wo.id, at, ClockEnd.HOLD if target is S.ON_HOLD else ClockEnd.CLOSED, event_id)
    if target in CLOSED:
        wo.closed_at = at
        close_job(session, wo.id, at, actor.id if actor else None, event_id, view=stock)  # a closed job holds no stock
    if technician_id is not None:
        wo.technician_id = technician_id
    if team is not None:
        wo.team = team
    publish(session, JOBS, number=wo.number)
    return change


def undo_status_changes(session: Session, event_id: int, actor_id: int | None, at: datetime) -> int:
    """Put jobs back where a scan's status move found them (UNDO); returns how many were reverted.

    Only a job whose latest move is that scan's can be reverted; otherwise UNDO is refused.
    """
    changes = list(session.scalars(select(WorkOrderStatusChange).where(WorkOrderStatusChange.event_id == event_id)))
    plans: list[tuple[WorkOrder, WorkOrderStatusChange, WorkOrderStatusChange | None]] = []
    for ch in changes:
        wo = session.get(WorkOrder, ch.work_order_id)
        assert wo is not None
        later = session.scalar(
            select(func.count())
            .select_from(WorkOrderStatusChange)
            .where(WorkOrderStatusChange.work_order_id == wo.id, WorkOrderStatusChange.id > ch.id)
        )
        if later or wo.status != ch.to_status:
            raise Reject("undo_blocked", reason=f"job {wo.number} has moved on since ({wo.status})")
        before = session.scalar(
            select(WorkOrderStatusChange)
            .where(WorkOrderStatusChange.work_order_id == wo.id, WorkOrderStatusChange.id < ch.id)
            .order_by(WorkOrderStatusChange.id.desc())
            .limit(1)
        )
        plans.append((wo, ch, before))
    for wo, ch, before in plans:
        restored = ch.from_status or S.RECEIVED.value
        session.add(
            WorkOrderStatusChange(
                work_order_id=wo.id,
                from_status=ch.to_status,
                to_status=restored,
                actor_id=actor_id,
                note=f"undo of scan {event_id}",
                hold_reason=before.hold_reason if before else None,
                at=at,
            )
        )
        wo.status = restored
        wo.status_since = before.at if before else wo.created_at
        wo.hold_reason = before.hold_reason if before and restored == S.ON_HOLD.value else None
        if wo.started_at == ch.at and ch.to_status == S.IN_PROGRESS.value:
            wo.started_at = None
        if ch.to_status in CLOSED_VALUES:
            wo.closed_at = None
    return len(plans)


def stage_times(wo: WorkOrder, changes: list[WorkOrderStatusChange], now: datetime) -> dict[str, float]:
    """Seconds the job spent in each status so far (the current one up to `now`)."""
    out: dict[str, float] = {}
    status, since = S.RECEIVED.value, wo.created_at
    for ch in sorted(changes, key=lambda c: (c.at, c.id or 0)):
        out[status] = out.get(status, 0.0) + max((ch.at - since).total_seconds(), 0.0)
        status, since = ch.to_status, ch.at
    if status not in CLOSED_VALUES:
        out[status] = out.get(status, 0.0) + max((now - since).total_seconds(), 0.0)
    return out
