"""Invoice numbers without gaps and without doubles, with two `floor serve` processes on one PostgreSQL (SPEC 10.4).

Eight clients invoice 24 READY jobs through two server processes at once, each job asked of both servers: every
job is invoiced exactly once (the other server answers `already_invoiced`), and the numbers run 1..24.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from floor.db import Database
from floor.models import Invoice, WorkOrder
from tests.billing_factories import quick_ready_jobs
from tests.conftest import POSTGRESQL_ONLY
from tests.trust.support import Server, post_json, write_config

JOBS = [f"R{i:03d}" for i in range(24)]


@pytest.fixture
def servers(db: Database, tmp_path: Path) -> Iterator[list[Server]]:
    from floor.core.master import Importer

    with db.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "ADV1", "name": "Liu Yang", "role": "advisor"})
        imp.finish()
    quick_ready_jobs(db, JOBS)
    cfg = write_config(tmp_path, db.url, ["counter-1"])
    cfg.write_text(cfg.read_text() + '\n[billing]\nlabour_rate = "380.00"\ntax_pct = 13\n', encoding="utf-8")
    running = []
    try:
        for _ in range(2):
            server = Server(cfg)
            server.start(60)
            running.append(server)
        yield running
    finally:
        for server in running:
            server.close()


@POSTGRESQL_ONLY
def test_two_servers_invoicing_at_once_give_gapless_single_numbers(db, servers):
    ports = [s.port for s in servers]
    asks = [(job, ports[(i + k) % 2]) for i, job in enumerate(JOBS) for k in range(2)]

    def invoice(ask: tuple[str, int]) -> tuple[str, int, object]:
        job, port = ask
        status, body = post_json(port, f"/api/workorders/{job}/invoice", {"badge": "ADV1"})
        return job, status, body

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(invoice, asks))
    made = [(job, body["number"]) for job, status, body in answers if status == 201]
    refused = [body["code"] for _, status, body in answers if status != 201]
    assert sorted(job for job, _ in made) == JOBS, (refused, [s.log_text()[-2000:] for s in servers])
    assert refused == ["already_invoiced"] * len(JOBS)
    assert sorted(n for _, n in made) == [f"INV{i:06d}" for i in range(1, len(JOBS) + 1)]
    with db.reading() as s:
        rows = s.execute(select(Invoice.seq, WorkOrder.number).join(WorkOrder, WorkOrder.id == Invoice.work_order_id))
        by_seq = dict(rows.all())
    assert sorted(by_seq) == list(range(1, len(JOBS) + 1)) and sorted(by_seq.values()) == JOBS
