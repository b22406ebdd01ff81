"""Comebacks (SPEC 10.5): a vehicle back within `[comebacks] days` of a delivery.

`check` answers at reception and on the board, on a VIN or plate scan: the earlier job, its
concerns and technicians, with the same technician and the `internal` pay type suggested. A job
whose vehicle was delivered within the window before it came in is flagged (`flag_of`) until
the advisor confirms or dismisses it (`decide`). `comeback_rate` = confirmed ÷ delivered jobs,
per month and per technician (of the earlier job); it is not 9.5's `rework_rate` (final QC fails).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from floor.core import audit
from floor.core.aftersales import calendar
from floor.core.aftersales.errors import DECIDE_COMEBACK, AftersalesError, require
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import RoleTable
from floor.core.workorders.lookup import find_job
from floor.core.workorders.status import Status
from floor.models import ClockRecord, Comeback, Concern, User, WorkOrder
from floor.models.repair import PayType

SUGGESTED_PAY = PayType.INTERNAL.value


def earlier_delivery(
    session: Session, vehicle_id: int, at: datetime, settings: AftersalesSettings, *, exclude: int | None = None
) -> WorkOrder | None:
    """The vehicle's latest job delivered within `[comebacks] days` before `at` (not job `exclude`)."""
    stmt = (
        select(WorkOrder)
        .where(
            WorkOrder.vehicle_id == vehicle_id,
            WorkOrder.status == Status.DELIVERED.value,
            WorkOrder.closed_at >= at - timedelta(days=settings.comeback_days),
            WorkOrder.closed_at <= at,
        )
        .order_by(WorkOrder.closed_at.desc(), WorkOrder.id.desc())
        .limit(1)
    )
    if exclude is not None:
        stmt = stmt.where(WorkOrder.id != exclude)
    return session.scalar(stmt)


def technicians(session: Session, wo: WorkOrder) -> list[User]:
    """Who worked on a job: its technician, then everyone clocked on its lines (each once), in one statement."""
    clocked = select(ClockRecord.technician_id).where(ClockRecord.work_order_id == wo.id)
    found = session.scalars(select(User).where(or_(User.id == wo.technician_id, User.id.in_(clocked)))).all()
    return sorted(found, key=lambda u: (u.id != wo.technician_id, u.name))


def describe(session: Session, earlier: WorkOrder) -> dict[str, Any]:
    """The earlier job as the flag names it, with the suggestion: same technician, `internal` pay."""
    concerns = list(
        session.scalars(select(Concern.text).where(Concern.work_order_id == earlier.id).order_by(Concern.id))
    )
    techs = technicians(session, earlier)
    return {
        "of": earlier.number,
        "delivered_at": earlier.closed_at.isoformat() if earlier.closed_at else None,
        "concerns": concerns,
        "technicians": [t.name for t in techs],
        "suggest": {"technician": techs[0].name if techs else None, "pay": SUGGESTED_PAY},
    }


def check(session: Session, vehicle_id: int, at: datetime, settings: AftersalesSettings) -> dict[str, Any] | None:
    """At reception: the flag for this vehicle now (None when it was not delivered within the window)."""
    earlier = earlier_delivery(session, vehicle_id, at, settings)
    return describe(session, earlier) if earlier is not None else None


def flag_of(session: Session, wo: WorkOrder, settings: AftersalesSettings) -> dict[str, Any] | None:
    """`GET /api/workorders/<n>`'s `"comeback": {"of", "confirmed"}`: the decision made, else the flag (confirmed null)."""
    decided = session.scalar(select(Comeback).where(Comeback.work_order_id == wo.id))
    if decided is not None:
        of = session.get(WorkOrder, decided.of_work_order_id)
        assert of is not None
        return {**describe(session, of), "confirmed": decided.confirmed}
    if wo.vehicle_id is None:
        return None
    earlier = earlier_delivery(session, wo.vehicle_id, wo.created_at, settings, exclude=wo.id)
    return {**describe(session, earlier), "confirmed": None} if earlier is not None else None


def decide(
    session: Session,
    wo: WorkOrder,
    of_number: Any,
    confirmed: Any,
    note: str | None,
    actor: User,
    actor_name: str,
    at: datetime,
    *,
    roles: RoleTable,
    settings: AftersalesSettings,
) -> Comeback:
    """The advisor confirms or dismisses that job `wo` is a comeback of job `of_number` (a later answer replaces it)."""
    require(roles, actor, DECIDE_COMEBACK)
    if not isinstance(confirmed, bool):
        raise AftersalesError("bad_complaint_field", field="confirmed", detail="true or false")
    of = find_job(session, str(of_number))
    window = earlier_delivery(session, wo.vehicle_id, wo.created_at, settings, exclude=wo.id) if wo.vehicle_id else None
    ok = (
        of is not None
        and of.id != wo.id
        and of.vehicle_id == wo.vehicle_id
        and of.status == Status.DELIVERED.value
        and of.closed_at is not None
        and window is not None
        and wo.created_at - timedelta(days=settings.comeback_days) <= of.closed_at <= wo.created_at
    )
    if not ok or of is None:
        raise AftersalesError("not_a_comeback", of=str(of_number)[:64], number=wo.number, days=settings.comeback_days)
    row = session.scalar(select(Comeback).where(Comeback.work_order_id == wo.id))
    if row is None:
        row = Comeback(work_order_id=wo.id, of_work_order_id=of.id, confirmed=confirmed, decided_by=actor.id)
        session.add(row)
    row.of_work_order_id, row.confirmed, row.decided_by, row.decided_at, row.note = (
        of.id,
        confirmed,
        actor.id,
        at,
        note,
    )
    audit.record(
        session, actor_name, "decide_comeback", f"workorder:{wo.number}", at=at, of=of.number, confirmed=confirmed
    )
    return row


