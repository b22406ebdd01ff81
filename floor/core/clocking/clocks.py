"""Clock records: a technician on a labour line from a moment, off at another (SPEC 10.3).

One clock at a time: clocking on a line clocks the technician off any other (the database keeps it
too: one open record per technician). `CMD:STOP` clocks off; `CMD:FINISH` marks the line done and
clocks off everyone on it; `CMD:HOLD` and a job's closing clock off everyone on the job. A technician
clocks onto an authorized labour line of a job in progress; a done line is reopened by a foreman
(rework). Each job keeps `clocked_on` (its technicians on now) in step, for the issue path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import audit, changes
from floor.core.authority import RoleTable
from floor.core.inputs import valid_id
from floor.core.repair.errors import CLOCK, RepairError, require
from floor.core.repair.lines import lock_job
from floor.models import ClockRecord, RepairLine, WorkOrder
from floor.models.repair import ClockEnd, LineKind, LineStatus

REOPEN = "reopen_line"  # the role-table row of opening a done line again (rework)
WORKING = "in_progress"  # the job status a technician clocks on in


@dataclass
class ClockedOn:
    """What clocking on did: the new (or unchanged) record, and the one it ended (another line)."""

    record: ClockRecord
    ended: ClockRecord | None = None
    already: bool = False


def labour_line(session: Session, line_id: object) -> RepairLine:
    """A labour line by id, or by the text after `OP:` (`unknown_op_line`, `not_labour_line`)."""
    key = valid_id(line_id)  # ids from clients: ASCII digits or an int within 64 bits, else no such line
    line = session.get(RepairLine, key) if key is not None else None
    if line is None:
        raise RepairError("unknown_op_line", id=str(line_id)[:20])
    if line.kind != LineKind.LABOUR.value:
        raise RepairError("not_labour_line", id=line.id)
    return line


def open_clock(session: Session, technician_id: int) -> ClockRecord | None:
    """The technician's running clock record, if any (one index hit)."""
    return session.scalar(
        select(ClockRecord).where(ClockRecord.technician_id == technician_id, ClockRecord.off_at.is_(None))
    )


def recount(session: Session, wo_id: int) -> int:
    """Set the job's `clocked_on` (technicians on its lines now) from its open clock records; return it."""
    session.flush()
    wo = session.get(WorkOrder, wo_id)
    assert wo is not None
    count = session.scalar(
        select(func.count())
        .select_from(ClockRecord)
        .where(ClockRecord.work_order_id == wo_id, ClockRecord.off_at.is_(None))
    )
    wo.clocked_on = int(count or 0)
    return wo.clocked_on


def _end(record: ClockRecord, at: datetime, reason: ClockEnd, event_id: int | None) -> None:
    # A scan may carry a device time before the clock-on (an offline handheld): a record never runs backwards.
    record.off_at = max(at, record.on_at)
    record.off_reason, record.off_event_id = reason.value, event_id


def check_clock_on(wo: WorkOrder, line: RepairLine) -> None:
    """Refuse clocking onto a line of a job not in progress, or a line the customer has not said yes to (or done)."""
    if wo.status != WORKING:
        raise RepairError("job_not_working", number=wo.number, status=wo.status)
    refusal = {
        LineStatus.DECLINED.value: "line_declined",
        LineStatus.PROPOSED.value: "line_not_authorized",
        LineStatus.DONE.value: "line_done",
    }.get(line.status)
    if refusal is not None:
        raise RepairError(refusal, id=line.id)


