"""The technicians' report (SPEC 10.3): per technician, over a period, clocked hours, the sold hours of the
lines they finished, efficiency (sold ÷ clocked), jobs, and comebacks.

Clocked hours count the part of each clock record inside the period (a running one up to `now`);
a line's sold hours go to the technician who finished it, in the period it was finished. Comebacks
are counted once after-sales (SPEC 10.5) flags them: 0 until then. People are named, never by badge.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from floor.core.clocking.progress import hours_between, shown
from floor.models import ClockRecord, RepairLine, User
from floor.models.repair import LineKind, LineStatus

COLUMNS = ("name", "role", "clocked_hours", "sold_hours", "efficiency", "jobs", "comebacks")


def technicians(session: Session, start: datetime, end: datetime, now: datetime) -> list[dict[str, Any]]:
    """One row per person who clocked or finished a line in [start, end), by name."""
    clocked: dict[int, Decimal] = defaultdict(Decimal)
    jobs: dict[int, set[int]] = defaultdict(set)
    for tech, wo_id, on_at, off_at in session.execute(
        select(ClockRecord.technician_id, ClockRecord.work_order_id, ClockRecord.on_at, ClockRecord.off_at).where(
            ClockRecord.on_at < end, or_(ClockRecord.off_at.is_(None), ClockRecord.off_at > start)
        )
    ):
        stop = min(off_at or now, end)
        clocked[tech] += hours_between(max(on_at, start), stop, stop)
        jobs[tech].add(wo_id)
    sold: dict[int, Decimal] = defaultdict(Decimal)
    for tech, hours in session.execute(
        select(RepairLine.done_by, RepairLine.hours).where(
            RepairLine.kind == LineKind.LABOUR.value,
            RepairLine.status == LineStatus.DONE.value,
            RepairLine.done_at >= start,
            RepairLine.done_at < end,
            RepairLine.done_by.is_not(None),
        )
    ):
        sold[tech] += Decimal(hours or 0)
    people = set(clocked) | set(sold)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(people)))} if people else {}
    rows = []
    for tech in sorted(people, key=lambda t: (users[t].name if t in users else "", t)):
        hours_in = clocked.get(tech, Decimal(0))
        rows.append(
            {
                "name": users[tech].name if tech in users else "-",
                "role": users[tech].role if tech in users else "-",
                "clocked_hours": shown(hours_in),
                "sold_hours": shown(sold.get(tech, Decimal(0))),
                "efficiency": shown(sold.get(tech, Decimal(0)) / hours_in) if hours_in > 0 else None,
                "jobs": len(jobs.get(tech, ())),
                "comebacks": 0,
            }
        )
    return rows
