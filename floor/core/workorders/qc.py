"""Final inspection (SPEC 9.4): PASS or FAIL by a foreman or supervisor who did not work on the job.

"Worked on" means issued parts to the job, moved it into or out of in_progress (sending it
back from QC excepted: that is a verdict), or is its technician. PASS leaves the job in `qc` with `qc_passed_at`/`qc_passed_by` set, which
WASH and READY then need. FAIL sends it back to `in_progress` as a rework with a reason.
Every verdict is one `qc_results` row (time, actor, result, reason): the reports count
reworks from there (`rework_count`, `qc_results_between`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable, person_shown
from floor.core.workorders.status import QC_VERDICT, Actor, Status, WorkOrderError, change_status, require_action
from floor.models import ClockRecord, QcResult, StockMove, User, WorkOrder, WorkOrderStatusChange

MAX_REASON = 500


def worked_on(session: Session, wo: WorkOrder, user_id: int) -> bool:
    """Whether a person worked on the job: its technician, clocked onto its lines, issued parts to it, or moved it
    through in_progress."""
    if wo.technician_id == user_id:
        return True
    clocked = session.scalar(
        select(ClockRecord.id).where(ClockRecord.work_order_id == wo.id, ClockRecord.technician_id == user_id).limit(1)
    )
    if clocked is not None:
        return True
    issued = session.scalar(
        select(StockMove.id).where(StockMove.work_order_id == wo.id, StockMove.actor_id == user_id).limit(1)
    )
    if issued is not None:
        return True
    moved = session.scalar(
        select(WorkOrderStatusChange.id)
        .where(
            WorkOrderStatusChange.work_order_id == wo.id,
            WorkOrderStatusChange.actor_id == user_id,
            or_(WorkOrderStatusChange.to_status == "in_progress", WorkOrderStatusChange.from_status == "in_progress"),
            # sending it back from QC (a FAIL) is the inspector's verdict, not work on the car
            or_(WorkOrderStatusChange.from_status.is_(None), WorkOrderStatusChange.from_status != "qc"),
        )
        .limit(1)
    )
    return moved is not None


def _check_inspector(session: Session, wo: WorkOrder, actor: Actor | None, roles: RoleTable) -> None:
    if wo.status != Status.QC.value:
        raise WorkOrderError("qc_not_in_qc", number=wo.number, status=wo.status)
    require_action(actor, QC_VERDICT, roles)
    assert actor is not None
    if worked_on(session, wo, actor.id):
        raise WorkOrderError("own_work", name=getattr(actor, "name", "-"), number=wo.number)


def pass_qc(
    session: Session,
    wo: WorkOrder,
    actor: Actor | None,
    at: datetime,
    event_id: int | None = None,
    *,
    roles: RoleTable,
) -> QcResult:
    """Record a PASS (`roles`: the site's table): the job may now go to washing or ready. Raises WorkOrderError."""
    _check_inspector(session, wo, actor, roles)
    if wo.qc_passed_at is not None:
        raise WorkOrderError("qc_already_passed", number=wo.number)
    assert actor is not None
    row = QcResult(work_order_id=wo.id, result="pass", actor_id=actor.id, event_id=event_id, at=at)
    session.add(row)
    wo.qc_passed_at, wo.qc_passed_by = at, actor.id
    changes.publish(session, changes.JOBS, number=wo.number)  # the board shows the PASS
    return row


def fail_qc(
    session: Session,
    wo: WorkOrder,
    actor: Actor | None,
    at: datetime,
    reason: str | None,
    event_id: int | None = None,
    require_reason: bool = False,
    *,
    roles: RoleTable,
) -> QcResult:
    """Record a FAIL (a rework) with its reason, send the job back to in_progress (`roles`: the site's table)."""
    _check_inspector(session, wo, actor, roles)
    reason = " ".join((reason or "").split())[:MAX_REASON] or None
    if require_reason and not reason:
        raise WorkOrderError("qc_reason_needed", number=wo.number)
    assert actor is not None
    row = QcResult(work_order_id=wo.id, result="fail", reason=reason, actor_id=actor.id, event_id=event_id, at=at)
    session.add(row)
    note = f"QC failed: {reason or '-'}"
    # The move back is part of the verdict: the status machine checks it under the same row (`pass_qc`),
    # never as `move_job`, so a site that withdraws plain moves from foremen does not block their FAILs.
    change_status(session, wo, Status.IN_PROGRESS, actor, at, note, event_id=event_id, roles=roles, verdict=True)
    return row


def rework_count(session: Session, wo_id: int) -> int:
    """How many times a job failed final inspection (verdicts undone do not count)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(QcResult)
            .where(QcResult.work_order_id == wo_id, QcResult.result == "fail", QcResult.undone_at.is_(None))
        )
        or 0
    )


def qc_json(session: Session, wo: WorkOrder) -> dict[str, Any]:
    """`"qc": {"passed_by", "passed_at", "rework", "results"}` of `GET /api/workorders/<n>`."""
    rows = session.execute(
        select(QcResult, User.name, User.role)
        .outerjoin(User, User.id == QcResult.actor_id)
        .where(QcResult.work_order_id == wo.id, QcResult.undone_at.is_(None))
        .order_by(QcResult.at, QcResult.id)
    ).all()
    passer = session.get(User, wo.qc_passed_by) if wo.qc_passed_by else None
    passed_by = person_shown(passer.name, passer.role) if passer else None
    return {
        "passed_by": passed_by,
        "passed_at": wo.qc_passed_at.isoformat() if wo.qc_passed_at else None,
        "rework": sum(r.result == "fail" for r, _, _ in rows),
        "results": [
            {"at": r.at.isoformat(), "by": person_shown(name, role), "result": r.result, "reason": r.reason}
            for r, name, role in rows
        ],
    }


def qc_results_between(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Every verdict in a period (for the reports' rework rate): job, time, actor, result, reason."""
    rows = session.execute(
        select(QcResult, WorkOrder.number, User.name, User.role)
        .join(WorkOrder, WorkOrder.id == QcResult.work_order_id)
        .outerjoin(User, User.id == QcResult.actor_id)
        .where(QcResult.at >= start, QcResult.at < end, QcResult.undone_at.is_(None))
        .order_by(QcResult.at, QcResult.id)
    ).all()
    return [
        {
            "work_order": n,
            "at": r.at.isoformat(),
            "by": person_shown(name, role),
            "result": r.result,
            "reason": r.reason,
        }
        for r, n, name, role in rows
    ]


def undo_qc(session: Session, event_id: int, at: datetime) -> int:
    """UNDO of a PASS/FAIL scan: the verdict stops counting and a PASS is withdrawn."""
    rows = list(session.scalars(select(QcResult).where(QcResult.event_id == event_id, QcResult.undone_at.is_(None))))
    for r in rows:
        if r.result == "pass":
            session.execute(
                update(WorkOrder)
                .where(WorkOrder.id == r.work_order_id, WorkOrder.qc_passed_at == r.at)
                .values(qc_passed_at=None, qc_passed_by=None)
            )
        r.undone_at = at
    return len(rows)
