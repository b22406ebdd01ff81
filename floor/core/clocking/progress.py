"""Progress by clocking (SPEC 10.3): clocked ÷ sold hours per job, and each labour line's hours and technicians.

Sold hours are the hours of the labour lines the customer said yes to (authorized or done);
clocked hours add every clock record's time on the job (a running one up to `now`). The board
(floor.core.workorders.board) flags a job past 75 % of them as before; a job without sold hours keeps
its estimate in minutes (SPEC 9.4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.models import ClockRecord, LabourOperation, RepairLine, User
from floor.models.repair import AUTHORIZED_STATUSES, LineKind

_HOUR = Decimal(3600)
_HUNDREDTH = Decimal("0.01")


def hours_between(start: datetime, end: datetime | None, now: datetime) -> Decimal:
    """Hours from `start` to `end` (or `now` while running), never negative, unrounded."""
    seconds = max(((end or now) - start).total_seconds(), 0.0)
    return Decimal(str(seconds)) / _HOUR


def shown(hours: Decimal) -> str:
    """Hours as shown and answered: two decimals."""
    return str(hours.quantize(_HUNDREDTH))


@dataclass(frozen=True)
class Progress:
    """A job's sold and clocked hours."""

    sold: Decimal
    clocked: Decimal

    @property
    def ratio(self) -> Decimal:
        """Clocked ÷ sold (sold hours are above zero: jobs without them have no Progress)."""
        return self.clocked / self.sold


def progress_of(session: Session, wo_ids: Iterable[int], now: datetime) -> dict[int, Progress]:
    """Progress of the jobs that have sold labour hours (two queries for any number of jobs)."""
    ids = sorted(set(wo_ids))
    if not ids:
        return {}
    sold: dict[int, Decimal] = defaultdict(Decimal)
    for wo_id, hours in session.execute(
        select(RepairLine.work_order_id, RepairLine.hours).where(
            RepairLine.work_order_id.in_(ids),
            RepairLine.kind == LineKind.LABOUR.value,
            RepairLine.status.in_(AUTHORIZED_STATUSES),
        )
    ):
        sold[wo_id] += Decimal(hours or 0)
    clocked: dict[int, Decimal] = defaultdict(Decimal)
    busy = [i for i in ids if sold.get(i)]
    if busy:
        for wo_id, on_at, off_at in session.execute(
            select(ClockRecord.work_order_id, ClockRecord.on_at, ClockRecord.off_at).where(
                ClockRecord.work_order_id.in_(busy)
            )
        ):
            clocked[wo_id] += hours_between(on_at, off_at, now)
    return {i: Progress(sold[i], clocked[i]) for i in busy}


def labour_lines(session: Session, wo_id: int, now: datetime) -> list[dict[str, Any]]:
    """Each labour line of a job with its sold and clocked hours and who clocked it (names, never badges)."""
    lines = session.execute(
        select(RepairLine, LabourOperation.code)
        .join(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .where(RepairLine.work_order_id == wo_id, RepairLine.kind == LineKind.LABOUR.value)
        .order_by(RepairLine.id)
    ).all()
    clocked: dict[int, Decimal] = defaultdict(Decimal)
    people: dict[int, dict[str, bool]] = defaultdict(dict)  # line -> name -> on it now
    for line_id, on_at, off_at, name in session.execute(
        select(ClockRecord.line_id, ClockRecord.on_at, ClockRecord.off_at, User.name)
        .join(User, User.id == ClockRecord.technician_id)
        .where(ClockRecord.work_order_id == wo_id)
        .order_by(ClockRecord.id)
    ):
        clocked[line_id] += hours_between(on_at, off_at, now)
        people[line_id][name] = people[line_id].get(name, False) or off_at is None
    return [
        {
            "id": line.id,
            "op": op,
            "status": line.status,
            "sold_hours": shown(Decimal(line.hours or 0)),
            "clocked_hours": shown(clocked[line.id]),
            "technicians": [{"name": n, "on": on} for n, on in people[line.id].items()],
        }
        for line, op in lines
    ]
