"""Work-order benchmarks: the job board query on a busy shop's database (SQLite, in a temp dir).

The shop: 300 open jobs in every stage, 5,000 delivered ones, 100,000 ledger rows
(issues, returns and undos on jobs, receipts and moves off them), cores due and
returned, key fobs. `job_board_query_ms` is the median time of `board()` in a
read transaction (target: under 20 ms); `parts_cost_month_ms` one month of the cost export.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from floor.db import Database
from floor.db.migrate import upgrade
from floor.models import (
    Core,
    Location,
    Part,
    StockMove,
    Tag,
    User,
    WorkOrder,
    WorkOrderStatusChange,
)

OPEN_JOBS = 300
CLOSED_JOBS = 5000
LEDGER_ROWS = 100_000
PARTS = 3000
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
OPEN_STAGES = (
    "received",
    "dispatched",
    "in_progress",
    "in_progress",
    "in_progress",
    "on_hold",
    "qc",
    "washing",
    "ready",
)


def build(db: Database, seed: int = 7) -> None:
    """Fill an empty, migrated database with the busy shop."""
    rnd = random.Random(seed)
    with db.writing() as s:
        s.execute(
            insert(User),
            [
                {"id": i, "badge": f"T{i:03d}", "name": f"Tech {i}", "role": "technician", "active": True}
                for i in range(1, 41)
            ],
        )
        s.execute(
            insert(Location),
            [
                {"id": i, "code": f"A-{i:02d}-01", "name": "", "zone": "A", "kind": "store", "active": True}
                for i in range(1, 61)
            ]
            + [{"id": 61, "code": "CORE-01", "name": "", "zone": "Z", "kind": "core", "active": True}],
        )
        s.execute(
            insert(Part),
            [
                {
                    "id": i,
                    "part_no": f"P{i:05d}",
                    "name": f"Part {i}",
                    "unit_cost": Decimal(rnd.randint(100, 50000)) / 100,
                    "is_core": i % 50 == 0,
                    "reorder_point": 0,
                    "reorder_qty": 0,
                    "allow_negative": False,
                    "active": True,
                    "created_at": NOW,
                }
                for i in range(1, PARTS + 1)
            ],
        )
        jobs, changes = [], []
        for i in range(1, OPEN_JOBS + CLOSED_JOBS + 1):
            is_open = i > CLOSED_JOBS
            created = NOW - timedelta(hours=rnd.randint(1, 72) if is_open else rnd.randint(100, 8000))
            status = rnd.choice(OPEN_STAGES) if is_open else "delivered"
            started = created + timedelta(minutes=30) if status not in ("received", "dispatched") else None
            jobs.append(
                {
                    "id": i,
                    "number": f"{100000 + i}",
                    "vehicle": f"粤B{i:05d}",
                    "customer": f"C{i}",
                    "promised_at": created + timedelta(hours=rnd.randint(2, 30)),
                    "estimate_minutes": rnd.choice([None, 60, 90, 120, 240]),
                    "status": status,
                    "status_since": created + timedelta(minutes=45),
                    "technician_id": rnd.randint(1, 40),
                    "hold_reason": "parts" if status == "on_hold" else None,
                    "created_at": created,
                    "started_at": started,
                    "qc_passed_at": None,
                    "closed_at": created + timedelta(hours=6) if not is_open else None,
                    "team": None,
                }
            )
            for k, to in enumerate(("dispatched", "in_progress", "qc", "ready", "delivered")[: 3 if is_open else 5]):
                changes.append(
                    {
                        "work_order_id": i,
                        "from_status": None,
                        "to_status": to,
                        "actor_id": 1,
                        "at": created + timedelta(minutes=10 * (k + 1)),
                    }
                )
        s.execute(insert(WorkOrder), jobs)
        s.execute(insert(WorkOrderStatusChange), changes)
        moves = []
        for n in range(LEDGER_ROWS):
            part = rnd.randint(1, PARTS)
            at = NOW - timedelta(minutes=rnd.randint(1, 400_000))
            kind = rnd.random()
            if kind < 0.55:  # issues, returns and undos on jobs (a few to every open job)
                wo = CLOSED_JOBS + 1 + n % OPEN_JOBS if n % 12 == 0 else rnd.randint(1, CLOSED_JOBS)
                reason = "issue" if kind < 0.45 else ("return" if kind < 0.52 else "undo")
                qty = -rnd.randint(1, 4) if reason != "return" else 1
                moves.append(
                    {
                        "id": n + 1,
                        "part_id": part,
                        "location_id": rnd.randint(1, 60),
                        "qty": qty,
                        "reason": reason,
                        "work_order_id": wo,
                        "unit_cost": Decimal("12.50"),
                        "at": at,
                    }
                )
            else:
                moves.append(
                    {
                        "id": n + 1,
                        "part_id": part,
                        "location_id": rnd.randint(1, 60),
                        "qty": rnd.randint(1, 20),
                        "reason": "receive",
                        "work_order_id": None,
                        "unit_cost": Decimal("12.50"),
                        "at": at,
                    }
                )
        s.execute(insert(StockMove), moves)
        cores = []
        for i in range(1, 3001):
            wo = CLOSED_JOBS + 1 + i % OPEN_JOBS if i <= 400 else rnd.randint(1, CLOSED_JOBS)
            cores.append(
                {
                    "serial": f"C{i}-1",
                    "work_order_id": wo,
                    "part_id": 50 * rnd.randint(1, PARTS // 50),
                    "technician_id": rnd.randint(1, 40),
                    "status": "due" if i <= 400 else "returned",
                    "created_at": NOW - timedelta(hours=rnd.randint(1, 200)),
                }
            )
        s.execute(insert(Core), cores)
        s.execute(
            insert(Tag),
            [
                {
                    "code": f"E280116060000{i:011d}",
                    "kind": "key",
                    "work_order_id": CLOSED_JOBS + i,
                    "label": f"key {i}",
                    "last_seen_at": NOW - timedelta(minutes=i),
                    "last_seen_where": "key-cabinet",
                }
                for i in range(1, OPEN_JOBS + 1)
            ],
        )


def _time_ms(fn: Any, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run (CPU time is what a busy machine cannot inflate)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def run(quick: bool = False) -> dict[str, Any]:
    """Build the shop, then time the board and a month of parts cost."""
    from floor.core.workorders import board, parts_cost_rows

    runs = 10 if quick else 50
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}", "NORMAL")
        try:
            upgrade(db.engine)
            build(db)

            def one_board() -> int:
                with db.reading() as s:
                    return len(board(s, NOW))

            jobs = one_board()
            for _ in range(3):
                one_board()
            times, cpu = _time_ms(one_board, runs)

            def one_month() -> int:
                with db.reading() as s:
                    return len(parts_cost_rows(s, NOW - timedelta(days=30), NOW))

            cost_times, _ = _time_ms(one_month, max(3, runs // 10))
        finally:
            db.dispose()
    times.sort()
    return {
        "job_board_query_ms": round(statistics.median(times), 2),
        "job_board_query_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "job_board_query_cpu_ms": round(statistics.median(cpu), 2),
        "job_board_jobs": jobs,
        "job_board_ledger_rows": LEDGER_ROWS,
        "parts_cost_month_ms": round(statistics.median(cost_times), 2),
    }


if __name__ == "__main__":
    print(run())
