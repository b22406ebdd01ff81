"""THE look-up of a job by its number: one query (`find_job`), one refusal (`job_by_number`: `unknown_wo`, a 404)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.workorders.status import WorkOrderError
from floor.models import WorkOrder


def find_job(session: Session, number: str, *, lock: bool = False) -> WorkOrder | None:
    """The job numbered `number` (locked for update with `lock`), or None: for callers with their own answer to none."""
    stmt = select(WorkOrder).where(WorkOrder.number == number)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def job_by_number(session: Session, number: str, *, lock: bool = False) -> WorkOrder:
    """The job numbered `number` (locked for update with `lock`), or WorkOrderError `unknown_wo`."""
    wo = find_job(session, number, lock=lock)
    if wo is None:
        raise WorkOrderError("unknown_wo", number=str(number)[:64])
    return wo
