"""What the job's status moves ask of its lines (SPEC 10.2, 10.3), called by floor.core.workorders.status.

- START (to `in_progress`): a job with lines needs one the customer said yes to (`no_authorized_line`).
  A job without lines (imported, or from before the repair order) starts as it always did.
- READY: every authorized labour line is done (`lines_not_done`), beside the QC pass.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.repair.errors import RepairError
from floor.models import RepairLine, WorkOrder
from floor.models.repair import AUTHORIZED_STATUSES, LineKind, LineStatus

SHOWN = 5  # line ids named in the refusal


def check_start(session: Session, wo: WorkOrder) -> None:
    """Refuse to start a job whose lines the customer has said yes to none of."""
    statuses = set(session.scalars(select(RepairLine.status).where(RepairLine.work_order_id == wo.id).distinct()))
    if statuses and not statuses & set(AUTHORIZED_STATUSES):
        raise RepairError("no_authorized_line", number=wo.number)


def check_ready(session: Session, wo: WorkOrder) -> None:
    """Refuse READY while an authorized labour line is not done."""
    open_lines = list(
        session.scalars(
            select(RepairLine.id)
            .where(
                RepairLine.work_order_id == wo.id,
                RepairLine.kind == LineKind.LABOUR.value,
                RepairLine.status == LineStatus.AUTHORIZED.value,
            )
            .order_by(RepairLine.id)
        )
    )
    if open_lines:
        shown = ", ".join(str(i) for i in open_lines[:SHOWN]) + (" …" if len(open_lines) > SHOWN else "")
        raise RepairError("lines_not_done", number=wo.number, count=len(open_lines), lines=shown)
