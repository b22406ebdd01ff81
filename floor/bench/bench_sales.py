"""Sales benchmarks (SPEC 9.3), on SQLite in a temp dir, through the Flask app in process.

- `sale_pick_scans_per_s`: part scans picking 20-line sales, one scan per `POST /api/scans`
  as a counter scanner sends them; `issue_scans_per_s` is the issue path measured the same
  way (20 part scans to a job), and `sale_pick_vs_issue` their ratio (target ≥ 0.8).
- `sales_report_ms`: `sales_stats` over one month holding 20,000 shipped sales lines
  (median of several runs; target under 200 ms).
"""

from __future__ import annotations

import itertools
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from floor import clock
from floor.config import parse_config
from floor.core.authority import RoleTable
from floor.core.master import Importer
from floor.core.sales.orders import confirm_sale, create_sale
from floor.core.sales.settings import SalesSettings
from floor.core.sales.stats import sales_stats
from floor.db import Database
from floor.db.migrate import upgrade
from floor.models import Customer, Part, Sale, SaleLine, User

LINES = 20
MONTH_LINES = 20_000
START = datetime(2026, 10, 1, tzinfo=UTC)
_DEVICES = itertools.count(1)
ROLES = RoleTable()  # a bench has no site: the default role table


def _shop(db: Database, sales: int, jobs: int) -> list[str]:
    """Parts P01..P20 with plenty of stock, a storekeeper, a customer, jobs; confirmed sales. Return sale numbers."""
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01", "name": "Shelf"})
        for i in range(1, LINES + 1):
            imp.apply("parts", {"part_no": f"P{i:02d}", "name": f"Part {i}", "unit_cost": "5", "sell_price": "9"})
            imp.apply("stock", {"part_no": f"P{i:02d}", "location": "A-01", "qty": "100000"})
        imp.apply("users", {"badge": "S1", "name": "Store", "role": "storekeeper"})
        for j in range(jobs):
            imp.apply("workorders", {"number": f"J{j}", "vehicle": "car"})
        imp.apply("customers", {"code": "C1", "name": "Garage"})
        imp.finish()
    numbers = []
    with db.writing() as s:
        actor = s.query(User).filter_by(badge="S1").one()
        for _ in range(sales):
            sale = create_sale(
                s,
                SalesSettings(),
                actor,
                "C1",
                [{"part_no": f"P{i:02d}", "qty": 1} for i in range(1, LINES + 1)],
                clock.now(),
                roles=ROLES,
            )
            confirm_sale(s, SalesSettings(), sale, actor, clock.now(), roles=ROLES)
            numbers.append(sale.number or "")
    return numbers


def _scan_rate(client: Any, head: list[list[str]], rounds: int) -> float:
    """Part scans per second: per round, the head scans (not timed), then 20 part scans, one request each."""
    seq = 0
    device = f"bench-{next(_DEVICES)}"  # a fresh device: its seqs are never taken for re-sent scans
    elapsed = 0.0
    for r in range(rounds):
        for text in head[r]:
            seq += 1
            client.post("/api/scans", json={"station": "c1", "device": device, "scans": [{"data": text, "seq": seq}]})
        started = time.perf_counter()
        for i in range(1, LINES + 1):
            seq += 1
            resp = client.post(
                "/api/scans", json={"station": "c1", "device": device, "scans": [{"data": f"P:P{i:02d}", "seq": seq}]}
            )
            result = resp.get_json()["results"][0]
            if not result["ok"] or result["duplicate"]:
                raise RuntimeError(f"bench scan refused: {result['code']} {result['message']}")
        elapsed += time.perf_counter() - started
    return rounds * LINES / elapsed


def _pick_vs_issue(quick: bool) -> dict[str, Any]:
    from floor.service.factory import create_app

    rounds = 3 if quick else 10
    cfg = parse_config(
        {"stations": [{"name": "c1", "kind": "counter", "default_location": "A-01", "require_badge": True}]}
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}", "NORMAL")
        try:
            upgrade(db.engine)
            numbers = _shop(db, rounds, rounds)
            client = create_app(cfg, db, {"TESTING": True}).test_client()
            # Warm-up (catalog, statements), then alternate so both see the same database size.
            _scan_rate(client, [["U:S1", "WO:J0"]], 1)
            pick_times, issue_times = [], []
            for r in range(rounds):  # interleaved, so both see the same machine load and database size
                pick_times.append(1 / _scan_rate(client, [["U:S1", f"SO:{numbers[r]}"]], 1))
                issue_times.append(1 / _scan_rate(client, [["U:S1", f"WO:J{r}"]], 1))
            picks = 1 / statistics.median(pick_times)
            issues = 1 / statistics.median(issue_times)
        finally:
            db.dispose()
    return {
        "sale_pick_scans_per_s": round(picks, 1),
        "issue_scans_per_s": round(issues, 1),
        "sale_pick_vs_issue": round(picks / issues, 2),
    }


def _report(quick: bool) -> dict[str, Any]:
    rnd = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'report.db'}", "NORMAL")
        try:
            upgrade(db.engine)
            with db.writing() as s:
                s.execute(
                    insert(Part),
                    [
                        {"id": i, "part_no": f"P{i:04d}", "name": f"Part {i}", "unit_cost": Decimal("5.00")}
                        for i in range(1, 501)
                    ],
                )
                s.execute(
                    insert(Customer),
                    [{"id": i, "code": f"C{i:03d}", "name": f"Customer {i}", "kind": "retail"} for i in range(1, 201)],
                )
                sales, lines = [], []
                n_sales = MONTH_LINES // 5
                for sid in range(1, n_sales + 1):
                    at = START + timedelta(minutes=rnd.randint(0, 31 * 24 * 60 - 1))
                    sales.append(
                        {
                            "id": sid,
                            "number": f"{sid:06d}",
                            "customer_id": rnd.randint(1, 200),
                            "status": "shipped",
                            "created_at": at,
                            "shipped_at": at,
                            "collected": True,
                        }
                    )
                    mine: list[dict[str, Any]] = [
                        {
                            "sale_id": sid,
                            "line_no": k,
                            "part_id": rnd.randint(1, 500),
                            "qty": rnd.randint(1, 4),
                            "picked": 0,
                            "price": Decimal(rnd.randint(500, 20000)) / 100,
                            "unit_cost": Decimal("5.00"),
                            "core_charge": Decimal(0),
                        }
                        for k in range(1, 6)
                    ]
                    for ln in mine:
                        ln["picked"] = ln["qty"]
                    # What ship_sale writes onto a shipped sale.
                    sales[-1]["qty_total"] = sum(ln["qty"] for ln in mine)
                    sales[-1]["goods_total"] = sum(ln["qty"] * ln["price"] for ln in mine)
                    sales[-1]["cost_total"] = sum(ln["qty"] * ln["unit_cost"] for ln in mine)
                    lines += mine
                s.execute(insert(Sale), sales)
                s.execute(insert(SaleLine), lines)
            end = START + timedelta(days=31)
            times = []
            for _ in range(3 if quick else 7):
                with db.reading() as s:
                    started = time.perf_counter()
                    stats = sales_stats(s, START, end, UTC)
                    times.append((time.perf_counter() - started) * 1000)
            assert stats["totals"]["sales"] == n_sales
        finally:
            db.dispose()
    return {"sales_report_ms": round(statistics.median(times), 1), "sales_report_lines": MONTH_LINES}


def run(quick: bool = False) -> dict[str, Any]:
    """Sale picking by scan against the issue path, and the month's sales statistics."""
    return {**_pick_vs_issue(quick), **_report(quick)}


if __name__ == "__main__":
    print(run())
