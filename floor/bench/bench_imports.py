"""Import figures: a 150,000-row parts CSV imported with `floor import` while scans flow through `floor serve`.

- `parts_import_150k_s`: the whole import (read, check, chunked writes, clean-up), as a storekeeper
  runs it, in its own process beside a running `floor serve` on SQLite (WAL, synchronous FULL).
- `scan_p99_ms_during_import` (target < 100): single-scan `POST /api/scans` batches posted one after
  another while the import runs, their 99th percentile answer time; `scan_5xx_during_import` counts
  answers other than 200 (must be 0). `scan_p99_ms_before_import` is the same load with no import.
- The same figures on PostgreSQL end in `_postgres`.
The CSV is generated here (no downloads): 150,000 rows, about 3.5 MB (under the 4 MB upload cap), every tenth
with a 12-digit barcode alias.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from floor.bench.bench_core import PARTS, _load_data, _pg_database, _pg_drop, _Server, _write_config

ROWS = 150_000
QUICK_ROWS = 20_000
TARGET_P99_MS = 100.0


def parts_csv(rows: int) -> bytes:
    """A dealer catalogue of `rows` new parts (short names, like a real price file)."""
    out = ["part_no,name,unit_cost,barcodes"]
    for i in range(rows):
        alias = f"29{i:010d}" if i % 10 == 0 else ""
        out.append(f"D{i:06d},P{i},{i % 97}.{i % 100:02d},{alias}")
    return ("\n".join(out) + "\n").encode()


class _Scanner(threading.Thread):
    """Posts one-scan batches back to back until stopped; keeps each answer's time and status."""

    def __init__(self, port: int, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.port, self.stop_at = port, threading.Event()
        self.times: list[float] = []
        self.bad: list[str] = []
        self.device = f"{name}-{time.monotonic_ns()}"

    def _post(self, conn: http.client.HTTPConnection, scans: list[dict[str, Any]], device: str) -> int:
        body = json.dumps({"station": "counter-0", "device": device, "scans": scans})
        conn.request("POST", "/api/scans", body, {"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            self.bad.append(f"HTTP {resp.status}: {data[:200]!r}")
        return resp.status

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        self._post(conn, [{"data": "U:T1"}, {"data": "WO:W0"}], self.device + "-setup")
        seq = 0
        while not self.stop_at.is_set():
            seq += 1
            started = time.perf_counter()
            self._post(conn, [{"data": f"P:P{seq % PARTS:04d}", "seq": seq}], self.device)
            self.times.append(time.perf_counter() - started)
            time.sleep(0.01)  # a busy counter: a scan every few hundredths of a second
        conn.close()


def _p99_ms(times: list[float]) -> float:
    if len(times) < 2:
        return round(1000 * max(times, default=0.0), 1)
    return round(1000 * statistics.quantiles(times, n=100)[98], 1)


def _measure(url: str, rows: int, data: bytes) -> dict[str, Any]:
    """Scans alone, then scans beside `floor import parts` of `data`, on the database at `url`."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _write_config(folder, url, 1)
        _load_data(cfg)
        csv_file = folder / "catalogue.csv"
        csv_file.write_bytes(data)
        server = _Server(cfg)
        try:
            idle = _Scanner(server.port, "idle")
            idle.start()
            time.sleep(3)
            idle.stop_at.set()
            idle.join()
            scanner = _Scanner(server.port, "during")
            scanner.start()
            time.sleep(0.5)
            cmd = [sys.executable, "-m", "floor.cli.main", "import", "parts", str(csv_file), "--config", str(cfg)]
            started = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
            took = time.perf_counter() - started
            scanner.stop_at.set()
            scanner.join()
        finally:
            server.stop()
    if done.returncode != 0:
        raise RuntimeError(f"floor import failed: {done.stderr[-1000:]}")
    p99 = _p99_ms(scanner.times)
    return {
        "import_s": round(took, 1),
        "p99": p99,
        "ok": p99 < TARGET_P99_MS,
        "max": round(1000 * max(scanner.times, default=0.0), 1),
        "scans": len(scanner.times),
        "5xx": sum(1 for b in scanner.bad if b.startswith("HTTP 5")),
        "errors": scanner.bad[:3],
        "before": _p99_ms(idle.times),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """The import and the scans beside it, on SQLite (the headline figures) and on PostgreSQL (`*_postgres`)."""
    rows = QUICK_ROWS if quick else ROWS
    data = parts_csv(rows)
    key = "parts_import_150k_s" if rows == ROWS else f"parts_import_{rows // 1000}k_s"
    figures: dict[str, Any] = {"parts_import_rows": rows, "parts_import_csv_mb": round(len(data) / 1e6, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        lite = _measure(f"sqlite:///{Path(tmp) / 'bench.db'}", rows, data)
    figures.update(_named(lite, key, ""))
    figures["scan_p99_ms_during_import_target"] = TARGET_P99_MS
    name = f"floor_bench_imports_{os.getpid()}"
    try:
        pg = _measure(_pg_database(name), rows, data)
        figures.update(_named(pg, key, "_postgres"))
    except Exception as exc:  # no PostgreSQL here: say so instead of a number
        figures["scan_p99_ms_during_import_postgres"] = f"unavailable: {exc}"[:300]
    finally:
        try:
            _pg_drop(name)
        except Exception:  # nothing to drop when there is no server
            pass
    return figures


def _named(m: dict[str, Any], key: str, suffix: str) -> dict[str, Any]:
    return {
        f"{key}{suffix}": m["import_s"],
        f"scan_p99_ms_during_import{suffix}": m["p99"],
        f"scan_p99_ms_during_import_ok{suffix}": m["ok"],
        f"scan_max_ms_during_import{suffix}": m["max"],
        f"scans_during_import{suffix}": m["scans"],
        f"scan_5xx_during_import{suffix}": m["5xx"],
        f"scan_errors_during_import{suffix}": m["errors"],
        f"scan_p99_ms_before_import{suffix}": m["before"],
    }
