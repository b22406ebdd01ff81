"""Count benchmarks: approve and post a 20,000-line count; a 20,000-line variance report against 1,000,000 moves.

Both run on a generated SQLite database in a temporary folder. The ledger is
written with raw executemany (it is the fixture, not the figure): 20,000
(bin, part) pairs with 50 moves each over the past year, levels that match,
and one count whose lines were counted over the last day, each at its own
time, with moves after many of those times so "as of the moment counted"
matters. Every line is off by a unit or two, so approval posts 20,000
adjustments (the worst case).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from floor.core.authority import RoleTable
from floor.core.counts.approval import approve_count
from floor.core.counts.settings import CountSettings
from floor.core.counts.variance import variance_report, variance_rows
from floor.core.pins import hash_pin
from floor.db import Database
from floor.db.migrate import upgrade

LINES = 20_000
MOVES = 1_000_000
PARTS_PER_BIN = 5
FMT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite
BENCH_PIN = "2468"  # the bench supervisor's PIN (SPEC 10.6: approving a count needs it)


def _ts(moment: datetime) -> str:
    return moment.strftime(FMT)


def build(path: Path, lines: int = LINES, moves: int = MOVES, seed: int = 7) -> dict[str, Any]:
    """Generate the database: parts, bins, a supervisor, the ledger, levels, and one counted session."""
    db = Database(f"sqlite:///{path}", "OFF")
    upgrade(db.engine)
    db.dispose()
    rnd = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    year_ago = now - timedelta(days=365)
    count_start = now - timedelta(days=1)
    bins = lines // PARTS_PER_BIN
    parts = max(PARTS_PER_BIN, lines // 4)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    # Bulk loading is faster without the ledger's indexes; they are rebuilt (sorted) afterwards.
    index_sql = [
        sql
        for (sql,) in con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stock_moves' AND sql IS NOT NULL"
        )
    ]
    with con:
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stock_moves' AND sql IS NOT NULL"
        ).fetchall():
            con.execute(f'DROP INDEX "{name}"')
        con.executemany(
            "INSERT INTO parts (id, part_no, name, unit_cost, is_core, reorder_point, reorder_qty, "
            "allow_negative, active, created_at) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 1, ?)",
            [(i + 1, f"P{i:06d}", f"Part {i}", f"{1 + i % 97}.25", _ts(year_ago)) for i in range(parts)],
        )
        con.executemany(
            "INSERT INTO locations (id, code, name, zone, kind, active) VALUES (?, ?, '', ?, 'store', 1)",
            [(i + 1, f"B-{i:05d}", f"Z{i % 20:02d}") for i in range(bins)],
        )
        con.execute(
            "INSERT INTO users (id, badge, name, role, active, pin_hash, pin_failures)"
            " VALUES (1, 'SUP', 'Bench', 'supervisor', 1, ?, 0)",
            (hash_pin(BENCH_PIN),),
        )
        pairs = [((i % parts) + 1, (i // PARTS_PER_BIN) + 1) for i in range(lines)]
        per_pair = moves // lines
        span = (now - year_ago).total_seconds()
        levels: list[int] = []
        counted_at: list[datetime] = []
        move_rows: list[tuple[Any, ...]] = []
        mid = 0
        for part_id, loc_id in pairs:
            # 1 opening, then issues and receipts at random times over the year, never below zero.
            stamps = sorted(year_ago + timedelta(seconds=rnd.random() * span) for _ in range(per_pair - 1))
            when_counted = count_start + timedelta(seconds=rnd.random() * 86_000)
            qty_now = 200
            mid += 1
            move_rows.append((mid, part_id, loc_id, 200, "opening", None, "1.00", _ts(year_ago)))
            for at in stamps:
                q = rnd.choice((-3, -2, -1, -1, 1, 2, 4))
                qty_now += q
                mid += 1
                move_rows.append((mid, part_id, loc_id, q, "issue" if q < 0 else "receive", None, "1.00", _ts(at)))
            levels.append(qty_now)
            counted_at.append(when_counted)
            if len(move_rows) >= 200_000:
                _moves(con, move_rows)
                move_rows = []
        _moves(con, move_rows)
        con.executemany(
            "INSERT INTO stock_levels (part_id, location_id, qty) VALUES (?, ?, ?)",
            [(p, loc, q) for (p, loc), q in zip(pairs, levels)],
        )
        con.execute(
            "INSERT INTO count_sessions (id, kind, zone, blind, status, created_at, note) "
            "VALUES (1, 'full', NULL, 1, 'open', ?, 'bench')",
            (_ts(count_start - timedelta(minutes=1)),),
        )
        first: dict[int, datetime] = {}
        last: dict[int, datetime] = {}
        for (_p, loc), at in zip(pairs, counted_at):
            first[loc] = min(first.get(loc, at), at)
            last[loc] = max(last.get(loc, at), at)
        con.executemany(
            "INSERT INTO count_locations (count_id, location_id, counted_at, finished_at, pass_no, station) "
            "VALUES (1, ?, ?, ?, 1, 'bench')",
            [(loc, _ts(first[loc]), _ts(last[loc])) for loc in first],
        )
        # counted = anything plausible; the variance is whatever the ledger says as of each line's time
        con.executemany(
            "INSERT INTO count_lines (count_id, location_id, part_id, counted, counted_at, recount, pass_no) "
            "VALUES (1, ?, ?, ?, ?, 0, 1)",
            [
                (loc, p, max(0, lvl + rnd.choice((-2, -1, 1, 2, 3))), _ts(at))
                for (p, loc), lvl, at in zip(pairs, levels, counted_at)
            ],
        )
        for sql in index_sql:
            con.execute(sql)
        con.execute("ANALYZE")
    con.close()
    after = len([at for at in counted_at if at])  # every line has its own time
    return {"lines": lines, "moves": mid, "bins": bins, "parts": parts, "lines_with_own_time": after}


def _moves(con: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    con.executemany(
        "INSERT INTO stock_moves (id, part_id, location_id, qty, reason, ref, unit_cost, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _best(times: list[float]) -> float:
    return round(min(times), 3)


def run(lines: int = LINES, moves: int = MOVES, quick: bool = False, repeat: int = 3) -> dict[str, Any]:
    """Build the database, then time the variance report and the approval (best of `repeat`); seconds.

    `quick` builds a quarter of the ledger (the figures then say so in `counts_ledger_moves`).
    Each approval runs on its own copy of the database, so every run posts the full count.
    """
    if quick:
        moves, repeat = moves // 4, 1
    settings = CountSettings(recount_qty=10**9, recount_value=Decimal(10**12))
    with tempfile.TemporaryDirectory(prefix="floor-bench-counts-") as tmp:
        path = Path(tmp) / "counts.db"
        t0 = time.perf_counter()
        facts = build(path, lines, moves)
        build_s = time.perf_counter() - t0
        copies = []
        for i in range(repeat):
            copy = Path(tmp) / f"post-{i}.db"
            shutil.copy(path, copy)
            copies.append(copy)
        db = Database(f"sqlite:///{path}", "NORMAL")
        variance_s: list[float] = []
        try:
            with db.reading() as s:  # warm the page cache like a running server
                variance_rows(s, 1)
            for _ in range(repeat):
                t0 = time.perf_counter()
                with db.reading() as s:
                    report = variance_report(s, 1, settings)
                variance_s.append(time.perf_counter() - t0)
        finally:
            db.dispose()
        post_s: list[float] = []
        for copy in copies:
            db = Database(f"sqlite:///{copy}", "NORMAL")
            try:
                with db.reading() as s:
                    variance_rows(s, 1)
                t0 = time.perf_counter()
                with db.writing() as s:
                    result = approve_count(
                        s, 1, "SUP", settings, roles=RoleTable(), pin=BENCH_PIN
                    )  # a bench has no site: the defaults
                post_s.append(time.perf_counter() - t0)
            finally:
                db.dispose()
    return {
        "variance_20k_lines_vs_1m_moves_s": _best(variance_s),
        "count_post_20k_lines_s": _best(post_s),
        "counts_variance_lines": len(report["lines"]),
        "counts_adjustments_posted": result["adjustments"],
        "counts_ledger_moves": facts["moves"],
        "counts_build_db_s": round(build_s, 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
