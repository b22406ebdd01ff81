"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL, the config, the app.

Every test that takes `db` runs twice, once per database. PostgreSQL is expected
at FLOOR_TEST_PG_URL (default: the local server, trust auth); if it cannot be
reached the tests fail rather than skip, so CI never passes without it.
Set FLOOR_TEST_DATABASES=sqlite to run only SQLite while developing.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from floor import clock
from floor.config import Config, parse_config
from floor.core.catalog import forget_catalogs
from floor.db import Database
from floor.db.migrate import upgrade
from floor.models import Base

# The one clock, pinned for every test: fixtures may name dates after this instant and they
# never pass. FLOOR_CLOCK pins `floor serve` subprocesses the same way. A run under a shifted
# machine clock (scripts/test.sh does one a year ahead and one a year back) proves that no
# rule reads the machine's clock behind the one clock's back.
PINNED_NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
os.environ["FLOOR_CLOCK"] = PINNED_NOW.isoformat()

PG_ADMIN_URL = os.environ.get("FLOOR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = [d for d in os.environ.get("FLOOR_TEST_DATABASES", "sqlite,postgresql").split(",") if d]
# What only PostgreSQL has (LISTEN/NOTIFY, several processes on one site): the `db` fixture on PostgreSQL
# alone. Such a test is not made for SQLite at all (not made and skipped), and fails if PostgreSQL is down.
POSTGRESQL_ONLY = pytest.mark.parametrize("db", ["postgresql"], indirect=True)

TEST_CONFIG: dict[str, Any] = {
    "database": {"url": "sqlite:///unused.db", "sqlite_synchronous": "NORMAL"},
    "stations": [
        {
            "name": "counter-1",
            "kind": "counter",
            "default_location": "A-01-01",
            "require_badge": True,
            "idle_timeout_s": 120,
        },
        {"name": "counter-2", "kind": "counter", "default_location": "A-01-01", "require_badge": True},
        {"name": "dock-1", "kind": "receiving", "default_location": "R-00-01", "require_badge": True},
        {"name": "handheld-1", "kind": "stocktake", "require_badge": True},
        {"name": "kiosk-1", "kind": "kiosk", "require_badge": False},
    ],
}


def make_config(**overrides: Any) -> Config:
    """The standard test config, with top-level tables replaced by `overrides`."""
    data = {**TEST_CONFIG, **overrides}
    return parse_config(data)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move everything imported and collected out of the garbage collector's sight (gc.freeze).

    The modules, the app's classes and the collected tests live as long as the run; without this every
    full collection (one after each test, below, and Python's own) walks those ~300,000 objects again.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[clock.PinnedClock]:
    """Every test runs on the one clock pinned at PINNED_NOW (ticking on from there)."""
    pinned = clock.PinnedClock(PINNED_NOW)
    previous = clock.install(pinned)
    yield pinned
    clock.install(previous)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty SQLite database, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}", "NORMAL")
    upgrade(db.engine)
    db.dispose()
    return path


def _pg_database_name() -> str:
    # One database per test process: parallel runs (xdist workers, several
    # developers' runs on one machine) never drop each other's database.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"floor_test_{worker}_{os.getpid()}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test worker."""
    name = _pg_database_name()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A test's commit need not wait for the disk: a killed process still loses nothing committed,
            # only a crash of the PostgreSQL server itself could (and then the database is thrown away).
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    except Exception as exc:  # a missing PostgreSQL must fail the run, never skip it
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}. Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`",
            pytrace=False,
        )
    finally:
        admin.dispose()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    upgrade(db.engine)
    db.dispose()
    yield url
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Emptying the worker's PostgreSQL database between tests: only the tables a test wrote to, children
# first, by DELETE, and every sequence used is set back to 1. A TRUNCATE of all tables cost ~1 s a test
# (it makes new files for every table); this costs a few milliseconds.
_PG_TABLES = [t.name for t in Base.metadata.sorted_tables]
_PG_NON_EMPTY = text(" UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in _PG_TABLES))
_PG_RESET_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) FROM pg_sequences"
    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _truncate_pg(db: Database) -> None:
    with db.engine.begin() as conn:
        written = {row[0] for row in conn.execute(_PG_NON_EMPTY)}
        for table in reversed(_PG_TABLES):
            if table in written:
                conn.execute(text(f'DELETE FROM "{table}"'))
        conn.execute(_PG_RESET_SEQUENCES)


@pytest.fixture(params=DATABASES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database: SQLite and PostgreSQL in turn."""
    forget_catalogs()
    if request.param == "sqlite":
        path = tmp_path / "floor.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        database = Database(f"sqlite:///{path}", "NORMAL")
    else:
        database = Database(request.getfixturevalue("pg_url"))
        _truncate_pg(database)
    yield database
    database.dispose()
    # No gc.collect() here: a full collection after every test cost ~0.2 s each. A connection a test leaks
    # is still reported (PytestUnraisableExceptionWarning in the summary), by the test the collector ran in.
    forget_catalogs()


@pytest.fixture
def cfg() -> Config:
    """The standard test config (stations counter-1/2, dock-1, handheld-1, kiosk-1)."""
    return make_config()


@pytest.fixture
def service(cfg: Config, db: Database):
    """The scan service over the test database."""
    from floor.application.scan_service import ScanService

    return ScanService(cfg, db)


@pytest.fixture
def app(cfg: Config, db: Database):
    """The Flask app over the test database."""
    from floor.service.factory import create_app

    return create_app(cfg, db, {"TESTING": True})


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def shop(db: Database) -> Database:
    """A small workshop: bins, parts (one core, one with a GTIN alias), people, open and closed jobs, stock."""
    from tests.factories import load_small_shop

    load_small_shop(db)
    return db


# -- headless Chromium for the browser tests (one per session, shared by every folder) -------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never downloads a browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    # expect(...) waits 5 s by default: too short for a server round trip on a loaded 2-core CI machine.
    # 30 s, as Playwright's own actions and waits; a test that passes waits only as long as it needs.
    expect.set_options(timeout=30_000)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def page_errors(pg: Any) -> list[str]:
    """Collect a page's JavaScript errors and Content-Security-Policy violations (a test asserts none at its end)."""
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # The kiosk runs under a self-only CSP: a blocked script, style or eval is a failure too.
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    return errors


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page at TV / kiosk size, failing the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    pg = context.new_page()
    errors = page_errors(pg)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
