"""Importing a module of floor registers nothing: no SQLAlchemy listener, no message, no scan handler, no entry in
another module's table. What floor puts together is put together in one place (floor.core.messages,
floor.core.wiring) and installed when it is used (`floor.db.Database` installs the session listeners)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, path: Path | None = None) -> dict[str, Any]:
    """Run the import watcher (tests/architecture/import_effects.py) in a fresh interpreter; its JSON report."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.architecture.import_effects", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.slow
def test_importing_every_module_of_floor_changes_no_registry():
    """GIVEN a fresh interpreter WHEN every module of floor is imported (all in one process, each checked right
    after it executes) THEN none added a SQLAlchemy listener, changed the messages catalogue or the scan wiring,
    or filled another module's table."""
    report = _run()
    assert report["modules"] > 300 and report["executed"] >= report["modules"]  # the walk imported floor at all
    assert report["failed"] == {}
    assert report["changed"] == {}, "imports with side effects:\n" + "\n".join(
        f"  {module}: {'; '.join(what)}" for module, what in sorted(report["changed"].items())
    )


def test_the_watcher_names_a_module_that_registers_on_import(tmp_path: Path):
    """GIVEN a package whose modules listen to every session's flushes, fill another module's table and add a
    scan handler on import WHEN its modules are imported under the watcher THEN each is named with what it did,
    and a module that only defines its own table is not."""
    package = tmp_path / "noisy"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "table.py").write_text("TABLE: dict[str, int] = {}\nOWN = [1, 2]\n", encoding="utf-8")
    (package / "filler.py").write_text("from noisy import table\n\ntable.TABLE['x'] = 1\n", encoding="utf-8")
    (package / "listener.py").write_text(
        "from sqlalchemy import event\nfrom sqlalchemy.orm import Session\n\n\n"
        "def heard(session, ctx):\n    pass\n\n\nevent.listen(Session, 'after_flush', heard)\n",
        encoding="utf-8",
    )
    report = _run("--watch", "noisy", "noisy.table", "noisy.filler", "noisy.listener", path=tmp_path)
    assert report["failed"] == {}
    assert report["changed"] == {
        "noisy.filler": ["noisy.table.TABLE went from 0 to 1 entries"],
        "noisy.listener": ["SQLAlchemy listeners added: ['after_flush: noisy.listener.heard']"],
    }


def test_the_watcher_sees_a_handler_added_to_the_scan_wiring(tmp_path: Path):
    """GIVEN a module that adds a `CMD:` verb to floor.core.wiring on import WHEN it is imported under the watcher
    THEN it is named: the scan wiring changed, and so did the wiring's table of commands."""
    package = tmp_path / "extra"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from floor.core import wiring\n\nwiring.COMMANDS['NOISE'] = wiring.COMMANDS['DONE']\n", encoding="utf-8"
    )
    report = _run("--watch", "floor,extra", "floor.core.wiring", "extra", path=tmp_path)
    assert report["failed"] == {}
    assert list(report["changed"]) == ["extra"]
    what = report["changed"]["extra"]
    assert what[0] == "the scan wiring changed"
    assert any(w.startswith("floor.core.wiring.COMMANDS went from") for w in what)
