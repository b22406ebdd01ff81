"""The SQLite files hold badges and PIN hashes: floor creates them 0600, WAL and SHM included, whatever the umask."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from floor.cli.main import main
from floor.db import Database
from floor.scanners.outbox import Outbox


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """A umask that lets others read new files (022, the usual default): only floor's own care keeps them private."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write(db: Database) -> None:
    with db.writing() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        s.execute(text("INSERT INTO probe VALUES (1)"))


def test_floor_init_creates_the_database_and_its_wal_private(tmp_path: Path) -> None:
    """GIVEN umask 022 WHEN `floor init` makes a fresh instance and the database is then written to
    THEN floor.db, floor.db-wal and floor.db-shm are all mode 0600 (the config too, as before)."""
    instance = tmp_path / "instance"
    result = CliRunner().invoke(main, ["init", "--instance", str(instance)])
    assert result.exit_code == 0, result.output
    path = instance / "floor.db"
    assert _mode(path) == 0o600 and _mode(instance / "floor.toml") == 0o600
    db = Database(f"sqlite:///{path}")
    try:
        _write(db)
        with db.reading() as s:  # a reader keeps the WAL and SHM in place
            assert s.execute(text("SELECT count(*) FROM probe")).scalar() == 1
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert (_mode(path), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        db.dispose()


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    """GIVEN a database and WAL left mode 0644 by an older floor WHEN opened THEN both become 0600."""
    path = tmp_path / "floor.db"
    db = Database(f"sqlite:///{path}")
    _write(db)
    db.dispose()
    wal = Path(f"{path}-wal")
    wal.touch()
    os.chmod(path, 0o644)
    os.chmod(wal, 0o644)
    db = Database(f"sqlite:///{path}")
    try:
        assert (_mode(path), _mode(wal)) == (0o600, 0o600)
    finally:
        db.dispose()


def test_the_gateway_outbox_is_private(tmp_path: Path) -> None:
    """GIVEN umask 022 WHEN a gateway creates its outbox (it holds every scan, badges among them) THEN it is 0600."""
    box = Outbox(tmp_path / "outbox.db")
    try:
        for name in ("outbox.db", "outbox.db-wal", "outbox.db-shm"):
            assert _mode(tmp_path / name) == 0o600, name
    finally:
        box.close()


@pytest.mark.slow
def test_floor_demo_creates_its_database_private(tmp_path: Path) -> None:
    """GIVEN umask 022 WHEN `floor demo` runs for a moment THEN its floor.db is mode 0600."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path / "demo"
    result = CliRunner().invoke(
        main, ["demo", "--dir", str(folder), "--port", str(port), "--seconds", "0.5", "--history-days", "2"]
    )
    assert result.exit_code == 0, result.output
    assert _mode(folder / "floor.db") == 0o600
