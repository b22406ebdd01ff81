"""Change-feed figures: a job created through the API, until a job board open in Chromium shows it.

What issue 14 promises: every committed change a screen shows reaches every open kiosk screen
within a second, across processes. Measured on running `floor serve` processes
(`bench_core._Server`), the board in headless Chromium (live SSE, no reload), the job
created with `POST /api/workorders` over one kept-alive HTTP connection.

- `feed_api_to_board_ms_p95` / `_median`: PostgreSQL, two `floor serve` processes of one site:
  the job is created through the first, the board is served by the second, so the change
  crosses processes by LISTEN/NOTIFY. The database is a fresh one on the bench's PostgreSQL
  (`FLOOR_BENCH_PG_URL`, as for `api_ingest_scans_per_s_postgres`), dropped afterwards.
- `feed_api_to_board_ms_p95_sqlite` / `_median_sqlite`: SQLite, one `floor serve` process
  (what a single-PC site runs) serving both the API and the board.
- Each round is from just before the POST is sent to the moment the job's row (`#job-<number>`)
  is in the board's DOM. `feed_api_post_ms_median[_sqlite]`: the POST's answer alone (the
  rest is the feed, the board's refetch and the swap). `feed_api_to_board_server_cpu_ms[_sqlite]`:
  CPU time per round of the server processes together (Linux /proc), where the cost is.
- Target (`feed_api_to_board_target_ms`): under 1000 ms at p95.

`feed_api_to_board_skipped` says why the PostgreSQL figures are missing (PostgreSQL not reachable,
or no Chromium or Playwright); `feed_api_to_board_sqlite_skipped` the same for SQLite (no browser).
The board refreshes itself every 60 s besides the feed; a run's rounds take a few seconds after the
page opens, and the bench fails rather than report a round if the page reloaded.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from floor.bench import bench_core
from floor.bench.bench_core import _load_data, _pg_database, _pg_drop, _Server, _write_config
from floor.bench.bench_kiosk import CHROMIUM, CHROMIUM_ARGS, _pct, _server_cpu_s

TARGET_MS = 1000
# With the 8 jobs of `_load_data` and the warm-up job, every job fits the board's first screen (40 rows),
# so the board never rotates to a screen without the new job.
ROUNDS = 20
QUICK_ROUNDS = 8
WAIT_MS = 10_000  # a job not shown after this is a failure of the feed, not a slow figure

# Predicates are functions, never expression strings: the kiosk's CSP refuses eval.
_LIVE = "() => document.body.dataset.live === '1'"
_SHOWN = "(id) => document.getElementById(id) !== null"
_MARK = "() => { window.__feedBench = true; }"
_MARKED = "() => window.__feedBench === true"


def _browser_missing() -> str | None:
    """Why Chromium cannot be driven here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return None


def _create_job(conn: http.client.HTTPConnection, number: str) -> float:
    """POST /api/workorders for one new job; milliseconds until its answer."""
    body = json.dumps({"number": number, "vehicle": "feed bench van"})
    t0 = time.perf_counter()
    conn.request("POST", "/api/workorders", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    took = (time.perf_counter() - t0) * 1000
    if resp.status != 201:
        raise RuntimeError(f"POST /api/workorders answered {resp.status}: {data[:300]!r}")
    return took


def _servers_cpu_s(servers: list[_Server]) -> float | None:
    """CPU seconds the server processes have used so far together; None where /proc is missing."""
    used = [_server_cpu_s(s.proc.pid) for s in servers]
    return None if None in used else sum(u for u in used if u is not None)


def api_to_board(api: _Server, board: _Server, rounds: int, suffix: str = "") -> dict[str, float]:
    """Median and p95 from POST /api/workorders on `api` to the job's row on `board`'s page in Chromium."""
    from playwright.sync_api import sync_playwright

    servers = [api] if api is board else [api, board]
    times: list[float] = []
    posts: list[float] = []
    conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=30)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{board.port}/kiosk/board")
            page.wait_for_function(_LIVE, timeout=WAIT_MS)
            page.evaluate(_MARK)  # gone if the page reloads: then a round was not the live feed's
            _create_job(conn, f"FEED{suffix}-warm")  # warms the connection, the importer and the board's refetch
            page.wait_for_function(_SHOWN, arg=f"job-FEED{suffix}-warm", polling="raf", timeout=WAIT_MS)
            cpu0 = _servers_cpu_s(servers)
            for i in range(rounds):
                number = f"FEED{suffix}-{i}"
                t0 = time.perf_counter()
                posts.append(_create_job(conn, number))
                page.wait_for_function(_SHOWN, arg=f"job-{number}", polling="raf", timeout=WAIT_MS)
                times.append((time.perf_counter() - t0) * 1000)
                page.wait_for_timeout(100)  # the board's swap settles before the next job
            cpu1 = _servers_cpu_s(servers)
            if not page.evaluate(_MARKED):
                raise RuntimeError("the board page reloaded during the rounds: they did not measure the feed")
        finally:
            browser.close()
            conn.close()
    figures = {
        f"feed_api_to_board_ms_p95{suffix}": _pct(times, 0.95),
        f"feed_api_to_board_ms_median{suffix}": round(statistics.median(times), 1),
        f"feed_api_post_ms_median{suffix}": round(statistics.median(posts), 1),
    }
    if cpu0 is not None and cpu1 is not None:
        figures[f"feed_api_to_board_server_cpu_ms{suffix}"] = round((cpu1 - cpu0) * 1000 / rounds, 1)
    return figures


def _sqlite(rounds: int) -> dict[str, Any]:
    """One `floor serve` on a SQLite site: the API and the board from the same process."""
    with tempfile.TemporaryDirectory(prefix="floor-bench-feed-") as tmp:
        folder = Path(tmp)
        cfg = _write_config(folder, f"sqlite:///{folder / 'feed.db'}", 1)
        _load_data(cfg)
        server = _Server(cfg)
        try:
            return api_to_board(server, server, rounds, "_sqlite")
        finally:
            server.stop()


def _postgres(rounds: int) -> dict[str, Any]:
    """Two `floor serve` processes on one PostgreSQL site: the job through one, the board from the other."""
    name = f"floor_bench_feed_{os.getpid()}"
    try:
        url = _pg_database(name)
    except (DBAPIError, ImportError) as exc:  # no server, no driver: say so instead of figures
        where = make_url(bench_core.PG_ADMIN_URL).render_as_string(hide_password=True)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"feed_api_to_board_skipped": f"PostgreSQL not reachable at {where}: {reason}"[:300]}
    try:
        with tempfile.TemporaryDirectory(prefix="floor-bench-feed-") as tmp:
            cfg = _write_config(Path(tmp), url, 1)
            _load_data(cfg)
            api = _Server(cfg)
            try:
                board = _Server(cfg)
                try:
                    return api_to_board(api, board, rounds)
                finally:
                    board.stop()
            finally:
                api.stop()
    finally:
        _pg_drop(name)


def run(quick: bool = False) -> dict[str, Any]:
    """A job created through the API until an open board shows it: PostgreSQL across processes, SQLite in one."""
    rounds = QUICK_ROUNDS if quick else ROUNDS
    figures: dict[str, Any] = {"feed_api_to_board_target_ms": TARGET_MS, "feed_api_to_board_rounds": rounds}
    missing = _browser_missing()
    if missing:
        figures["feed_api_to_board_skipped"] = missing
        figures["feed_api_to_board_sqlite_skipped"] = missing
        return figures
    figures.update(_sqlite(rounds))
    figures.update(_postgres(rounds))
    return figures
