"""Helpers of the work-order tests: send scans, read back jobs, cores, stock and status history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from floor.core import queries
from floor.core.results import ScanInput, ScanResult
from floor.db import Database
from floor.models import Core, PrintJob, StockMove, WorkOrder, WorkOrderStatusChange


def scan(service: Any, *texts: str, station: str = "counter-1", device: str = "dev-1") -> list[ScanResult]:
    """Send texts as one batch from one device of a station."""
    return service.submit(station, device, [ScanInput(t.encode()) for t in texts])


def codes(results: list[ScanResult]) -> list[str]:
    """The result codes of a batch."""
    return [r.code for r in results]


def job(db: Database, number: str = "1001") -> dict[str, Any]:
    """The job as `GET /api/workorders/<number>` shows it."""
    with db.reading() as s:
        info = queries.workorder_summary(s, number)
    assert info is not None
    return info


def cores(db: Database, number: str = "1001") -> list[Core]:
    """The cores of a job, oldest first."""
    with db.reading() as s:
        wo_id = s.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
        return list(s.scalars(select(Core).where(Core.work_order_id == wo_id).order_by(Core.id)))


def on_hand(db: Database, part_no: str) -> dict[str, int]:
    """A part's on-hand per bin."""
    with db.reading() as s:
        info = queries.part_summary(s, part_no)
    assert info is not None
    return info["bins"]


def history(db: Database, number: str = "1001") -> list[tuple[str | None, str]]:
    """A job's status moves (from, to), in order."""
    with db.reading() as s:
        wo_id = s.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
        return [
            (c.from_status, c.to_status)
            for c in s.scalars(
                select(WorkOrderStatusChange)
                .where(WorkOrderStatusChange.work_order_id == wo_id)
                .order_by(WorkOrderStatusChange.id)
            )
        ]


def snapshot(db: Database) -> dict[str, Any]:
    """Everything a rejected scan must leave alone: jobs, cores, moves, status history, print jobs."""
    with db.reading() as s:
        return {
            "jobs": sorted(
                (w.number, w.status, w.hold_reason, w.qc_passed_at, w.closed_at) for w in s.scalars(select(WorkOrder))
            ),
            "cores": sorted((c.serial, c.status, c.disposition, c.returned_at) for c in s.scalars(select(Core))),
            "moves": s.scalar(select(func.count()).select_from(StockMove)),
            "changes": s.scalar(select(func.count()).select_from(WorkOrderStatusChange)),
            "prints": s.scalar(select(func.count()).select_from(PrintJob)),
        }
