"""Every module of floor and hardware_sim imports on its own, in a fresh interpreter: no import order decides anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_module_imports_alone(tmp_path):
    """GIVEN a parent that imported only what lies outside floor WHEN each module is imported in its own forked child
    THEN every one succeeds (the entry points floor.wsgi and floor.asgi build their app from FLOOR_CONFIG)."""
    config = tmp_path / "floor.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "floor.db"}"\n', encoding="utf-8")
    env = {**os.environ, "FLOOR_CONFIG": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.architecture.import_each"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["modules"] > 200  # the walk found the packages' modules
    failed = report["failed"]
    assert not failed, "modules that do not import alone:\n" + "\n".join(
        f"  {m}: {w}" for m, w in sorted(failed.items())
    )
