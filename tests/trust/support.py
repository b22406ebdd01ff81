"""Helpers of the trust tests: real server processes, a workshop to load, and the books to check.

`check_books` is the heart of it: whatever happened (crashes, races, random scans),
the ledger, the stock levels, the jobs' issued quantities and the cores must agree.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from floor.core import queries
from floor.core.master import Importer
from floor.db import Database

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(
    folder: Path,
    url: str,
    stations: list[str],
    devices: list[dict[str, str]] | None = None,
    tokens: list[str] | None = None,
    require_badge: bool = True,
) -> Path:
    """A floor.toml with counter stations (default bin A-01-01) and optional serial scanners."""
    lines = [f'[database]\nurl = "{url}"\nsqlite_synchronous = "FULL"\n']
    if tokens is not None:
        lines.append("[api]\ntokens = [" + ", ".join(json.dumps(t) for t in tokens) + "]\n")
    for name in stations:
        lines.append(
            f'[[stations]]\nname = "{name}"\nkind = "counter"\ndefault_location = "A-01-01"\n'
            f"require_badge = {'true' if require_badge else 'false'}\n"
        )
    for dev in devices or []:
        lines.append("[[devices]]\n" + "".join(f'{k} = "{v}"\n' for k, v in dev.items()))
    path = folder / "floor.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def load_workshop(
    db: Database,
    parts: dict[str, int],
    jobs: int,
    core_parts: tuple[str, ...] = (),
    badges: tuple[str, ...] = ("T1", "T2"),
    supervisor: str | None = "SUP1",
) -> None:
    """Bins A-01-01 and B-01-01, the given parts with their opening stock in A-01-01, jobs W0..W{n-1}."""
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01-01", "zone": "A"})
        imp.apply("locations", {"code": "B-01-01", "zone": "B"})
        for badge in badges:
            imp.apply("users", {"badge": badge, "name": f"Tech {badge}", "role": "technician"})
        if supervisor:
            imp.apply("users", {"badge": supervisor, "name": "Supervisor", "role": "supervisor"})
        for part_no in parts:
            imp.apply(
                "parts",
                {
                    "part_no": part_no,
                    "name": f"Part {part_no}",
                    "unit_cost": "2.50",
                    "core": "yes" if part_no in core_parts else "no",
                },
            )
        for i in range(jobs):
            imp.apply("workorders", {"number": f"W{i}", "vehicle": f"car {i}"})
        for part_no, qty in parts.items():
            if qty:
                imp.apply("stock", {"part_no": part_no, "location": "A-01-01", "qty": str(qty)})
        imp.finish()


def stock_levels(db: Database) -> dict[tuple[str, str], int]:
    """On-hand per (part_no, bin) from stock_levels."""
    with db.reading() as s:
        rows = s.execute(
            text(
                "SELECT p.part_no, l.code, sl.qty FROM stock_levels sl "
                "JOIN parts p ON p.id = sl.part_id JOIN locations l ON l.id = sl.location_id"
            )
        )
        return {(p, loc): int(q) for p, loc, q in rows}


def snapshot(db: Database) -> dict[str, Any]:
    """Everything a rejected input must leave as it was: levels, ledger, events' effects, master data, sessions."""
    with db.reading() as s:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in s.execute(text(sql))]

        return {
            "levels": rows(
                "SELECT part_id, location_id, qty FROM stock_levels WHERE qty <> 0 ORDER BY part_id, location_id"
            ),
            "moves": rows("SELECT count(*), coalesce(sum(qty), 0) FROM stock_moves"),
            "accepted_events": rows("SELECT count(*) FROM scan_events WHERE ok"),
            "parts": rows("SELECT part_no, name, unit_cost FROM parts ORDER BY part_no"),
            "locations": rows("SELECT code FROM locations ORDER BY code"),
            "users": rows("SELECT badge, role FROM users ORDER BY badge"),
            "workorders": rows("SELECT number, status FROM work_orders ORDER BY number"),
            "cores": rows("SELECT serial, status FROM cores ORDER BY serial"),
            # A station's first scan creates its (empty) session row: empty and absent are the same session.
            "sessions": [
                r
                for r in rows(
                    "SELECT station, actor_id, mode, work_order_id, location_id, pending_qty "
                    "FROM station_sessions ORDER BY station"
                )
                if any(v is not None for v in r[1:])
            ],
        }


