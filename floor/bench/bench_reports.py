"""Report benchmarks: the KPIs of 12 months and the dead-stock report over 1,000,000 ledger moves.

The generated SQLite database (a temporary folder) has 50,000 parts in 10,000 bins (about 60,000
stocked (part, bin) pairs), 1,000,000 moves over the last 13 months (openings, receipts, issues
to jobs and their returns, adjustments, and 20,000 sale lines), 24 approved counts with frozen
lines, 5,000 cores and 2,000 customer returns. About a tenth of the parts are never issued, so
the dead-stock report has real work; one in 25 starts with 2 units, so the stock-outs have some. The ledger is written with raw executemany (it is the
fixture, not the figure), without its indexes, which are rebuilt afterwards, and the report
summaries the Ledger keeps are then filled from it (`ledger_summary.rebuild`).
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from floor import clock
from floor.core import ledger_summary
from floor.core.reports.deadstock import dead_stock
from floor.core.reports.kpis import kpis
from floor.core.reports.period import Period
from floor.db import Database
from floor.db.migrate import upgrade

PARTS = 50_000
BINS = 10_000
MOVES = 1_000_000
SALES = 20_000
FMT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


def _ts(moment: datetime) -> str:
    return moment.strftime(FMT)


def build(path: Path, moves: int = MOVES, parts: int = PARTS, sales: int = SALES, seed: int = 11) -> dict[str, Any]:
    """Generate the database; returns what it holds."""
    db = Database(f"sqlite:///{path}", "OFF")
    upgrade(db.engine)
    db.dispose()
    rnd = random.Random(seed)
    now = clock.now().replace(tzinfo=None)
    start = now - timedelta(days=396)
    span = (now - start).total_seconds()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
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
            "INSERT INTO parts (id, part_no, name, unit_cost, is_core, reorder_point, reorder_qty, allow_negative,"
            " active, created_at, abc, supplier) VALUES (?, ?, ?, ?, 0, ?, 0, 0, 1, ?, ?, ?)",
            [
                (
                    i + 1,
                    f"P{i:06d}",
                    f"Part {i}",
                    f"{1 + i % 97}.25",
                    2 if i % 5 == 0 else 0,
                    _ts(start),
                    "ABC"[min(2, i % 10 // 3)],
                    f"SUP{i % 40:02d}" if i % 3 else None,
                )
                for i in range(parts)
            ],
        )
        con.executemany(
            "INSERT INTO locations (id, code, name, zone, kind, active) VALUES (?, ?, '', ?, 'store', 1)",
            [(i + 1, f"B-{i:05d}", f"Z{i % 20:02d}") for i in range(BINS)],
        )
        con.execute(
            "INSERT INTO locations (id, code, name, zone, kind, active) VALUES (?, 'SCRAP', '', 'X', 'scrap', 1)",
            (BINS + 1,),
        )
        con.execute("INSERT INTO users (id, badge, name, role, active) VALUES (1, 'SUP', 'Bench', 'supervisor', 1)")
        con.executemany(
            "INSERT INTO work_orders (id, number, vehicle, customer, status, status_since, created_at)"
            " VALUES (?, ?, '', '', 'in_progress', ?, ?)",
            [(i + 1, f"WO{i:05d}", _ts(start), _ts(start)) for i in range(1000)],
        )
        pairs = [(p + 1, p % BINS + 1) for p in range(parts)] + [
            (p + 1, (p * 7 + 3) % BINS + 1) for p in range(0, parts, 5)
        ]
        per_pair = max(2, -(-(moves - sales) // len(pairs)))  # rounded up: at least `moves` in all
        levels: dict[tuple[int, int], int] = {}
        rows: list[tuple[Any, ...]] = []
        mid = 0
        sold = 0
        for part_id, loc in pairs:
            dead = part_id % 10 == 0  # never issued: only receipts
            qty = 2 if part_id % 25 == 3 else 50  # a few parts kept short: they run out now and then
            mid += 1
            rows.append((mid, part_id, loc, qty, "opening", None, None, "1.00", _ts(start)))
            for at in sorted(start + timedelta(seconds=rnd.random() * span) for _ in range(per_pair - 1)):
                r = rnd.random()
                if dead or r < 0.3:
                    q, reason, wo = rnd.choice((1, 2, 5)), "receive", None
                elif r < 0.34 and sold < sales:
                    q, reason, wo = -1, "sale", None
                    sold += 1
                elif r < 0.36:
                    q, reason, wo = 1, "return", rnd.randrange(1000) + 1
                elif r < 0.37:
                    q, reason, wo = rnd.choice((-1, 1)), "adjust", None
                else:
                    q, reason, wo = -rnd.choice((1, 1, 2, 3)), "issue", rnd.randrange(1000) + 1
                if qty + q < 0:
                    q, reason, wo = 2, "receive", None
                qty += q
                mid += 1
                rows.append((mid, part_id, loc, q, reason, wo, None, f"{1 + part_id % 97}.25", _ts(at)))
            levels[(part_id, loc)] = qty
            if len(rows) >= 200_000:
                _moves(con, rows)
                rows = []
        while sold < sales:  # top up the sale lines on busy parts
            part_id = rnd.randrange(parts) + 1
            if part_id % 10 == 0:
                continue
            loc = (part_id - 1) % BINS + 1
            mid += 1
            sold += 1
            levels[(part_id, loc)] += 1  # a receipt-and-sale pair keeps the level
            rows.append(
                (
                    mid,
                    part_id,
                    loc,
                    1,
                    "receive",
                    None,
                    None,
                    "1.00",
                    _ts(start + timedelta(seconds=rnd.random() * span)),
                )
            )
            mid += 1
            rows.append(
                (mid, part_id, loc, -1, "sale", None, None, "1.00", _ts(start + timedelta(seconds=rnd.random() * span)))
            )
            levels[(part_id, loc)] -= 1
        _moves(con, rows)
        con.executemany(
            "INSERT INTO stock_levels (part_id, location_id, qty) VALUES (?, ?, ?)",
            [(p, loc, q) for (p, loc), q in levels.items()],
        )
        _counts(con, rnd, now, list(levels.items()))
        con.executemany(
            "INSERT INTO cores (id, serial, work_order_id, part_id, status, created_at, returned_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    i + 1,
                    f"C{i}",
                    i % 1000 + 1,
                    i % parts + 1,
                    st,
                    _ts(made),
                    _ts(made + timedelta(days=i % 20)) if st == "returned" else None,
                )
                for i in range(5000)
                for made in [start + timedelta(seconds=rnd.random() * span)]
                for st in [("returned", "due", "waived")[i % 3]]
            ],
        )
        con.executemany(
            "INSERT INTO customer_returns (id, part_id, qty, reason, freight_payer, location_id, status, qty_restocked,"
            " qty_scrapped, qty_to_supplier, qty_shipped, created_at) VALUES (?, ?, 1, 'quality_defect', 'company', 1,"
            " 'closed', 1, 0, 0, 0, ?)",
            [(i + 1, i * 13 % parts + 1, _ts(start + timedelta(seconds=rnd.random() * span))) for i in range(2000)],
        )
        for sql in index_sql:
            con.execute(sql)
    con.close()
    # The moves went in around the Ledger: fill the report summaries it would have kept.
    db = Database(f"sqlite:///{path}", "OFF")
    with db.writing() as s:
        ledger_summary.rebuild(s)
    db.dispose()
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.close()
    return {"moves": mid, "parts": parts, "pairs": len(levels), "sales": sold}


def _counts(con: sqlite3.Connection, rnd: random.Random, now: datetime, levels: list[Any]) -> None:
    """24 approved counts of 500 lines each over the year, every tenth line off by one."""
    for c in range(24):
        when = now - timedelta(days=15 * c + 1)
        con.execute(
            "INSERT INTO count_sessions (id, kind, zone, blind, status, created_at, approved_at, note)"
            " VALUES (?, 'cycle', NULL, 1, 'approved', ?, ?, 'bench')",
            (c + 1, _ts(when - timedelta(hours=2)), _ts(when)),
        )
        sample = rnd.sample(levels, 500)
        con.executemany(
            "INSERT OR IGNORE INTO count_locations (count_id, location_id, counted_at, finished_at, pass_no)"
            " VALUES (?, ?, ?, ?, 1)",
            [(c + 1, loc, _ts(when), _ts(when)) for (_p, loc), _q in sample],
        )
        con.executemany(
            "INSERT INTO count_lines (count_id, location_id, part_id, counted, counted_at, recount, pass_no, expected,"
            " unit_cost, reason) VALUES (?, ?, ?, ?, ?, 0, 1, ?, '1.25', ?)",
            [
                (c + 1, loc, p, q + (1 if i % 10 == 0 else 0), _ts(when), q, "misplaced" if i % 10 == 0 else None)
                for i, ((p, loc), q) in enumerate(sample)
            ],
        )


def _moves(con: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    con.executemany(
        "INSERT INTO stock_moves (id, part_id, location_id, qty, reason, work_order_id, ref, unit_cost, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def run(quick: bool = False, repeat: int = 3) -> dict[str, Any]:
    """Build the database, then time the 12-month KPIs and the dead-stock report (best of `repeat`, ms; wall and CPU).

    `quick` builds a quarter of the ledger and parts (the figures then say so in `reports_ledger_moves`).
    """
    moves, parts, sales = (MOVES // 4, PARTS // 4, SALES // 4) if quick else (MOVES, PARTS, SALES)
    if quick:
        repeat = 1
    now = clock.now()
    period = Period((now - timedelta(days=365)).date(), now.date() - timedelta(days=1))
    with tempfile.TemporaryDirectory(prefix="floor-bench-reports-") as tmp:
        path = Path(tmp) / "reports.db"
        t0 = time.perf_counter()
        facts = build(path, moves, parts, sales)
        build_s = time.perf_counter() - t0
        db = Database(f"sqlite:///{path}", "NORMAL")
        kpi_ms: list[tuple[float, float]] = []  # (wall, CPU) of each run
        dead_ms: list[tuple[float, float]] = []
        try:
            with db.reading() as s:  # warm the page cache like a running server
                kpis(s, period, now)
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                with db.reading() as s:
                    report = kpis(s, period, now)
                kpi_ms.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
                t0, c0 = time.perf_counter(), time.process_time()
                with db.reading() as s:
                    lines = dead_stock(s, now, 180, now)
                dead_ms.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
        finally:
            db.dispose()
    kpi_best, dead_best = min(kpi_ms), min(dead_ms)  # the fastest run, and its CPU time beside it
    return {
        "kpis_ms": round(kpi_best[0], 1),
        "kpis_cpu_ms": round(kpi_best[1], 1),
        "dead_stock_ms": round(dead_best[0], 1),
        "dead_stock_cpu_ms": round(dead_best[1], 1),
        "reports_stockout_part_days_12m": report["stockouts"],
        "reports_ledger_moves": facts["moves"],
        "reports_parts": facts["parts"],
        "reports_sale_moves": facts["sales"],
        "reports_dead_lines": len(lines),
        "reports_turnover_12m": report["turnover"],
        "reports_build_db_s": round(build_s, 1),
    }
