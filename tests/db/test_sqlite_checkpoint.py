"""WAL checkpoints run in floor's background thread, not inside a scan's commit (SQLite only)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from floor.db import Database, sqlite_checkpoint
from floor.db.migrate import upgrade
from floor.db.sqlite_checkpoint import SAFETY_AUTOCHECKPOINT_PAGES
from tests.waiting import wait_for


@pytest.fixture
def database(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'floor.db'}", "FULL")
    upgrade(db.engine)
    yield db
    db.dispose()


def test_commits_leave_inline_checkpoints_to_a_safety_net(database: Database) -> None:
    """The service's connections only checkpoint inline if the WAL grows to about 40 MB."""
    with database.writing() as s:
        pages = s.execute(text("PRAGMA wal_autocheckpoint")).scalar()
    assert pages == SAFETY_AUTOCHECKPOINT_PAGES


def test_committed_rows_reach_the_database_file_in_the_background(database: Database, tmp_path: Path) -> None:
    """After commits the thread copies the WAL into the main file: a copy of that file alone has the rows."""
    for i in range(50):
        with database.writing() as s:
            s.execute(text("INSERT INTO meta (key, value) VALUES (:k, 'v')"), {"k": f"k{i}"})
    cp = database.checkpointer
    assert cp is not None
    assert wait_for(lambda: cp.last is not None and cp.last[0] == 0 and cp.last[1] > 0 and cp.last[1] == cp.last[2])
    alone = tmp_path / "alone.db"
    shutil.copy(tmp_path / "floor.db", alone)  # no -wal file next to it
    with sqlite3.connect(alone) as conn:
        assert conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 50


def test_thread_ends_when_idle_and_comes_back_on_the_next_commit(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No commits for a while: no thread. The next commit starts one again."""
    monkeypatch.setattr(sqlite_checkpoint, "IDLE_EXIT_S", 0.1)
    cp = database.checkpointer
    assert cp is not None
    with database.writing() as s:
        s.execute(text("INSERT INTO meta (key, value) VALUES ('a', 'v')"))
    assert wait_for(lambda: cp._thread is None and cp.checkpoints >= 1)
    done = cp.checkpoints
    with database.writing() as s:
        s.execute(text("INSERT INTO meta (key, value) VALUES ('b', 'v')"))
    assert wait_for(lambda: cp.checkpoints > done)


def test_dispose_stops_the_thread(tmp_path: Path) -> None:
    """Closing the database leaves no checkpoint thread behind."""
    db = Database(f"sqlite:///{tmp_path / 'x.db'}", "FULL")
    upgrade(db.engine)
    with db.writing() as s:
        s.execute(text("INSERT INTO meta (key, value) VALUES ('a', 'v')"))
    cp = db.checkpointer
    assert cp is not None and cp._thread is not None
    thread = cp._thread
    db.dispose()
    assert not thread.is_alive()
    assert cp.checkpoints >= 1  # the last commit was checkpointed on the way out