def rates(session: Session, start: datetime, end: datetime, settings: AftersalesSettings) -> dict[str, Any]:
    """`comeback_rate` = confirmed comebacks ÷ delivered jobs in [start, end): in total, per site month, per technician.

    A comeback counts in the month its new job came in and against the technicians of the earlier job.
    """
    delivered = session.execute(
        select(WorkOrder.id, WorkOrder.closed_at, WorkOrder.technician_id).where(
            WorkOrder.status == Status.DELIVERED.value, WorkOrder.closed_at >= start, WorkOrder.closed_at < end
        )
    ).all()
    confirmed = session.execute(
        select(WorkOrder.created_at, Comeback.of_work_order_id)
        .join(WorkOrder, WorkOrder.id == Comeback.work_order_id)
        .where(Comeback.confirmed.is_(True), WorkOrder.created_at >= start, WorkOrder.created_at < end)
    ).all()
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_tech: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _id, closed, tech in delivered:
        by_month[calendar.local(closed, settings).strftime("%Y-%m")][1] += 1
        if tech:
            by_tech[tech][1] += 1
    of_techs: dict[int, int | None] = {
        wo_id: tech
        for wo_id, tech in session.execute(
            select(WorkOrder.id, WorkOrder.technician_id).where(WorkOrder.id.in_({of for _c, of in confirmed}))
        )
    }
    for created, of in confirmed:
        by_month[calendar.local(created, settings).strftime("%Y-%m")][0] += 1
        tech = of_techs.get(of)
        if tech is not None:
            by_tech[tech][0] += 1
    names = {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(list(by_tech))))}

    def rate(c: int, d: int) -> float | None:
        return round(c / d, 4) if d else None

    return {
        "comebacks": len(confirmed),
        "delivered": len(delivered),
        "comeback_rate": rate(len(confirmed), len(delivered)),
        "months": [
            {"month": m, "comebacks": c, "delivered": d, "comeback_rate": rate(c, d)}
            for m, (c, d) in sorted(by_month.items())
        ],
        "technicians": [
            {"technician": names.get(t, str(t)), "comebacks": c, "delivered": d, "comeback_rate": rate(c, d)}
            for t, (c, d) in sorted(by_tech.items(), key=lambda kv: names.get(kv[0], ""))
        ],
    }


def flags_for(session: Session, numbers: list[str], settings: AftersalesSettings) -> dict[str, str]:
    """The board's marks: job number -> the earlier job's number, for the jobs flagged or confirmed (not dismissed).

    Two statements for a whole screen of jobs: the jobs with their vehicles, then those vehicles' deliveries.
    """
    if not numbers:
        return {}
    jobs = session.execute(
        select(WorkOrder.id, WorkOrder.number, WorkOrder.vehicle_id, WorkOrder.created_at).where(
            WorkOrder.number.in_(numbers), WorkOrder.vehicle_id.is_not(None)
        )
    ).all()
    if not jobs:
        return {}
    decided = {
        wo_id: (of, ok)
        for wo_id, of, ok in session.execute(
            select(Comeback.work_order_id, Comeback.of_work_order_id, Comeback.confirmed).where(
                Comeback.work_order_id.in_([j.id for j in jobs])
            )
        )
    }
    earliest = min(j.created_at for j in jobs) - timedelta(days=settings.comeback_days)
    deliveries: dict[int, list[tuple[datetime, int, str]]] = defaultdict(list)
    for wo_id, number, vehicle_id, closed in session.execute(
        select(WorkOrder.id, WorkOrder.number, WorkOrder.vehicle_id, WorkOrder.closed_at).where(
            WorkOrder.vehicle_id.in_({j.vehicle_id for j in jobs}),
            WorkOrder.status == Status.DELIVERED.value,
            WorkOrder.closed_at >= earliest,
        )
    ):
        deliveries[vehicle_id].append((closed, wo_id, number))
    numbers_by_id = {wo_id: number for v in deliveries.values() for _c, wo_id, number in v}
    out: dict[str, str] = {}
    for j in jobs:
        if j.id in decided:
            of, ok = decided[j.id]
            if ok:
                out[j.number] = numbers_by_id.get(of) or str(session.get(WorkOrder, of).number)  # type: ignore[union-attr]
            continue
        window = [
            (closed, number)
            for closed, wo_id, number in deliveries.get(j.vehicle_id, [])
            if wo_id != j.id and j.created_at - timedelta(days=settings.comeback_days) <= closed <= j.created_at
        ]
        if window:
            out[j.number] = max(window)[1]
    return out
