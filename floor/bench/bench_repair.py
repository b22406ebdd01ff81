"""Repair-order benchmarks (SPEC 10.1-10.3), through `floor serve` (SQLite, synchronous FULL):

- `serial_scan_to_ack_ms_p99_one_job`: 20 pty scanners (hardware_sim), each at its own counter with its
  technician clocked onto the one labour line of ONE job, issue the same part to that job at 5 scans/s
  each; the job already holds 10,000 moves of that part (each recorded against the line). Target < 10 ms:
  a scan must not cost more as a job's history grows.
- `clock_scan_to_ack_ms_p99`: 20 technicians, each with a pty scanner at a counter, switch between two
  labour lines by their `OP:` barcodes (every scan clocks off one line and onto another). Target < 10 ms.
- `estimate_ms`: `GET /api/workorders/<n>/estimate` of a job of 40 lines, over HTTP (p50; p99 beside it).
  Target < 100 ms.
- `vehicle_lookup_ms_p99`: `GET /api/vehicles/<vin or plate>` with 100,000 vehicles registered, over HTTP.
  Target < 20 ms.
"""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from floor.bench.bench_core import _post, _Server, _write_config
from floor.bench.bench_devices import _drive_scanners, _p99

SCANNERS = 20
HISTORY = 10_000
VEHICLES = 100_000
ESTIMATE_LINES = 40
PART = "P0000"
PARTS = 20


def _shop(cfg_path: Path, jobs: int) -> Any:
    """A fresh database with a bin, parts in stock, technicians T0..T19, an advisor, jobs J0.., the catalogue."""
    from floor.config import load_config
    from floor.core.master import Importer
    from floor.core.repair.operations import save_operation
    from floor.db import Database
    from floor.db.migrate import upgrade
    from floor.demo.sample_data import OPERATIONS

    cfg = load_config(cfg_path)
    db = Database.from_config(cfg)
    upgrade(db.engine)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01-01", "zone": "A"})
        for i in range(SCANNERS):
            imp.apply("users", {"badge": f"T{i}", "name": f"Bench Tech {i}", "role": "technician"})
        imp.apply("users", {"badge": "ADV", "name": "Bench Advisor", "role": "advisor"})
        for i in range(PARTS):
            imp.apply("parts", {"part_no": f"P{i:04d}", "name": f"Part {i}", "unit_cost": "1.25"})
        for i in range(jobs):
            imp.apply("workorders", {"number": f"J{i}", "vehicle": "bench"})
        for i in range(PARTS):
            imp.apply("stock", {"part_no": f"P{i:04d}", "location": "A-01-01", "qty": "10000000"})
        imp.finish()
        for op in OPERATIONS:
            save_operation(s, op)
    return cfg, db


def _lines(db: Any, number: str, rows: list[dict[str, Any]]) -> list[int]:
    """Add lines to a job as the advisor and take the customer's yes to all of them; their ids."""
    from sqlalchemy import select

    from floor import clock
    from floor.application import repair
    from floor.core.repair.settings import BillingSettings
    from floor.models import User

    site = repair.RepairSite(billing=BillingSettings(Decimal("380.00"), Decimal("13")))
    with db.writing() as s:
        advisor = s.scalar(select(User).where(User.badge == "ADV"))
        at = clock.now()
        ids = [repair.add_line(s, number, row, advisor, "U:ADV", at, site)["id"] for row in rows]
        repair.authorize(s, number, ids, [], "in_person", advisor, "U:ADV", at, site)
    return ids


def _scan(service: Any, station: str, texts: list[str]) -> None:
    from floor.core.results import ScanInput

    results = service.submit(station, f"setup-{station}-{time.monotonic_ns()}", [ScanInput(t.encode()) for t in texts])
    refused = [r for r in results if not r.ok]
    if refused:
        raise RuntimeError(f"bench setup scan refused: {refused[0].code} {refused[0].message}")


