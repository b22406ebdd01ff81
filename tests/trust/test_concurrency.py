"""Concurrent stations (SPEC section 7): no lost update, no negative stock, no unhandled deadlock.

On PostgreSQL the server is gunicorn with four worker processes; on SQLite it is the
threaded werkzeug server in this process. Eight stations issue the same three parts
at once, in batches naming them in different orders (the classic deadlock recipe),
until the stock runs out.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from floor.config import load_config
from floor.db import Database
from floor.service.factory import create_app
from tests.trust.support import Server, check_books, load_workshop, stock_levels, write_config

CONTENDED = {"HOT1": 150, "HOT2": 120, "HOT3": 90}
STATIONS = 8
ROUNDS = 30


def _station(port: int, index: int, out: dict[str, Any]) -> None:
    """One counter: badge and job, then batches of (Q:n, part) pairs in a random order."""
    rnd = random.Random(index)
    device = f"conc-{index}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seq = 0
    statuses: Counter[int] = Counter()
    issued: Counter[str] = Counter()
    refused: list[tuple[str, int]] = []

    def post(scans: list[str]) -> list[dict[str, Any]] | None:
        nonlocal seq
        body = {
            "station": f"c{index}",
            "device": device,
            "scans": [{"data": t, "seq": seq + i + 1} for i, t in enumerate(scans)],
        }
        seq += len(scans)
        conn.request("POST", "/api/scans", json.dumps(body), {"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        statuses[resp.status] += 1
        return json.loads(data)["results"] if resp.status == 200 else None

    post(["U:T1", f"WO:W{index}"])
    for _ in range(ROUNDS):
        parts = list(CONTENDED)
        rnd.shuffle(parts)
        scans, asked = [], []
        for part in parts[: rnd.randint(1, 3)]:
            qty = rnd.randint(1, 4)
            scans += [f"Q:{qty}", f"P:{part}"]
            asked.append((part, qty))
        results = post(scans)
        if results is None:
            continue
        for (part, qty), r in zip(asked, results[1::2]):
            if r["ok"]:
                assert r["code"] == "issued"
                issued[part] += qty
            else:
                assert r["code"] == "insufficient_stock", r
                refused.append((part, qty))
    conn.close()
    out[device] = {"statuses": statuses, "issued": issued, "refused": refused}


def _run_stations(port: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    threads = [threading.Thread(target=_station, args=(port, i, out)) for i in range(STATIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(out) == STATIONS, "a station thread failed (see the captured output)"
    return out


def test_stations_race_for_the_same_parts(db: Database, tmp_path: Path) -> None:
    """GIVEN three parts with little stock and eight stations (gunicorn -w 4 on PostgreSQL, threads on SQLite)
    WHEN all issue them at once in batches naming the parts in random orders until the stock runs out
    THEN every answer is 200, accepted issues equal the stock decrease, nothing is negative,
    and every refusal asked for more than was finally left."""
    load_workshop(db, CONTENDED, jobs=STATIONS)
    before = stock_levels(db)
    cfg_path = write_config(tmp_path, db.url, [f"c{i}" for i in range(STATIONS)])
    if db.dialect == "postgresql":
        server = Server(cfg_path, workers=4, threads=4)
        try:
            server.start()
            out = _run_stations(server.port)
            assert "Traceback" not in server.log_text()
        finally:
            server.close()
    else:
        app = create_app(load_config(cfg_path), db)
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            out = _run_stations(httpd.server_port)
        finally:
            httpd.shutdown()
    statuses = sum((o["statuses"] for o in out.values()), Counter())
    assert set(statuses) == {200}, statuses
    issued = sum((o["issued"] for o in out.values()), Counter())
    after = stock_levels(db)
    for part, opening in CONTENDED.items():
        left = after.get((part, "A-01-01"), 0)
        assert left >= 0, f"{part} went negative"
        assert opening - left == issued[part], f"{part}: issued {issued[part]}, stock fell by {opening - left}"
        assert left < 4, f"{part}: stock should have run out, {left} left"
    for o in out.values():
        for part, qty in o["refused"]:
            assert after[(part, "A-01-01")] < qty, f"{part}: refused {qty} though {after[(part, 'A-01-01')]} remain"
    assert sum(before.values()) - sum(after.values()) == sum(issued.values())
    check_books(db)
