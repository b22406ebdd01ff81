"""Scan ingest through `POST /api/scans`: batches on SQLite and PostgreSQL, single-scan latency.

The server is a running `floor serve` in its own process (as in production), so the
figures include HTTP, JSON, the scan engine, the commit and the whole runtime, and the
client does not steal the server's interpreter. The `_bare` figures beside them run the
same scans on a ScanService in the bench's own process: the difference is what serving costs.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("FLOOR_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# A host that drops packets must not hang the bench: give up on connecting after a few seconds.
PG_CONNECT = {"connect_timeout": 5}
PARTS = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_config(
    folder: Path, url: str, stations: int, sync: str = "FULL", devices: list[dict[str, str]] | None = None
) -> Path:
    lines = [f'[database]\nurl = "{url}"\nsqlite_synchronous = "{sync}"\n']
    for i in range(stations):
        lines.append(f'[[stations]]\nname = "counter-{i}"\nkind = "counter"\ndefault_location = "A-01-01"\n')
    for dev in devices or []:  # serial scanners `floor serve` reads (bench_devices)
        lines.append('[[devices]]\nkind = "serial-scanner"\n' + "".join(f'{k} = "{v}"\n' for k, v in dev.items()))
    path = folder / "floor.toml"
    path.write_text("\n".join(lines))
    return path


def _load_data(cfg_path: Path) -> None:
    from floor.config import load_config
    from floor.core.master import Importer
    from floor.db import Database
    from floor.db.migrate import upgrade

    cfg = load_config(cfg_path)
    db = Database.from_config(cfg)
    upgrade(db.engine)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01-01", "zone": "A"})
        imp.apply("users", {"badge": "T1", "name": "Bench Tech", "role": "technician"})
        for i in range(PARTS):
            imp.apply("parts", {"part_no": f"P{i:04d}", "name": f"Part {i}", "unit_cost": "1.25"})
        for i in range(8):
            imp.apply("workorders", {"number": f"W{i}", "vehicle": "bench"})
        for i in range(PARTS):
            imp.apply("stock", {"part_no": f"P{i:04d}", "location": "A-01-01", "qty": "10000000"})
        imp.finish()
    db.dispose()


class _Server:
    """`floor serve` or gunicorn in a subprocess."""

    def __init__(self, cfg_path: Path, workers: int = 0) -> None:
        self.port = _free_port()
        env = {**os.environ, "FLOOR_CONFIG": str(cfg_path)}
        if workers:
            cmd = [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "floor.wsgi:app",
            ]
        else:
            cmd = [sys.executable, "-m", "floor.cli.main", "serve", "--config", str(cfg_path), "--port", str(self.port)]
        # The server's log goes to a file: a pipe nobody reads would fill and stall the server.
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:  # ready when it answers HTTP, not merely when the port is bound
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/stations/none")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError("bench server died: " + self.log.read().decode(errors="replace")[-2000:])
                time.sleep(0.1)
        raise RuntimeError("bench server did not start in 30 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _post(conn: http.client.HTTPConnection, body: dict[str, Any]) -> list[dict[str, Any]]:
    conn.request("POST", "/api/scans", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}: {data[:300]!r}")
    return json.loads(data)["results"]


def _client(port: int, station: str, wo: str, batches: int, size: int, out: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seq = 0
    device = f"bench-{station}-{time.monotonic_ns()}"  # a new device per run: no seq is a duplicate
    _post(conn, {"station": station, "device": device + "-setup", "scans": [{"data": "U:T1"}, {"data": f"WO:{wo}"}]})
    accepted = 0
    for b in range(batches):
        scans = []
        for i in range(size):
            seq += 1
            scans.append({"data": f"P:P{(b * size + i) % PARTS:04d}", "seq": seq})
        results = _post(conn, {"station": station, "device": device, "scans": scans})
        accepted += sum(1 for r in results if r["ok"] and r["code"] == "issued")
    out.append(accepted)
    conn.close()


def _ingest(port: int, clients: int, batches: int, size: int = 100) -> tuple[float, int]:
    out: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(port, f"counter-{i}", f"W{i}", batches, size, out))
        for i in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return sum(out) / elapsed, sum(out)


def _single_latency(port: int, n: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _post(conn, {"station": "counter-0", "device": "lat-setup", "scans": [{"data": "U:T1"}, {"data": "WO:W0"}]})
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        res = _post(
            conn, {"station": "counter-0", "device": "lat", "scans": [{"data": f"P:P{i % PARTS:04d}", "seq": i + 1}]}
        )
        times.append((time.perf_counter() - t0) * 1000)
        assert res[0]["ok"], res
    conn.close()
    times.sort()
    return times[int(len(times) * 0.99) - 1]


def _bare_service(folder: Path, sync: str, batches: int, singles: int) -> tuple[float, float]:
    """The same work as `_ingest` (one client) and `_single_latency`, on a ScanService in this process:
    the figures `floor serve` is compared with (no HTTP, no JSON, no server runtime)."""
    from floor.application.scan_service import ScanService
    from floor.config import load_config
    from floor.core.results import ScanInput
    from floor.db import Database

    cfg_path = _write_config(folder, f"sqlite:///{folder / 'bare.db'}", 1, sync)
    _load_data(cfg_path)
    cfg = load_config(cfg_path)
    db = Database.from_config(cfg)
    try:
        service = ScanService(cfg, db)
        service.submit("counter-0", "bare-setup", [ScanInput(b"U:T1"), ScanInput(b"WO:W0")])
        accepted, seq = 0, 0
        started = time.perf_counter()
        for b in range(batches):
            scans = []
            for i in range(100):
                seq += 1
                scans.append(ScanInput(f"P:P{(b * 100 + i) % PARTS:04d}".encode(), seq))
            accepted += sum(1 for r in service.submit("counter-0", "bare", scans) if r.ok)
        rate = accepted / (time.perf_counter() - started)
        times = []
        for i in range(singles):
            t0 = time.perf_counter()
            service.submit("counter-0", "bare-single", [ScanInput(f"P:P{i % PARTS:04d}".encode(), i + 1)])
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        return rate, times[int(len(times) * 0.99) - 1]
    finally:
        db.dispose()


def _final_stock_exact(url: str, accepted: int) -> bool:
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT SUM(qty) FROM stock_levels")).scalar()
        moves = conn.execute(text("SELECT SUM(qty) FROM stock_moves")).scalar()
    engine.dispose()
    return total is not None and int(total) == PARTS * 10_000_000 - accepted and int(moves or 0) == int(total)


def _raw_sqlite_rate(folder: Path, sync: str, rows: int) -> float:
    """Rows/s of the same writes (event, move, level update) straight through sqlite3, 100 per commit."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={sync}")
    conn.execute(
        "CREATE TABLE ev (id INTEGER PRIMARY KEY, device TEXT, seq INT, raw BLOB, text TEXT, ok INT, "
        "code TEXT, message TEXT, message_zh TEXT, effects TEXT, received_at TEXT)"
    )
    conn.execute("CREATE UNIQUE INDEX ev_dev_seq ON ev(device, seq)")
    conn.execute(
        "CREATE TABLE mv (id INTEGER PRIMARY KEY, part INT, loc INT, qty INT, reason TEXT, at TEXT, cost TEXT)"
    )
    conn.execute("CREATE INDEX mv_pla ON mv(part, loc, at)")
    conn.execute("CREATE TABLE lv (part INT, loc INT, qty INT, PRIMARY KEY(part, loc))")
    conn.executemany("INSERT INTO lv VALUES (?, 1, 1000000)", [(i,) for i in range(PARTS)])
    started = time.perf_counter()
    for b in range(rows // 100):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO ev (device, seq, raw, text, ok, code, message, message_zh, effects, received_at)"
            " VALUES ('d', ?, x'50', 'P:P0001', 1, 'issued', 'Issued 1', '已领用', '{}', '2026')",
            [(b * 100 + i,) for i in range(100)],
        )
        conn.executemany(
            "INSERT INTO mv (part, loc, qty, reason, at, cost) VALUES (?, 1, -1, 'issue', '2026', '1.25')",
            [(i % PARTS,) for i in range(100)],
        )
        conn.executemany("UPDATE lv SET qty = qty - 1 WHERE part = ? AND loc = 1", [(i % PARTS,) for i in range(100)])
        conn.execute("COMMIT")
    rate = rows / (time.perf_counter() - started)
    conn.close()
    return rate