def _vehicles(db: Any, count: int) -> list[tuple[str, str]]:
    """Register `count` vehicles in bulk (valid VINs, unique plates); some of their (vin, plate) pairs."""
    import random

    from sqlalchemy import insert

    from floor import clock
    from floor.core import vin as vins
    from floor.models import Vehicle

    rng = random.Random(17)
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    now = clock.now()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(rows) < count:
        body = "LSV" + "".join(rng.choices(chars, k=14))
        key = body[:8] + vins.check_digit(body) + body[9:]
        if key in seen:
            continue
        seen.add(key)
        n = len(rows)
        rows.append(
            {"vin": key, "plate": f"沪B{n:06d}", "make": "Bench", "model": "Car", "created_at": now, "updated_at": now}
        )
    with db.writing() as s:
        for i in range(0, count, 5000):
            s.execute(insert(Vehicle), rows[i : i + 5000])
    picks = rng.sample(rows, min(200, count))
    return [(r["vin"], r["plate"]) for r in picks]


def _http_ms(port: int, paths: list[str]) -> list[float]:
    """ms per GET, one connection, each answer read whole (must be 200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    try:
        for path in paths:
            t0 = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            out.append((time.perf_counter() - t0) * 1000)
            if resp.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {resp.status}")
    finally:
        conn.close()
    return out


def _serve_and_drive(
    text: Callable[[int, int], str],
    seconds: float,
    setup: Callable[[Path, list[dict[str, str]]], Any],
    after: Callable[[int, Any], dict[str, Any]] | None = None,
) -> tuple[list[float], dict[str, Any]]:
    """Simulated scanners on ptys (their own process), `floor serve` reading them; ACK latencies and `after`'s figures.

    `setup(cfg_path, devices)` writes the config and the data before the server starts (it returns what `after` needs).
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_drive_scanners, args=(child, SCANNERS, 5.0, seconds, text), daemon=True)
    proc.start()
    paths: list[str] = parent.recv()
    server = None
    extra: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            devices = [{"name": f"scanner-{i}", "station": f"counter-{i}", "url": p} for i, p in enumerate(paths)]
            cfg_path = _write_config(Path(tmp), f"sqlite:///{Path(tmp) / 'bench.db'}", SCANNERS, "FULL", devices)
            state = setup(cfg_path, devices)
            server = _Server(cfg_path)
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            for i in range(SCANNERS):  # the badge (and job) stay in session at each counter
                body = {"station": f"counter-{i}", "device": f"bench-setup-{i}", "scans": state["session"](i)}
                if not all(r["ok"] for r in _post(conn, body)):
                    raise RuntimeError("bench setup scans were refused")
            conn.close()
            parent.send("go")
            if not parent.poll(seconds + 60):
                raise RuntimeError("the simulated scanners did not finish")
            latencies: list[float] = parent.recv()
            if after is not None:
                extra = after(server.port, state)
    finally:
        if server is not None:
            server.stop()
        parent.send("done")
        proc.join(10)
    return latencies, extra


