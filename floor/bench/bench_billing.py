"""The bill's benchmarks (SPEC 10.4), through `floor serve` in a subprocess.

- `invoice_ms`: `POST /api/workorders/<n>/invoice` for a READY job of 40 lines (25 labour lines done, 15 part
  lines with their parts issued), on SQLite: median and p95 over many jobs (target: under 150 ms).
- `invoice_numbers_per_s`: invoices made per second by 8 concurrent clients through two `floor serve`
  processes on one PostgreSQL, with `invoice_numbers_gapless` (numbers 1..N, each job invoiced once).
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from floor import clock
from floor.bench.bench_core import _pg_database, _pg_drop, _Server, _write_config
from floor.config import load_config
from floor.db import Database
from floor.db.migrate import upgrade
from floor.models import Invoice, LabourOperation, Location, Part, RepairLine, StockMove, User, WorkOrder

LABOUR_LINES = 25
PART_LINES = 15
TARGET_MS = 150
CLIENTS = 8


def _config(folder: Path, url: str) -> Path:
    cfg = _write_config(folder, url, 1)
    cfg.write_text(cfg.read_text() + '\n[billing]\nlabour_rate = "380.00"\ntax_pct = 13\n')
    return cfg


def _build(cfg_path: Path, jobs: int, labour: int, parts: int) -> None:
    """READY jobs J0..J{n-1} written in bulk: `labour` done labour lines, `parts` part lines with issues."""
    db = Database.from_config(load_config(cfg_path))
    upgrade(db.engine)
    now = clock.now()
    with db.writing() as s:
        s.add(User(badge="ADV1", name="Bench Advisor", role="advisor"))
        loc = Location(code="A-01-01", name="Shelf", zone="A")
        op = LabourOperation(code="DIAG", name="Diagnosis", name_zh="诊断", hours=Decimal("0.5"))
        s.add_all([loc, op])
        part_rows = [
            Part(part_no=f"P{i:03d}", name=f"Part {i}", unit_cost=Decimal("5.50"), sell_price=Decimal("9.90"))
            for i in range(max(parts, 1))
        ]
        s.add_all(part_rows)
        s.flush()
        s.execute(
            insert(WorkOrder),
            [
                {
                    "number": f"J{j}",
                    "vehicle": "bench",
                    "status": "ready",
                    "status_since": now,
                    "created_at": now,
                    "qc_passed_at": now - timedelta(minutes=5),
                }
                for j in range(jobs)
            ],
        )
        ids: dict[str, int] = {n: i for n, i in s.execute(select(WorkOrder.number, WorkOrder.id))}
        lines: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        for j in range(jobs):
            wo = ids[f"J{j}"]
            for _ in range(labour):
                lines.append(
                    {
                        "work_order_id": wo,
                        "kind": "labour",
                        "operation_id": op.id,
                        "part_id": None,
                        "qty": 1,
                        "hours": Decimal("0.50"),
                        "unit_price": Decimal("380"),
                        "price": Decimal("190.00"),
                        "pay": "customer",
                        "status": "done",
                        "created_at": now,
                    }
                )
            for k in range(parts):
                part = part_rows[k]
                lines.append(
                    {
                        "work_order_id": wo,
                        "kind": "part",
                        "operation_id": None,
                        "part_id": part.id,
                        "qty": 2,
                        "hours": None,
                        "unit_price": Decimal("9.90"),
                        "price": Decimal("19.80"),
                        "pay": "customer",
                        "status": "authorized",
                        "created_at": now,
                    }
                )
                moves.append(
                    {
                        "part_id": part.id,
                        "location_id": loc.id,
                        "qty": -2,
                        "reason": "issue",
                        "work_order_id": wo,
                        "unit_cost": Decimal("5.50"),
                        "at": now,
                    }
                )
        if lines:
            s.execute(insert(RepairLine), lines)
        if moves:
            s.execute(insert(StockMove), moves)
    db.dispose()


def _invoice(conn: http.client.HTTPConnection, number: str) -> tuple[int, dict[str, Any]]:
    conn.request(
        "POST", f"/api/workorders/{number}/invoice", json.dumps({"badge": "ADV1"}), {"Content-Type": "application/json"}
    )
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def invoice_latency(jobs: int) -> dict[str, Any]:
    """Invoice `jobs` 40-line jobs one after another through `floor serve` on SQLite; ms per invoice."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = _config(Path(tmp), f"sqlite:///{Path(tmp) / 'floor.db'}")
        _build(cfg, jobs + 3, LABOUR_LINES, PART_LINES)
        server = _Server(cfg)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            times, lines = [], 0
            for j in range(jobs + 3):
                started = time.perf_counter()
                status, body = _invoice(conn, f"J{j}")
                elapsed = (time.perf_counter() - started) * 1000
                if status != 201:
                    raise RuntimeError(f"invoice refused: {status} {body}")
                if j >= 3:  # the first few warm the server's caches
                    times.append(elapsed)
                    lines = len(body["lines"])
            conn.close()
        finally:
            server.stop()
    times.sort()
    return {
        "invoice_ms": round(statistics.median(times), 2),
        "invoice_ms_p95": round(times[int(0.95 * (len(times) - 1))], 2),
        "invoice_ms_lines": lines,
        "invoice_ms_jobs": len(times),
        "invoice_ms_target": TARGET_MS,
    }


def number_race(jobs: int) -> dict[str, Any]:
    """8 clients invoice `jobs` one-line jobs through two `floor serve` processes on one PostgreSQL."""
    name = f"floor_bench_billing_{os.getpid()}"
    url = _pg_database(name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = _config(Path(tmp), url)
            _build(cfg, jobs, 1, 0)
            servers = [_Server(cfg), _Server(cfg)]
            made: list[str] = []
            lock = threading.Lock()
            todo = iter(range(jobs))

            def client(k: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", servers[k % 2].port, timeout=30)
                while True:
                    with lock:
                        j = next(todo, None)
                    if j is None:
                        break
                    status, body = _invoice(conn, f"J{j}")
                    if status == 201:
                        with lock:
                            made.append(body["number"])
                conn.close()

            try:
                threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
                started = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.perf_counter() - started
            finally:
                for server in servers:
                    server.stop()
            db = Database(url)
            with db.reading() as s:
                seqs = sorted(s.scalars(select(Invoice.seq)))
                per_job = len(set(s.scalars(select(Invoice.work_order_id))))
            db.dispose()
    finally:
        _pg_drop(name)
    gapless = seqs == list(range(1, jobs + 1)) and per_job == jobs and len(set(made)) == len(made) == jobs
    return {
        "invoice_numbers_per_s": round(len(made) / elapsed, 1),
        "invoice_numbers_gapless": gapless,
        "invoice_numbers_clients": CLIENTS,
        "invoice_numbers_servers": 2,
        "invoice_numbers_invoices": len(made),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Both figures (PostgreSQL missing: the race figure says so)."""
    figures = invoice_latency(10 if quick else 40)
    try:
        figures.update(number_race(80 if quick else 400))
    except Exception as exc:  # no PostgreSQL here: say so instead of a number
        figures["invoice_numbers_per_s"] = f"unavailable: {exc}"[:300]
    return figures
