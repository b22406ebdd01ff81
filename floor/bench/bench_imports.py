"""Import figures: a 150,000-row parts CSV imported with `floor import` while scans flow through `floor serve`.

- `parts_import_150k_s`: the whole import (read, check, chunked writes, clean-up), as a storekeeper
  runs it, in its own process beside a running `floor serve` on SQLite (WAL, synchronous FULL).
- `scan_p99_ms_during_import` (target < 100): single-scan `POST /api/scans` batches posted one after
  another while the import runs, their 99th percentile answer time; `scan_5xx_during_import` counts
  answers other than 200 (must be 0). `scan_p99_ms_before_import` is the same load with no import.
The CSV is generated here (no downloads): 150,000 rows, about 3.5 MB (under the 4 MB upload cap), every tenth
with a 12-digit barcode alias.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from floor.bench.bench_core import PARTS, _load_data, _Server, _write_config

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


def run(quick: bool = False) -> dict[str, Any]:
    """The import and the scans beside it, on SQLite."""
    rows = QUICK_ROWS if quick else ROWS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _write_config(folder, f"sqlite:///{folder / 'bench.db'}", 1)
        _load_data(cfg)
        csv_file = folder / "catalogue.csv"
        data = parts_csv(rows)
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
    key = "parts_import_150k_s" if rows == ROWS else f"parts_import_{rows // 1000}k_s"
    p99 = _p99_ms(scanner.times)
    return {
        key: round(took, 1),
        "parts_import_rows": rows,
        "parts_import_csv_mb": round(len(data) / 1e6, 2),
        "scan_p99_ms_during_import": p99,
        "scan_p99_ms_during_import_target": TARGET_P99_MS,
        "scan_p99_ms_during_import_ok": p99 < TARGET_P99_MS,
        "scan_max_ms_during_import": round(1000 * max(scanner.times, default=0.0), 1),
        "scans_during_import": len(scanner.times),
        "scan_5xx_during_import": sum(1 for b in scanner.bad if b.startswith("HTTP 5")),
        "scan_errors_during_import": scanner.bad[:3],
        "scan_p99_ms_before_import": _p99_ms(idle.times),
    }
