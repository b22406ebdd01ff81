"""Parts recorded against the labour line their technician was clocked onto (SPEC 10.3).

When a technician clocked onto a line of a job issues a part to that job, the units are recorded
against that line (`line_parts`), so the warranty claim knows which part belongs to which operation;
a return by them takes units off it, and UNDO of either removes its record. The issue path calls
`record_parts` from its hook with the job as it read it (`JobRef`): a job nobody is clocked onto
(`clocked_on` = 0) costs nothing; otherwise it is one index hit on the technician's open clock,
and one row written through the ORM (so a scan refused later by another hook leaves nothing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from floor.models import ClockRecord, LinePart


def record_parts(
    session: Session,
    job_id: int,
    clocked_on: int,
    technician_id: int | None,
    part_id: int,
    qty: int,
    at: datetime,
    event_id: int | None = None,
) -> int | None:
    """Record `qty` units (issued +, returned −) against the line the technician is on, if it is this job's.

    Returns the line's id, or None when the technician is not clocked onto a line of this job.
    """
    if clocked_on <= 0 or technician_id is None or qty == 0:
        return None
    line_id = session.scalar(
        select(ClockRecord.line_id).where(
            ClockRecord.technician_id == technician_id,
            ClockRecord.off_at.is_(None),
            ClockRecord.work_order_id == job_id,
        )
    )
    if line_id is None:
        return None
    session.add(
        LinePart(line_id=line_id, part_id=part_id, qty=qty, technician_id=technician_id, event_id=event_id, at=at)
    )
    return int(line_id)


def undo_parts(session: Session, event_id: int) -> int:
    """UNDO of an issue or return: its units are no longer against any line; returns how many rows went."""
    result = session.execute(delete(LinePart).where(LinePart.event_id == event_id))
    return int(getattr(result, "rowcount", 0) or 0)


def parts_of_lines(session: Session, line_ids: list[int]) -> dict[int, dict[int, int]]:
    """Net units per part recorded against each line: {line id: {part id: qty}} (lines with none absent)."""
    if not line_ids:
        return {}
    out: dict[int, dict[int, int]] = {}
    for line_id, part_id, qty in session.execute(
        select(LinePart.line_id, LinePart.part_id, func.sum(LinePart.qty))
        .where(LinePart.line_id.in_(line_ids))
        .group_by(LinePart.line_id, LinePart.part_id)
    ):
        if int(qty):
            out.setdefault(int(line_id), {})[int(part_id)] = int(qty)
    return out
