"""The job board: every open job with its stage, timing flags, parts, cores due and tags.

Flags:
- `progress_check`: work started (first `in_progress`) and more than 75 % of the
  estimate has passed while the job is still being worked on (in progress, on hold,
  QC or washing): the advisor should ask the workshop how it is going. A job with sold
  labour hours measures them instead: clocked ÷ sold hours (floor.core.clocking.progress).
- `overdue`: the promised time has passed and the car is not yet ready.
- `waiting_parts` / `waiting_approval`: on hold, and why.
- `cores_due`: old parts the job still owes the store.

`parts_outstanding` is what a foreman chases: true while the job is on hold
waiting for parts (with `waiting_since`). `parts` sums what is already on the
job (distinct parts and net quantity issued).

Seven indexed queries whatever the number of jobs (open jobs, cores due,
net parts, tags, sold and clocked hours), so the board stays fast on a large ledger.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.authority import person_shown
from floor.core.clocking.progress import Progress, progress_of, shown
from floor.core.demand.queues import backordered_jobs
from floor.core.workorders.status import OPEN, WORKING, Status, stage_times
from floor.models import Core, StockMove, Tag, User, WorkOrder, WorkOrderStatusChange
from floor.models.base import table_of

PROGRESS_CHECK_SHARE = 0.75
STAGE_ORDER = {s.value: i for i, s in enumerate(Status)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _hours(progress: Progress | None) -> dict[str, str] | None:
    """A job's sold and clocked labour hours as shown (None without sold hours)."""
    if progress is None:
        return None
    return {"sold": shown(progress.sold), "clocked": shown(progress.clocked)}


def flags(
    status: str,
    hold_reason: str | None,
    started_at: datetime | None,
    estimate_minutes: int | None,
    promised_at: datetime | None,
    cores: int,
    now: datetime,
    progress: Progress | None = None,
) -> tuple[list[str], int | None]:
    """The board flags of one job and the share of its estimate used so far (percent, None without one).

    With `progress` (the job has sold labour hours) the share is its clocked ÷ sold hours, not the time since start.
    """
    out: list[str] = []
    pct = None
    if progress is not None:
        pct = int(progress.ratio * 100)
    elif started_at is not None and estimate_minutes:
        pct = int((now - started_at).total_seconds() * 100 / (estimate_minutes * 60))
    if pct is not None and status in WORKING and pct > PROGRESS_CHECK_SHARE * 100:
        out.append("progress_check")
    if promised_at is not None and now > promised_at and status != Status.READY.value:
        out.append("overdue")
    if status == Status.ON_HOLD.value:
        out.append("waiting_approval" if hold_reason == "approval" else "waiting_parts")
    if cores:
        out.append("cores_due")
    return out, pct


