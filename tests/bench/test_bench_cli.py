"""`floor bench` fails loudly: an area that raised makes the command exit non-zero, and the kiosk area runs clean."""

from __future__ import annotations

import json
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
