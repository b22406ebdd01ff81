"""Trust figures: PostgreSQL ingest with 8 gunicorn workers, recovery after SIGKILL, scan-parser fuzz.

- `postgres_ingest_scans_per_s_8_workers`: scans/s through `POST /api/scans` with 8 gunicorn
  workers and 8 stations on PostgreSQL, with the final stock checked exactly (bench_core helpers).
- `crash_recovery_s`: `floor serve` on a SQLite database holding 1,000,000 ledger rows is
  SIGKILLed while scans flow; the figure is restart until the first 200 answer.
- `parser_fuzz_*`: millions of random and mutated inputs through decode + parse; any
  exception other than a CodeError is a crash (must be 0).
"""

from __future__ import annotations

import http.client
import json
import random
import sqlite3
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from floor.bench.bench_core import PARTS, _bench_pg, _load_data, _Server, _write_config
from floor.core.codes import COMMANDS, CodeError

LEDGER_ROWS = 1_000_000
TARGET_RECOVERY_S = 3.0
TARGET_PG_8 = 3000


# -- parser fuzz -------------------------------------------------------------------------------
_SEEDS = [
    "U:T001",
    "WO:1001",
    "L:A-01-01",
    "P:OF-100",
    "C:ALT-300-17-1",
    "CNT:12",
    "Q:5",
    "Q:9999",
    "]C1010703206980498810LOT7",
    "]d2010950110153000317261231\x1d21SER1",
    "\x1d0109501101530003",
    "(01)09501101530003(21)X",
    "4006381333931",
    "]E04006381333931",
    "07032069804988",
    "3034257BF7194E4000001A85",
] + [f"CMD:{c}" for c in COMMANDS]
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_()]\x1d \t\r\n\x00\x7f/.+%éü中"


def _mutants(rnd: random.Random, n: int) -> list[bytes]:
    """n inputs: random bytes, random text, and valid codes with bytes flipped, cut, doubled or spliced."""
    out: list[bytes] = []
    for _ in range(n):
        kind = rnd.random()
        if kind < 0.2:
            out.append(rnd.randbytes(rnd.randint(0, 40)))
        elif kind < 0.4:
            out.append("".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 30))).encode())
        else:
            data = bytearray(rnd.choice(_SEEDS).encode())
            for _ in range(rnd.randint(1, 4)):
                op = rnd.random()
                pos = rnd.randint(0, len(data))
                if op < 0.3 and data:
                    data[min(pos, len(data) - 1)] = rnd.randrange(256)
                elif op < 0.5:
                    data[pos:pos] = bytes([rnd.randrange(256)])
                elif op < 0.7:
                    del data[pos : pos + rnd.randint(1, 5)]
                elif op < 0.85:
                    data += rnd.choice(_SEEDS).encode()
                elif len(data) < 200:  # over-long input, bounded: mutations repeat
                    data = data * rnd.randint(2, 40)
            out.append(bytes(data))
    return out


def parser_fuzz(inputs: int, seed: int = 9) -> dict[str, Any]:
    """Decode and parse `inputs` random inputs the way the scan path does (`engine._parse`).

    `parser_fuzz_crashes` counts exceptions escaping that step (they would fail a whole batch);
    `parser_fuzz_contained` counts parser exceptions the engine's guard turned into an
    "unreadable" rejection: not crashes, but bugs for floor.core.codes to fix (see examples).
    """
    from floor.core.results import ScanInput
    from floor.core.scanning.engine import _parse
    from floor.core.scanning.engine import log as engine_log

    rnd = random.Random(seed)
    examples: list[str] = []
    parsed = rejected = contained = crashes = 0
    quiet = engine_log.disabled
    engine_log.disabled = True  # the guard logs each contained error with a trace
    started = time.perf_counter()
    done = 0
    try:
        while done < inputs:
            chunk = _mutants(rnd, min(50_000, inputs - done))
            for raw in chunk:
                try:
                    _, code = _parse(ScanInput(raw))
                except Exception as exc:
                    crashes += 1
                    if len(examples) < 5:
                        examples.append(f"crash {type(exc).__name__}: {exc} for {raw[:60]!r}")
                    continue
                if not isinstance(code, CodeError):
                    parsed += 1
                elif code.code == "unreadable":
                    contained += 1
                    if len(examples) < 5:
                        examples.append(f"contained {code.params.get('detail')} for {raw[:60]!r}")
                else:
                    rejected += 1
            done += len(chunk)
    finally:
        engine_log.disabled = quiet
    elapsed = time.perf_counter() - started
    return {
        "parser_fuzz_inputs": inputs,
        "parser_fuzz_crashes": crashes,
        "parser_fuzz_contained": contained,
        "parser_fuzz_parsed": parsed,
        "parser_fuzz_rejected": rejected,
        "parser_fuzz_inputs_per_s": round(inputs / elapsed),
        "parser_fuzz_examples": examples,
    }