def _commit_ms_p50(folder: Path, sync: str, n: int = 200) -> float:
    """Median time of committing one small row: the floor under any single-scan latency."""
    conn = sqlite3.connect(folder / f"commit-{sync}.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={sync}")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (str(i),))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    times.sort()
    return times[len(times) // 2]


def _bench_sqlite(quick: bool, sync: str = "FULL") -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        cfg = _write_config(folder, url, 1, sync)
        _load_data(cfg)
        server = _Server(cfg)
        try:
            batches = 20 if quick else 150
            _, warm = _ingest(server.port, 1, 3)  # warm caches and the connection pool
            rate, accepted = _ingest(server.port, 1, batches)
            p99 = _single_latency(server.port, 200 if quick else 1000)
        finally:
            server.stop()
        exact = _final_stock_exact(url, warm + accepted + (200 if quick else 1000))
        bare_rate, bare_p99 = _bare_service(folder, sync, batches, 200 if quick else 1000)
        raw = _raw_sqlite_rate(folder, sync, 20_000 if not quick else 5_000)
        commit_ms = _commit_ms_p50(folder, sync)
    suffix = "" if sync == "FULL" else f"_{sync.lower()}"
    return {
        f"api_ingest_scans_per_s{suffix}": round(rate),
        f"api_ingest_final_stock_exact{suffix}": exact,
        f"api_ingest_scans_per_s{suffix}_bare": round(bare_rate),
        f"single_scan_ms_p99{suffix}": round(p99, 2),
        f"single_scan_ms_p99{suffix}_bare": round(bare_p99, 2),
        f"sqlite_raw_write_rows_per_s{suffix}": round(raw),
        f"api_ingest_vs_raw_sqlite_ratio{suffix}": round(rate / raw, 3),
        f"sqlite_commit_ms_p50{suffix}": round(commit_ms, 3),
    }


def _pg_database(name: str) -> str:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args=PG_CONNECT)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _pg_drop(name: str) -> None:
    """Drop a database `_pg_database` made (closing what still holds it): the server is shared."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args=PG_CONNECT)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _bench_pg(quick: bool, clients: int, workers: int, key: str) -> dict[str, Any]:
    name = f"floor_bench_{os.getpid()}"
    url = _pg_database(name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = _write_config(Path(tmp), url, clients)
            _load_data(cfg)
            server = _Server(cfg, workers=workers)
            try:
                _, warm = _ingest(server.port, clients, 2)
                rate, accepted = _ingest(server.port, clients, 10 if quick else 60)
            finally:
                server.stop()
        exact = _final_stock_exact(url, warm + accepted)
    finally:
        _pg_drop(name)  # the server is shared: leave no bench database behind
    return {
        key: round(rate),
        f"{key}_final_stock_exact": exact,
        f"{key}_clients": clients,
        f"{key}_server_workers": workers,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """All core ingest figures: SQLite at FULL (the default) and NORMAL, PostgreSQL with 4 clients."""
    figures = _bench_sqlite(quick, "FULL")
    figures["api_ingest_sqlite_synchronous"] = "FULL"
    figures["api_ingest_sqlite_synchronous_why"] = (
        "FULL fsyncs the WAL at every commit, so an acknowledged scan survives a power cut; "
        "the *_normal figures use NORMAL, which survives a crash or SIGKILL of floor but not of the OS"
    )
    figures.update(_bench_sqlite(quick, "NORMAL"))
    try:
        figures.update(_bench_pg(quick, clients=4, workers=4, key="api_ingest_scans_per_s_postgres"))
    except Exception as exc:  # no PostgreSQL here: say so instead of a number
        figures["api_ingest_scans_per_s_postgres"] = f"unavailable: {exc}"[:300]
    figures["single_scan_p99_target_ms"] = 5
    return figures