def one_job(seconds: float, vehicles: int) -> dict[str, Any]:
    """20 scanners issuing one part to one job holding 10,000 moves; then the vehicle look-ups on that server."""

    def setup(cfg_path: Path, _devices: list[dict[str, str]]) -> dict[str, Any]:
        from floor.application.scan_service import ScanService

        cfg, db = _shop(cfg_path, jobs=1)
        try:
            (line,) = _lines(db, "J0", [{"kind": "labour", "op": "BRK-FRT", "pay": "customer"}])
            service = ScanService(cfg, db)
            _scan(service, "counter-0", ["U:T0", "WO:J0", "CMD:START"])
            for i in range(SCANNERS):  # every technician on the job's line: each issue is recorded against it
                _scan(service, f"counter-{i}", [f"U:T{i}", "WO:J0", f"OP:{line}"])
            for _ in range(HISTORY // 500):  # the job's history: 10,000 issues of the part, against the line
                _scan(service, "counter-0", [f"P:{PART}"] * 500)
            picks = _vehicles(db, vehicles)
        finally:
            db.dispose()
        return {"session": lambda i: [{"data": f"U:T{i}"}, {"data": "WO:J0"}], "picks": picks}

    def after(port: int, state: dict[str, Any]) -> dict[str, Any]:
        picks = state["picks"]
        paths = [f"/api/vehicles/{quote(v if n % 2 else p)}" for n, (v, p) in enumerate(picks)]
        _http_ms(port, paths[:20])  # warm
        ms = _http_ms(port, paths)
        return {
            "vehicle_lookup_ms_p99": round(_p99(ms), 3),
            "vehicle_lookup_ms_p50": round(statistics.median(ms), 3),
            "vehicle_lookup_vehicles": vehicles,
        }

    latencies, extra = _serve_and_drive(lambda i, n: f"P:{PART}", seconds, setup, after)
    return {
        "serial_scan_to_ack_ms_p99_one_job": round(_p99(latencies), 3),
        "serial_scan_to_ack_ms_p50_one_job": round(statistics.median(latencies), 3),
        "serial_scan_to_ack_one_job_scans": len(latencies),
        "serial_scan_to_ack_one_job_history_moves": HISTORY,
        **extra,
    }


def clocking(seconds: float) -> dict[str, Any]:
    """20 technicians switching between two labour lines each by `OP:`; then the estimate of a 40-line job."""
    jobs = 4
    per_job = 2 * SCANNERS // jobs  # 10 labour lines per job, ids 1..40 in a fresh database
    ops = ["OIL-CHG", "BRK-FRT", "DIAG", "AC-SVC", "ALIGN", "SPARK"]

    def setup(cfg_path: Path, _devices: list[dict[str, str]]) -> dict[str, Any]:
        from floor.application.scan_service import ScanService

        cfg, db = _shop(cfg_path, jobs=jobs + 1)
        try:
            ids: list[int] = []
            for j in range(jobs):
                labour = [{"kind": "labour", "op": ops[k % len(ops)], "pay": "customer"} for k in range(per_job)]
                ids += _lines(db, f"J{j}", labour)
            if ids != list(range(1, 2 * SCANNERS + 1)):
                raise RuntimeError(f"bench lines are not 1..{2 * SCANNERS}: {ids[:5]}…")
            half = ESTIMATE_LINES // 2
            rows: list[dict[str, Any]] = [
                {"kind": "labour", "op": ops[k % len(ops)], "pay": ("customer", "warranty")[k % 2]} for k in range(half)
            ]
            rows += [
                {"kind": "part", "part_no": f"P{k % PARTS:04d}", "qty": 1, "pay": "customer", "unit_price": "9.90"}
                for k in range(ESTIMATE_LINES - half)
            ]
            _lines(db, f"J{jobs}", rows)
            service = ScanService(cfg, db)
            for j in range(jobs):
                _scan(service, "counter-0", ["U:T0", f"WO:J{j}", "CMD:START"])
        finally:
            db.dispose()
        return {"session": lambda i: [{"data": f"U:T{i}"}], "estimate": f"J{jobs}"}

    def after(port: int, state: dict[str, Any]) -> dict[str, Any]:
        path = f"/api/workorders/{state['estimate']}/estimate"
        _http_ms(port, [path] * 5)  # warm
        ms = _http_ms(port, [path] * 100)
        return {
            "estimate_ms": round(statistics.median(ms), 3),
            "estimate_ms_p99": round(_p99(ms), 3),
            "estimate_lines": ESTIMATE_LINES,
        }

    # Technician i switches between lines 2i+1 and 2i+2 (of job i // 5): every scan clocks off one and onto the other.
    latencies, extra = _serve_and_drive(lambda i, n: f"OP:{2 * i + 1 + n % 2}", seconds, setup, after)
    return {
        "clock_scan_to_ack_ms_p99": round(_p99(latencies), 3),
        "clock_scan_to_ack_ms_p50": round(statistics.median(latencies), 3),
        "clock_scan_to_ack_scans": len(latencies),
        **extra,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Every repair-order figure (quick: 3 s of scanning per run and 10,000 vehicles instead of 100,000)."""
    seconds = 3.0 if quick else 10.0
    figures: dict[str, Any] = {}
    figures.update(one_job(seconds, 10_000 if quick else VEHICLES))
    figures.update(clocking(seconds))
    targets: dict[str, Any] = {
        "serial_scan_to_ack_ms_p99_one_job_target": 10,
        "clock_scan_to_ack_ms_p99_target": 10,
        "estimate_ms_target": 100,
        "vehicle_lookup_ms_p99_target": 20,
        "repair_bench_server": "floor serve (sqlite, synchronous=FULL), 20 pty scanners at 5 scans/s each",
    }
    figures.update(targets)
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