def check_books(db: Database) -> dict[str, Any]:
    """Assert the books agree; return totals for the caller's own checks.

    - stock_levels == sum of stock_moves per (part, bin), and no bin negative unless the part allows it;
    - each job's issued quantities (the API's view) == minus the sum of its moves per part;
    - every issue of a core part made one core per unit; cores of undone issues are waived.
    """
    with db.reading() as s:
        ledger = {
            (p, loc): int(q)
            for p, loc, q in s.execute(
                text("SELECT part_id, location_id, sum(qty) FROM stock_moves GROUP BY part_id, location_id")
            )
        }
        levels = {
            (p, loc): int(q) for p, loc, q in s.execute(text("SELECT part_id, location_id, qty FROM stock_levels"))
        }
        for key in set(ledger) | set(levels):
            assert ledger.get(key, 0) == levels.get(key, 0), (
                f"(part, bin) {key}: ledger {ledger.get(key)} != level {levels.get(key)}"
            )
        negative = list(
            s.execute(
                text(
                    "SELECT sl.part_id, sl.location_id, sl.qty FROM stock_levels sl "
                    "JOIN parts p ON p.id = sl.part_id WHERE sl.qty < 0 AND NOT p.allow_negative"
                )
            )
        )
        assert not negative, f"negative stock: {negative}"
        wo_moves: dict[str, dict[str, int]] = defaultdict(dict)
        for number, part_no, total in s.execute(
            text(
                "SELECT w.number, p.part_no, -sum(m.qty) FROM stock_moves m JOIN work_orders w "
                "ON w.id = m.work_order_id JOIN parts p ON p.id = m.part_id GROUP BY w.number, p.part_no"
            )
        ):
            if int(total):
                wo_moves[number][part_no] = int(total)
        for (number,) in s.execute(text("SELECT number FROM work_orders")):
            summary = queries.workorder_summary(s, number)
            assert summary is not None
            assert summary["issued"] == wo_moves.get(number, {}), (
                f"job {number}: {summary['issued']} != ledger {wo_moves.get(number)}"
            )
        issued_units = {
            (w, p): int(q)
            for w, p, q in s.execute(
                text(
                    "SELECT m.work_order_id, m.part_id, -sum(m.qty) FROM stock_moves m JOIN parts p ON p.id = m.part_id "
                    "WHERE m.reason = 'issue' AND p.is_core GROUP BY m.work_order_id, m.part_id"
                )
            )
        }
        undone_units = {
            (w, p): int(q)
            for w, p, q in s.execute(
                text(
                    "SELECT m.work_order_id, m.part_id, sum(m.qty) FROM stock_moves m JOIN parts p ON p.id = m.part_id "
                    "JOIN stock_moves o ON o.id = m.reverses_id "
                    "WHERE m.reason = 'undo' AND o.reason = 'issue' AND p.is_core GROUP BY m.work_order_id, m.part_id"
                )
            )
        }
        cores = {
            (w, p): int(n)
            for w, p, n in s.execute(
                text("SELECT work_order_id, part_id, count(*) FROM cores GROUP BY work_order_id, part_id")
            )
        }
        waived_undo = {
            (w, p): int(n)
            for w, p, n in s.execute(
                text(
                    "SELECT work_order_id, part_id, count(*) FROM cores WHERE status = 'waived' AND note = 'issue undone' "
                    "GROUP BY work_order_id, part_id"
                )
            )
        }
        for key in set(issued_units) | set(cores):
            assert cores.get(key, 0) == issued_units.get(key, 0), (
                f"cores of (job, part) {key}: {cores.get(key)} for {issued_units.get(key)} issued"
            )
            assert waived_undo.get(key, 0) == undone_units.get(key, 0), f"cores of undone issues {key}"
        dup = list(
            s.execute(
                text(
                    "SELECT device, seq, count(*) FROM scan_events WHERE seq IS NOT NULL "
                    "GROUP BY device, seq HAVING count(*) > 1"
                )
            )
        )
        assert not dup, f"a device+seq applied twice: {dup}"
        return {
            "moves": sum(ledger.values()),
            "levels": sum(levels.values()),
            "cores": sum(cores.values()),
            "events": int(s.scalar(text("SELECT count(*) FROM scan_events"))),
        }


class Server:
    """`floor serve` or gunicorn in a subprocess, whose log goes to a file (a full pipe would stall it)."""

    def __init__(
        self, cfg_path: Path, workers: int = 0, port: int | None = None, threads: int = 4, asgi: bool = False
    ) -> None:
        """`workers` > 0 runs gunicorn: gthread workers on floor.wsgi, or with `asgi` uvicorn workers on floor.asgi."""
        self.cfg_path, self.workers, self.threads, self.asgi = cfg_path, workers, threads, asgi
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="floor-server-", suffix=".log", delete=False)

    def start(self, timeout: float = 30.0) -> float:
        """Start the server and wait for its first 200; return the seconds that took."""
        env = {**os.environ, "FLOOR_CONFIG": str(self.cfg_path), "PYTHONPATH": str(ROOT)}
        if self.workers:
            cmd = [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(self.workers),
                "-k",
                "uvicorn_worker.UvicornWorker" if self.asgi else "gthread",
                "--threads",
                str(self.threads),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "floor.asgi:app" if self.asgi else "floor.wsgi:app",
            ]
        else:
            cmd = [
                sys.executable,
                "-m",
                "floor.cli.main",
                "serve",
                "--config",
                str(self.cfg_path),
                "--port",
                str(self.port),
            ]
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=str(self.cfg_path.parent),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return time.perf_counter() - started
            if self.proc.poll() is not None:
                raise RuntimeError(f"server died on start:\n{self.log_text()[-3000:]}")
            time.sleep(0.02)
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.log_text()[-3000:]}")

    def ready(self) -> bool:
        """True when the server answers 200."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/api/parts/__probe__")
            return conn.getresponse().status in (200, 404)
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def kill(self) -> None:
        """SIGKILL the server (its whole process group: gunicorn workers too) and reap it."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """Terminate the server politely, then for good."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        """What the server wrote to stderr so far."""
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def close(self) -> None:
        """Stop and remove the log file."""
        self.stop()
        self.log.close()
        os.unlink(self.log.name)


def post_json(
    port: int, path: str, body: Any, headers: dict[str, str] | None = None, timeout: float = 30.0
) -> tuple[int, Any]:
    """POST a JSON body; return (status, decoded JSON or raw text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    try:
        return resp.status, json.loads(data)
    except ValueError:
        return resp.status, data.decode(errors="replace")


def new_pg_database(admin_url: str, name: str) -> str:
    """Create (or re-create) an empty PostgreSQL database; return its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(admin_url: str, name: str) -> None:
    """Drop a PostgreSQL database made by `new_pg_database`."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
