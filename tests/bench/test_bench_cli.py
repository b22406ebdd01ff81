"""`floor bench` fails loudly: an area that raised makes the command exit non-zero, and the kiosk area runs clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from typing import Any

import pytest
from click.testing import CliRunner

import floor.bench
from floor.cli.main import main


def _area(monkeypatch: pytest.MonkeyPatch, name: str, run: Any) -> None:
    """Make `name` the only benchmark area, its module's run() being `run`."""
    module = types.ModuleType(f"floor.bench.bench_{name}")
    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(floor.bench, "areas", lambda: [name])


def test_a_failing_area_makes_bench_exit_non_zero(monkeypatch):
    """GIVEN an area whose run raises WHEN `floor bench --json` runs it THEN its error is printed as
    `<area>_error` with the other figures, and the command exits 1 naming the area."""

    def run(quick: bool = False) -> dict[str, Any]:
        raise RuntimeError("EvalError: the page's CSP refused the predicate")

    _area(monkeypatch, "broken", run)
    result = CliRunner().invoke(main, ["bench", "--json", "--quick"])
    assert result.exit_code == 1, result.output
    figures = json.loads(result.stdout)
    assert figures["broken_error"] == "RuntimeError: EvalError: the page's CSP refused the predicate"
    assert "broken_bench_s" in figures
    assert "failed areas: broken" in result.stderr


def test_a_clean_area_exits_zero_and_an_unknown_one_is_refused(monkeypatch):
    """GIVEN an area that returns figures WHEN run THEN exit 0; WHEN --only names no area THEN a usage error."""
    _area(monkeypatch, "fine", lambda quick=False: {"fine_per_s": 12.5})
    result = CliRunner().invoke(main, ["bench", "--json", "--only", "fine"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["fine_per_s"] == 12.5
    typo = CliRunner().invoke(main, ["bench", "--only", "kiosK"])
    assert typo.exit_code == 2 and "no area kiosK" in typo.output


@pytest.mark.browser
def test_quick_kiosk_bench_runs_clean():
    """GIVEN the kiosk area (300-job board, scan → board DOM in Chromium under the kiosk's CSP)
    WHEN `floor bench --quick --only kiosk --json` runs as a user runs it (about 8 s)
    THEN it exits 0 with no kiosk_error and every board figure present (one once went missing unnoticed)."""
    cmd = [
        sys.executable,
        "-c",
        "from floor.cli.main import main; main()",
        "bench",
        "--quick",
        "--only",
        "kiosk",
        "--json",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    figures = json.loads(done.stdout) if done.stdout.strip() else {}
    assert done.returncode == 0 and "kiosk_error" not in figures, figures.get("kiosk_error") or done.stderr[-3000:]
    assert "scan_to_board_skipped" not in figures, figures
    for name in ("board_render_ms", "board_render_ms_p95", "scan_to_board_ms_median", "scan_to_board_ms_p95"):
        assert isinstance(figures.get(name), float) and figures[name] > 0, (name, figures)


UNREACHABLE_PG = "postgresql+psycopg://postgres:secret@127.0.0.1:1/test"  # port 1: refused at once


def test_feed_bench_without_postgres_says_skipped(monkeypatch):
    """GIVEN the bench's PostgreSQL URL pointing where nothing listens (with a password in it)
    WHEN the feed area's PostgreSQL part runs
    THEN it returns `feed_api_to_board_skipped` saying PostgreSQL is not reachable, hides the password,
    and reports no PostgreSQL figure (rather than crash the area)."""
    from floor.bench import bench_core, bench_feed

    monkeypatch.setattr(bench_core, "PG_ADMIN_URL", UNREACHABLE_PG)
    figures = bench_feed._postgres(rounds=2)
    assert list(figures) == ["feed_api_to_board_skipped"], figures
    assert figures["feed_api_to_board_skipped"].startswith("PostgreSQL not reachable at "), figures
    assert (
        "127.0.0.1:1" in figures["feed_api_to_board_skipped"] and "secret" not in figures["feed_api_to_board_skipped"]
    )


@pytest.mark.browser
def test_quick_feed_bench_runs_clean():
    """GIVEN the feed area (a job created through POST /api/workorders until an open board shows it in
    Chromium; on PostgreSQL through another `floor serve` process than the board's)
    WHEN `floor bench --quick --only feed --json` runs as a user runs it
    THEN it exits 0 with no feed_error and the SQLite figures; the PostgreSQL ones too when the tests
    use PostgreSQL, else (pointed at no server) `feed_api_to_board_skipped` instead."""
    from tests.conftest import DATABASES, PG_ADMIN_URL

    with_pg = "postgresql" in DATABASES
    env = {**os.environ, "FLOOR_BENCH_PG_URL": PG_ADMIN_URL if with_pg else UNREACHABLE_PG}
    cmd = [
        sys.executable,
        "-c",
        "from floor.cli.main import main; main()",
        "bench",
        "--quick",
        "--only",
        "feed",
        "--json",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, env=env)
    figures = json.loads(done.stdout) if done.stdout.strip() else {}
    assert done.returncode == 0 and "feed_error" not in figures, figures.get("feed_error") or done.stderr[-3000:]
    assert "feed_api_to_board_sqlite_skipped" not in figures, figures
    assert figures["feed_api_to_board_target_ms"] == 1000
    suffixes = ["_sqlite", ""] if with_pg else ["_sqlite"]
    if with_pg:
        assert "feed_api_to_board_skipped" not in figures, figures
    else:
        assert "PostgreSQL not reachable" in figures["feed_api_to_board_skipped"], figures
        assert "feed_api_to_board_ms_p95" not in figures, figures
    for suffix in suffixes:
        p95, median = (
            figures.get(f"feed_api_to_board_ms_p95{suffix}"),
            figures.get(f"feed_api_to_board_ms_median{suffix}"),
        )
        assert isinstance(p95, float) and isinstance(median, float) and 0 < median <= p95, (suffix, figures)
        post = figures.get(f"feed_api_post_ms_median{suffix}")
        assert isinstance(post, float) and post > 0, (suffix, figures)
