"""THE look-up of a job by its number: one query, one refusal (`unknown_wo`, a 404 on the web)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.workorders.status import WorkOrderError
from floor.models import WorkOrder


def job_by_number(session: Session, number: str, *, lock: bool = False) -> WorkOrder:
    """The job numbered `number` (locked for update with `lock`), or WorkOrderError `unknown_wo`."""
    stmt = select(WorkOrder).where(WorkOrder.number == number)
    wo = session.scalar(stmt.with_for_update() if lock else stmt)
    if wo is None:
        raise WorkOrderError("unknown_wo", number=str(number)[:64])
    return wo