def board(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Every open job, in stage order then promised time, with what the foreman needs to see."""
    # Plain table columns (not ORM attributes): the rows skip the ORM's loading layer.
    wo, user, core, move, tag = (table_of(m).c for m in (WorkOrder, User, Core, StockMove, Tag))
    holder = table_of(User).alias("key_holder")
    open_ids = select(wo.id).where(wo.status.in_(OPEN)).scalar_subquery()
    jobs = session.execute(
        select(
            wo.id,
            wo.number,
            wo.status,
            wo.status_since,
            wo.hold_reason,
            wo.vehicle,
            wo.customer,
            wo.promised_at,
            wo.estimate_minutes,
            wo.started_at,
            wo.team,
            user.name,
            user.role,
            wo.plate,
            wo.advisor,
            wo.key_since,
            holder.c.name.label("key_name"),
            holder.c.role.label("key_role"),
        )
        .select_from(
            table_of(WorkOrder)
            .outerjoin(table_of(User), user.id == wo.technician_id)
            .outerjoin(holder, holder.c.id == wo.key_holder_id)
        )
        .where(wo.status.in_(OPEN))
    ).all()
    cores = {
        wo_id: int(n)
        for wo_id, n in session.execute(
            select(core.work_order_id, func.count())
            .where(core.status == "due", core.work_order_id.in_(open_ids))
            .group_by(core.work_order_id)
        )
    }
    # Net quantity per job and part, summed again per job in SQL: a few hundred rows back, not thousands.
    per_part = (
        select(move.work_order_id.label("wo"), (-func.sum(move.qty)).label("net"))
        .where(move.work_order_id.in_(open_ids))
        .group_by(move.work_order_id, move.part_id)
        .subquery()
    )
    parts = {
        wo_id: (int(lines or 0), int(qty or 0))
        for wo_id, lines, qty in session.execute(
            select(per_part.c.wo, func.count(), func.sum(per_part.c.net))
            .where(per_part.c.net != 0)
            .group_by(per_part.c.wo)
        )
    }
    tags: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in session.execute(
        select(tag.work_order_id, tag.code, tag.kind, tag.label, tag.last_seen_at, tag.last_seen_where)
        .where(tag.work_order_id.in_(open_ids))
        .order_by(tag.id)
    ):
        tags[t.work_order_id].append(
            {
                "code": t.code,
                "kind": t.kind,
                "label": t.label,
                "last_seen_at": _iso(t.last_seen_at),
                "last_seen_where": t.last_seen_where,
            }
        )
    short = _short_of_parts(session, open_ids)
    clocked = progress_of(session, [j.id for j in jobs], now)
    rows: list[dict[str, Any]] = []
    for j in jobs:
        due = cores.get(j.id, 0)
        job_flags, pct = flags(
            j.status, j.hold_reason, j.started_at, j.estimate_minutes, j.promised_at, due, now, clocked.get(j.id)
        )
        lines, qty = parts.get(j.id, (0, 0))
        since = j.status_since.isoformat()
        waiting = j.status == "on_hold" and j.hold_reason == "parts"
        hold_reason = j.hold_reason
        if j.id in short:  # a backordered request line: the job waits for parts whatever its stage
            waiting, hold_reason = True, hold_reason or "parts"
            if "waiting_parts" not in job_flags:
                job_flags.append("waiting_parts")
        rows.append(
            {
                "number": j.number,
                "status": j.status,
                "hold_reason": hold_reason,
                "vehicle": j.vehicle,
                "customer": j.customer,
                "technician": person_shown(j.name, j.role),
                "team": j.team,
                "stage_since": since,
                "time_in_stage_s": max(int((now - j.status_since).total_seconds()), 0),
                "promised_at": _iso(j.promised_at),
                "estimate_minutes": j.estimate_minutes,
                "started_at": _iso(j.started_at),
                "estimate_used_pct": pct,
                "hours": _hours(clocked.get(j.id)),
                "flags": job_flags,
                "parts_outstanding": waiting,
                "waiting_since": since if waiting else None,
                "parts": {"lines": lines, "qty": qty},
                "cores_due": due,
                "tags": tags.get(j.id, []),
                "plate": j.plate,
                "advisor": j.advisor,
                # holder null while the key hangs in the cabinet (since = when it came back)
                "key": {
                    "holder": person_shown(j.key_name, j.key_role),
                    "holder_name": j.key_name,
                    "since": _iso(j.key_since),
                },
            }
        )
    last = "9999"  # jobs without a promised time go last in their stage
    rows.sort(key=lambda r: (STAGE_ORDER[r["status"]], r["promised_at"] or last, r["number"]))
    return rows


def _short_of_parts(session: Session, wo_ids: Any) -> set[int]:
    """Jobs with a request line still short of stock (SPEC 9.2: the waiting-parts flag follows the requests)."""
    return backordered_jobs(session, wo_ids)


def jobs_by_status(session: Session, statuses: list[str], limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    """Jobs in the given statuses (newest first), without the board's per-job figures."""
    rows = session.execute(
        select(WorkOrder, User.name, User.role)
        .outerjoin(User, User.id == WorkOrder.technician_id)
        .where(WorkOrder.status.in_(statuses))
        .order_by(WorkOrder.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        {
            "number": wo.number,
            "status": wo.status,
            "hold_reason": wo.hold_reason,
            "vehicle": wo.vehicle,
            "customer": wo.customer,
            "technician": person_shown(name, role),
            "team": wo.team,
            "stage_since": _iso(wo.status_since),
            "promised_at": _iso(wo.promised_at),
            "estimate_minutes": wo.estimate_minutes,
            "started_at": _iso(wo.started_at),
            "qc_passed_at": _iso(wo.qc_passed_at),
            "closed_at": _iso(wo.closed_at),
        }
        for wo, name, role in rows
    ]


def job_details(session: Session, wo: WorkOrder, now: datetime) -> dict[str, Any]:
    """One job's people, timing, flags, stage durations, status history and tags (for its summary)."""
    tech = session.get(User, wo.technician_id) if wo.technician_id else None
    changes = list(
        session.scalars(
            select(WorkOrderStatusChange)
            .where(WorkOrderStatusChange.work_order_id == wo.id)
            .order_by(WorkOrderStatusChange.at, WorkOrderStatusChange.id)
        )
    )
    actors = {c.actor_id for c in changes if c.actor_id}
    people = (
        {
            uid: person_shown(name, role)
            for uid, name, role in session.execute(select(User.id, User.name, User.role).where(User.id.in_(actors)))
        }
        if actors
        else {}
    )
    due = (
        session.scalar(select(func.count()).select_from(Core).where(Core.work_order_id == wo.id, Core.status == "due"))
        or 0
    )
    clocked = progress_of(session, [wo.id], now).get(wo.id)
    job_flags, pct = flags(
        wo.status, wo.hold_reason, wo.started_at, wo.estimate_minutes, wo.promised_at, due, now, clocked
    )
    if wo.is_open and "waiting_parts" not in job_flags and _short_of_parts(session, [wo.id]):
        job_flags.append("waiting_parts")
    tags = [
        {
            "code": t.code,
            "kind": t.kind,
            "label": t.label,
            "last_seen_at": _iso(t.last_seen_at),
            "last_seen_where": t.last_seen_where,
        }
        for t in session.scalars(select(Tag).where(Tag.work_order_id == wo.id).order_by(Tag.id))
    ]
    return {
        "technician": person_shown(tech.name, tech.role) if tech else None,
        "technician_name": tech.name if tech else None,
        "team": wo.team,
        "hold_reason": wo.hold_reason,
        "started_at": _iso(wo.started_at),
        "qc_passed_at": _iso(wo.qc_passed_at),
        "closed_at": _iso(wo.closed_at),
        "estimate_used_pct": pct,
        "hours": _hours(clocked),
        "flags": job_flags if wo.is_open else [],
        "cores_due": int(due),
        "stage_seconds": {k: int(v) for k, v in stage_times(wo, changes, now).items()},
        "history": [
            {
                "from": c.from_status,
                "to": c.to_status,
                "at": c.at.isoformat(),
                "by": people.get(c.actor_id),
                "note": c.note,
                "hold_reason": c.hold_reason,
            }
            for c in changes
        ],
        "tags": tags,
    }
