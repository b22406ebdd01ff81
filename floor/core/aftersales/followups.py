"""Follow-up calls (SPEC 10.5): every delivered job gets one, due `[followup] days` after delivery.

A delivered job's follow-up is opened by `open_due` (the vehicle's next service is the invoice's, see
`service.after_invoice`): the use cases call it before they read or write follow-ups, so a job
delivered by any path (a scan, the API, the kiosk) has its call on the next list. A call that does
not reach the customer is tried again at the start of the next working day, up to `[followup]
attempts`; a follow-up not done within `[followup] expire_days` (15) of delivery is `failed`.
A score of 6 or less opens a complaint linked to the job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from floor.core import audit
from floor.core.aftersales import calendar, complaints
from floor.core.aftersales.errors import FOLLOWUP_CALL, AftersalesError, require
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import RoleTable
from floor.core.workorders.status import Status
from floor.models import Complaint, Concern, Customer, Followup, FollowupCall, RepairLine, User, WorkOrder
from floor.models.aftersales import ComplaintCategory, ComplaintChannel, FollowupStatus
from floor.models.base import table_of
from floor.models.repair import AUTHORIZED_STATUSES, LabourOperation

LOW_SCORE = 6  # a score of this or less opens a complaint


def due_at(delivered_at: datetime, settings: AftersalesSettings) -> datetime:
    """When the call of a job delivered at `delivered_at` is due: `days` later, on a working day."""
    return calendar.to_working_day(delivered_at + timedelta(days=settings.followup_days), settings)


def open_due(session: Session, settings: AftersalesSettings, now: datetime) -> int:
    """Open the follow-up of every job delivered within `expire_days` that has none; fail expired ones.

    Returns how many were opened. Two requests doing this at once open each one once (the
    second's insert hits the unique job and is dropped).
    """
    since = now - timedelta(days=settings.followup_expire_days)
    rows = session.execute(
        select(WorkOrder.id, WorkOrder.closed_at)
        .outerjoin(Followup, Followup.work_order_id == WorkOrder.id)
        .where(
            WorkOrder.status == Status.DELIVERED.value,
            WorkOrder.closed_at >= since,
            WorkOrder.closed_at <= now,
            Followup.id.is_(None),
        )
        .order_by(WorkOrder.closed_at, WorkOrder.id)
    ).all()
    opened = 0
    for wo_id, delivered in rows:
        try:
            with session.begin_nested():
                session.add(
                    Followup(
                        work_order_id=wo_id,
                        delivered_at=delivered,
                        due_at=due_at(delivered, settings),
                        expires_at=delivered + timedelta(days=settings.followup_expire_days),
                        attempts=0,
                        status=FollowupStatus.OPEN.value,
                        created_at=now,
                    )
                )
            opened += 1
        except IntegrityError:
            continue  # opened by another request at the same moment
    session.execute(
        update(Followup)
        .where(Followup.status == FollowupStatus.OPEN.value, Followup.expires_at <= now)
        .values(status=FollowupStatus.FAILED.value, closed_at=Followup.expires_at)
    )
    return opened


def get(session: Session, followup_id: int, *, lock: bool = False) -> Followup:
    """A follow-up by id; AftersalesError `unknown_followup` (404)."""
    stmt = select(Followup).where(Followup.id == followup_id)
    fu = session.scalar(stmt.with_for_update() if lock else stmt)
    if fu is None:
        raise AftersalesError("unknown_followup", id=followup_id)
    return fu


def check_score(reached: bool, score: Any) -> int | None:
    """The score: absent, or a whole number 0-10 when the customer was reached; AftersalesError `bad_score` (400)."""
    if score is None:
        return None
    if not reached or isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise AftersalesError("bad_score", score=str(score)[:20])
    return score


@dataclass(frozen=True)
class CallResult:
    """What a logged call did: the follow-up as it now stands and the complaint a low score opened."""

    followup: Followup
    complaint: Complaint | None


def log_call(
    session: Session,
    fu: Followup,
    reached: Any,
    score: Any,
    note: str | None,
    actor: User,
    actor_name: str,
    at: datetime,
    *,
    roles: RoleTable,
    settings: AftersalesSettings,
) -> CallResult:
    """Log one call on an open follow-up; reached ends it (a low score opens a complaint), else it is tried again."""
    require(roles, actor, FOLLOWUP_CALL)
    if not isinstance(reached, bool):
        raise AftersalesError("bad_score", score="reached must be true or false")
    value = check_score(reached, score)
    if fu.status != FollowupStatus.OPEN.value or at >= fu.expires_at:
        raise AftersalesError("followup_closed", id=fu.id, status=fu.status if fu.status != "open" else "failed")
    session.add(FollowupCall(followup_id=fu.id, at=at, by=actor.id, reached=reached, score=value, note=note))
    fu.attempts += 1
    complaint = None
    if reached:
        fu.status, fu.score, fu.note, fu.closed_at = FollowupStatus.DONE.value, value, note, at
        if value is not None and value <= LOW_SCORE:
            wo = session.get(WorkOrder, fu.work_order_id)
            assert wo is not None
            text = f"Follow-up score {value}/10" + (f": {note}" if note else "")
            complaint = complaints.open_complaint(
                session,
                complaints.Intake(
                    ComplaintChannel.FOLLOWUP.value,
                    ComplaintCategory.OTHER.value,  # classified when it is handled
                    text,
                    wo.customer_id,
                    wo.vehicle_id,
                    wo.id,
                    fu.id,
                ),
                actor,
                actor_name,
                at,
                roles=None,
                settings=settings,
            )
    elif fu.attempts >= settings.followup_attempts:
        fu.status, fu.closed_at = FollowupStatus.FAILED.value, at
    else:
        fu.due_at = calendar.next_working_morning(at, settings)
    audit.record(
        session,
        actor_name,
        "followup_call",
        f"followup:{fu.id}",
        at=at,
        reached=reached,
        score=value,
        status=fu.status,
        complaint=complaint.id if complaint else None,
    )
    return CallResult(fu, complaint)


def listing(
    session: Session, status: str | None, now: datetime, settings: AftersalesSettings, *, today_only: bool = False
) -> list[dict[str, Any]]:
    """Follow-ups as `GET /api/followups` answers them (open ones by due time); `today_only`: the calls due by today's end."""
    fu = table_of(Followup).c  # plain columns: a call list of hundreds skips the ORM's loading layer
    stmt = (
        select(
            fu.id,
            fu.work_order_id,
            fu.due_at,
            fu.delivered_at,
            fu.attempts,
            fu.status,
            fu.score,
            WorkOrder.number,
            WorkOrder.advisor,
            Customer.name,
            Customer.phone,
            WorkOrder.customer,
        )
        .join(WorkOrder, WorkOrder.id == fu.work_order_id)
        .outerjoin(Customer, Customer.id == WorkOrder.customer_id)
    )
    if status is not None:
        stmt = stmt.where(fu.status == status)
    if today_only:
        _start, end = calendar.site_today_bounds(now, settings)
        stmt = stmt.where(fu.status == FollowupStatus.OPEN.value, fu.due_at < end)
    rows = session.execute(stmt.order_by(fu.due_at, fu.id).limit(500)).all()
    work = _work_of(session, [r.work_order_id for r in rows])
    return [
        {
            "id": r.id,
            "workorder": r.number,
            "due_at": r.due_at.isoformat(),
            "delivered_at": r.delivered_at.isoformat(),
            "attempts": r.attempts,
            "status": r.status,
            "score": r.score,
            "advisor": r.advisor,
            "customer": r.name or r.customer or "",
            "phone": r.phone or "",
            "work": work.get(r.work_order_id, []),
        }
        for r in rows
    ]


def _work_of(session: Session, wo_ids: list[int]) -> dict[int, list[str]]:
    """What was done on each job: its concerns, then its authorized labour operations' names."""
    out: dict[int, list[str]] = {}
    if not wo_ids:
        return out
    for wo_id, text in session.execute(
        select(Concern.work_order_id, Concern.text).where(Concern.work_order_id.in_(wo_ids)).order_by(Concern.id)
    ):
        out.setdefault(wo_id, []).append(text)
    for wo_id, name in session.execute(
        select(RepairLine.work_order_id, LabourOperation.name)
        .join(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .where(RepairLine.work_order_id.in_(wo_ids), RepairLine.status.in_(AUTHORIZED_STATUSES))
        .order_by(RepairLine.id)
    ):
        out.setdefault(wo_id, []).append(name)
    return out


def kpis(session: Session, start: datetime, end: datetime) -> dict[str, float | int | None]:
    """`csi` (mean score of the calls reached) and `followup_rate` (reached ÷ due) of jobs delivered in [start, end).

    Due: the follow-ups that are over (done or failed); one still being tried is not counted yet.
    """
    row = session.execute(
        select(
            func.count(Followup.id).filter(Followup.status != FollowupStatus.OPEN.value),
            func.count(Followup.id).filter(Followup.status == FollowupStatus.DONE.value),
            func.avg(Followup.score),
        ).where(and_(Followup.delivered_at >= start, Followup.delivered_at < end))
    ).one()
    due, reached, mean = int(row[0] or 0), int(row[1] or 0), row[2]
    return {
        "followups_due": due,
        "followups_reached": reached,
        "followup_rate": round(reached / due, 4) if due else None,
        "csi": round(float(mean), 2) if mean is not None else None,
    }
