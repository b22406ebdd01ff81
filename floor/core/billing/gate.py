"""The gate (SPEC 10.4): no car leaves unsettled.

DELIVER (and with it the gate pass and the key handed to the customer, which come with DELIVER) needs the
job's invoice `paid` or `on_account`, or a supervisor's release with their PIN and a reason. A job
with no lines and nothing issued (imported, from before the repair order) has nothing to bill and
leaves as it always did. The QC pass is checked by the status machine as before.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable
from floor.core.billing.approval import check_approver
from floor.core.billing.errors import RELEASE, BillingError
from floor.core.billing.invoicing import bill_by_id, live_invoice
from floor.core.billing.settle import MAX_REASON, paid_of
from floor.models import GateRelease, RepairLine, WorkOrder
from floor.models.billing import InvoiceStatus
from floor.models.repair import AUTHORIZED_STATUSES

SETTLED = (InvoiceStatus.PAID.value, InvoiceStatus.ON_ACCOUNT.value)


def billable(session: Session, wo_id: int) -> bool:
    """Whether the job sold something through the repair order: a line the customer said yes to.

    A job without lines (imported, from before the repair order), or whose every line was declined, leaves as before.
    """
    return (
        session.scalar(
            select(RepairLine.id)
            .where(RepairLine.work_order_id == wo_id, RepairLine.status.in_(AUTHORIZED_STATUSES))
            .limit(1)
        )
        is not None
    )


def released(session: Session, wo_id: int) -> GateRelease | None:
    """The supervisor's release of the job, if any."""
    return session.scalar(select(GateRelease).where(GateRelease.work_order_id == wo_id).order_by(GateRelease.id))


def check_settled(session: Session, wo: WorkOrder) -> None:
    """Refuse DELIVER of a billable job whose invoice is not paid or on account and that nobody released."""
    if released(session, wo.id) is not None or not billable(session, wo.id):
        return
    invoice = live_invoice(session, wo.id)
    if invoice is None:
        raise BillingError("not_invoiced", number=wo.number)
    if invoice.status not in SETTLED:
        balance = bill_by_id(session, invoice).due - paid_of(session, invoice.id)
        raise BillingError(
            "not_settled", number=wo.number, invoice=invoice.number, status=invoice.status, balance=str(balance)
        )


def release(
    session: Session, wo: WorkOrder, approver: object, pin: object, reason: object, at: datetime, *, roles: RoleTable
) -> GateRelease:
    """A supervisor (badge and PIN) lets the car leave unpaid, giving the reason."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise BillingError("reason_required")
    who = check_approver(session, approver, pin, doer_id=None, act=RELEASE, roles=roles)
    row = GateRelease(work_order_id=wo.id, released_by=who.id, reason=text[:MAX_REASON], at=at)
    session.add(row)
    session.flush()
    changes.publish(session, changes.JOBS, number=wo.number)
    return row
