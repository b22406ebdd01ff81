"""Database engines and sessions: SQLite in WAL mode by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from floor.config import Config
from floor.core.wiring import install_session_events
from floor.db.feed import ChangeFeed
from floor.db.sqlite_checkpoint import SAFETY_AUTOCHECKPOINT_PAGES, Checkpointer

log = logging.getLogger(__name__)
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private_sqlite(path: str) -> None:
    """Create a SQLite file with mode 0600, or tighten an existing one and its WAL, SHM, journal to it.

    The database holds badges and PIN hashes. SQLite creates its WAL and SHM files with the
    database file's mode, so a file made 0600 before SQLite opens it keeps all three private.
    """
    try:
        # O_EXCL + mode at creation: never readable by others, not even for a moment.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # a missing or read-only folder: SQLite's own error on connect says so
    for name in (path, *(path + suffix for suffix in SQLITE_COMPANIONS)):
        try:
            mode = os.stat(name).st_mode & 0o777
            if mode & 0o077:
                os.chmod(name, 0o600)
                log.info("%s was readable by others (mode %o): now 0600", name, mode)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("%s: cannot make it private (mode 0600): it is not ours", name)


def _sqlite_file(url: str) -> str | None:
    """The file a SQLite URL names, or None (in memory, or a URI filename SQLite opens itself)."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or parsed.query.get("uri") or database.startswith("file:"):
        return None
    return database


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str, sqlite_synchronous: str = "FULL", **kwargs: Any) -> Engine:
    """Create an engine; on SQLite set WAL, the synchronous level and write-locking BEGINs."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        path = _sqlite_file(url)
        if path is not None:
            make_private_sqlite(path)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, sqlite_synchronous)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)
    return engine


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # Checkpoints run in floor's background thread (floor.db.sqlite_checkpoint), not inside commits.
        cur.execute(f"PRAGMA wal_autocheckpoint={SAFETY_AUTOCHECKPOINT_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock at BEGIN: a deferred transaction that later
        # writes can fail with SQLITE_BUSY instead of waiting its turn.
        if conn.get_execution_options().get("floor_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Database:
    """One database: an engine plus factories for read and write sessions."""

    def __init__(self, url: str, sqlite_synchronous: str = "FULL", **kwargs: Any) -> None:
        # What every session does around a flush (master versions, demand, summaries): once per process.
        install_session_events()
        self.url = url
        self.sqlite_synchronous = sqlite_synchronous
        self.engine = make_engine(url, sqlite_synchronous, **kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(floor_write=True), expire_on_commit=False)
        # Changes published with floor.core.changes.publish reach subscribers after commit.
        self.feed = ChangeFeed(self.engine)
        self.feed.install(self._read, self._write)
        self.checkpointer: Checkpointer | None = None
        database = self.engine.url.database
        if is_sqlite(self.engine) and database and database != ":memory:":
            checkpointer = self.checkpointer = Checkpointer(database)
            event.listen(self.engine, "commit", lambda _conn: checkpointer.note_commit())

    @classmethod
    def from_config(cls, cfg: Config) -> Database:
        """Open the database the config names."""
        return cls(cfg.database_url, cfg.sqlite_synchronous)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def read_session(self) -> Session:
        """A session for reading; on SQLite it never blocks writers."""
        return self._read()

    def write_session(self) -> Session:
        """A session that writes; on SQLite it holds the write lock from its first statement."""
        return self._write()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """Run a block in one write transaction: commit on success, roll back on error."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Run a block in one read-only transaction."""
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def bulk_connection(self) -> Iterator[Connection]:
        """One connection for a long run of short write transactions that journal themselves (big imports).

        On SQLite its commits skip the fsync (`synchronous=NORMAL`), so each holds the write lock only for
        its own work: WAL keeps the commits in order, so a crash or power cut loses at most the last
        ones, never an earlier one, and the next FULL commit (anyone's) makes all of them durable.
        """
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            sqlite = self.dialect == "sqlite" and raw is not None
            if sqlite:
                raw.execute("PRAGMA synchronous=NORMAL")  # type: ignore[union-attr]
            try:
                yield conn.execution_options(floor_write=True)
            finally:
                if sqlite:
                    raw.execute(f"PRAGMA synchronous={self.sqlite_synchronous}")  # type: ignore[union-attr]

    def dispose(self) -> None:
        """Stop the change listener and the checkpoint thread; close every pooled connection."""
        self.feed.close()
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()