# -- crash recovery ------------------------------------------------------------------------------
def _fill_ledger(db_path: Path, rows: int) -> None:
    """Add `rows` receive moves (and matching levels and events) straight through sqlite3, in one transaction."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    parts = [r[0] for r in conn.execute("SELECT id FROM parts ORDER BY id")]
    loc = conn.execute("SELECT id FROM locations ORDER BY id").fetchone()[0]
    at = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None).isoformat(sep=" ")
    first_move = (conn.execute("SELECT max(id) FROM stock_moves").fetchone()[0] or 0) + 1
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO stock_moves (id, part_id, location_id, qty, reason, ref, unit_cost, at) "
        "VALUES (?, ?, ?, 1, 'receive', 'bench', 1.25, ?)",
        ((first_move + i, parts[i % len(parts)], loc, at) for i in range(rows)),
    )
    added = {p: rows // len(parts) + (1 if i < rows % len(parts) else 0) for i, p in enumerate(parts)}
    conn.executemany(
        "UPDATE stock_levels SET qty = qty + ? WHERE part_id = ? AND location_id = ?",
        [(q, p, loc) for p, q in added.items()],
    )
    conn.execute("COMMIT")
    conn.close()


def _traffic(port: int, stop: threading.Event, sent: list[int]) -> None:
    """Post issue batches until told to stop or the server dies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    seq = 0
    try:
        conn.request(
            "POST",
            "/api/scans",
            json.dumps({"station": "counter-0", "device": "rec-setup", "scans": [{"data": "U:T1"}, {"data": "WO:W0"}]}),
            {"Content-Type": "application/json"},
        )
        conn.getresponse().read()
        while not stop.is_set():
            scans = [{"data": f"P:P{(seq + i) % PARTS:04d}", "seq": seq + i + 1} for i in range(50)]
            seq += 50
            conn.request(
                "POST",
                "/api/scans",
                json.dumps({"station": "counter-0", "device": "rec", "scans": scans}),
                {"Content-Type": "application/json"},
            )
            conn.getresponse().read()
            sent[0] += 1
    except OSError:
        pass  # the server was killed under us: that is the point
    finally:
        conn.close()


def crash_recovery(rows: int) -> dict[str, Any]:
    """SIGKILL `floor serve` mid-ingest on a database with `rows` ledger rows; time restart to first 200."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "recovery.db"
        cfg = _write_config(folder, f"sqlite:///{db_path}", 1, "FULL")
        _load_data(cfg)
        t0 = time.perf_counter()
        _fill_ledger(db_path, rows)
        fill_s = time.perf_counter() - t0
        server = _Server(cfg)
        stop, sent = threading.Event(), [0]
        sender = threading.Thread(target=_traffic, args=(server.port, stop, sent), daemon=True)
        sender.start()
        deadline = time.monotonic() + 10
        while sent[0] < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.proc.kill()  # SIGKILL, mid-batch
        server.proc.wait()
        stop.set()
        sender.join(5)
        server.log.close()
        t0 = time.perf_counter()
        restarted = _Server(cfg)
        recovery_s = time.perf_counter() - t0
        restarted.stop()
        conn = sqlite3.connect(db_path)
        moves = conn.execute("SELECT count(*), sum(qty) FROM stock_moves").fetchone()
        levels = conn.execute("SELECT sum(qty) FROM stock_levels").fetchone()[0]
        conn.close()
    return {
        "crash_recovery_s": round(recovery_s, 2),
        "crash_recovery_ledger_rows": int(moves[0]),
        "crash_recovery_books_agree": int(moves[1]) == int(levels),
        "crash_recovery_batches_before_kill": sent[0],
        "crash_recovery_fill_s": round(fill_s, 2),
        "crash_recovery_target_s": TARGET_RECOVERY_S,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """All trust figures (quick: smaller fuzz and ledger, shorter ingest)."""
    figures: dict[str, Any] = {}
    figures.update(parser_fuzz(100_000 if quick else 2_000_000))
    figures.update(crash_recovery(100_000 if quick else LEDGER_ROWS))
    try:
        figures.update(_bench_pg(quick, clients=8, workers=8, key="postgres_ingest_scans_per_s_8_workers"))
    except Exception as exc:  # no PostgreSQL here: say so instead of a number
        figures["postgres_ingest_scans_per_s_8_workers"] = f"unavailable: {exc}"[:300]
    figures["postgres_ingest_8_workers_target"] = TARGET_PG_8
    return figures