def clock_on(
    session: Session,
    line: RepairLine,
    technician: Any,
    at: datetime,
    *,
    roles: RoleTable,
    session_job: WorkOrder | None = None,
    event_id: int | None = None,
) -> ClockedOn:
    """Clock a technician onto a labour line (`clock`), off any other line first."""
    require(roles, technician, CLOCK)
    wo = session.get(WorkOrder, line.work_order_id)
    assert wo is not None
    if session_job is not None and session_job.id != wo.id:
        raise RepairError("line_of_other_job", id=line.id, other=wo.number, number=session_job.number)
    check_clock_on(wo, line)
    lock_job(session, wo)
    running = open_clock(session, technician.id)
    if running is not None and running.line_id == line.id:
        return ClockedOn(running, already=True)
    if running is not None:
        _end(running, at, ClockEnd.SWITCH, event_id)
        session.flush()  # the one open record per technician is free before the new one
        if running.work_order_id != wo.id:
            recount(session, running.work_order_id)
    record = ClockRecord(
        technician_id=technician.id, line_id=line.id, work_order_id=wo.id, on_at=at, on_event_id=event_id
    )
    session.add(record)
    if running is None or running.work_order_id != wo.id:
        recount(session, wo.id)  # a switch between two lines of one job leaves its count as it was
    changes.publish(session, changes.JOBS, number=wo.number)
    return ClockedOn(record, running)


def _running(session: Session, technician: Any, roles: RoleTable) -> ClockRecord:
    """The clock the technician (allowed `clock`) runs now; `not_clocked_on` when none."""
    require(roles, technician, CLOCK)
    record = open_clock(session, technician.id)
    if record is None:
        raise RepairError("not_clocked_on", name=getattr(technician, "name", "-"))
    return record


def clock_off(
    session: Session, technician: Any, at: datetime, *, roles: RoleTable, event_id: int | None = None
) -> ClockRecord:
    """`CMD:STOP`: the technician's clock stops (`not_clocked_on` when none runs)."""
    record = _running(session, technician, roles)
    _end(record, at, ClockEnd.STOP, event_id)
    recount(session, record.work_order_id)
    _announce(session, record.work_order_id)
    return record


def finish(
    session: Session, technician: Any, at: datetime, *, roles: RoleTable, event_id: int | None = None
) -> RepairLine:
    """`CMD:FINISH`: the line the technician is on is done; everyone on it is clocked off."""
    record = _running(session, technician, roles)
    line = session.get(RepairLine, record.line_id)
    assert line is not None
    on_line = session.scalars(
        select(ClockRecord).where(ClockRecord.line_id == line.id, ClockRecord.off_at.is_(None))
    ).all()
    for other in on_line:
        _end(other, at, ClockEnd.FINISH, event_id)
    line.status, line.done_by, line.done_at = LineStatus.DONE.value, technician.id, at
    recount(session, line.work_order_id)
    _announce(session, line.work_order_id)
    return line


def clock_off_job(
    session: Session, wo_id: int, at: datetime, reason: ClockEnd = ClockEnd.HOLD, event_id: int | None = None
) -> list[ClockRecord]:
    """Clock off every technician on the job (`CMD:HOLD`, a closing); floor.core.workorders.status calls it."""
    running = list(
        session.scalars(select(ClockRecord).where(ClockRecord.work_order_id == wo_id, ClockRecord.off_at.is_(None)))
    )
    for record in running:
        _end(record, at, reason, event_id)
    if running:
        recount(session, wo_id)
    return running


def reopen(session: Session, line: RepairLine, actor: Any, via: str, at: datetime, *, roles: RoleTable) -> RepairLine:
    """A foreman opens a done labour line again (rework after a failed QC): it is authorized, not done."""
    require(roles, actor, REOPEN)
    if line.status != LineStatus.DONE.value:
        raise RepairError("line_not_done", id=line.id, status=line.status)
    line.status, line.done_by, line.done_at = LineStatus.AUTHORIZED.value, None, None
    wo = session.get(WorkOrder, line.work_order_id)
    assert wo is not None
    audit.record(session, via, "reopen_line", f"WO:{wo.number}", at=at, id=line.id)
    changes.publish(session, changes.JOBS, number=wo.number)
    return line


def _announce(session: Session, wo_id: int) -> None:
    wo = session.get(WorkOrder, wo_id)
    if wo is not None:
        changes.publish(session, changes.JOBS, number=wo.number)
