"""Schema migrations with Alembic: bring any database to the current schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic config pointing at floor's migration scripts."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision among floor's migration scripts."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine) -> bool:
    """Upgrade the database to the newest schema; return True if anything ran."""
    if current_revision(engine) == head_revision():
        return False
    _migrate(engine, "head", command.upgrade)
    return True


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to an older revision (tests of data migrations; never done on a site)."""
    _migrate(engine, revision, command.downgrade)


def _migrate(engine: Engine, revision: str, step: Callable[[AlembicConfig, str], None]) -> None:
    """Run Alembic to `revision` in one transaction (on SQLite with foreign keys off while tables are rebuilt)."""
    cfg = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, revision)
        return
    # SQLite changes a table's constraints by rebuilding it (Alembic's batch mode: copy, drop, rename).
    # Dropping a table other rows point at fails while foreign keys are enforced, so, as SQLite's
    # documentation prescribes for such rebuilds, enforcement is off during the migration (the pragma only
    # takes effect outside a transaction), every reference is checked before commit, then it is on again.
    with engine.connect() as conn:
        raw = conn.connection.driver_connection  # outside SQLAlchemy's transaction: floor's "begin" emits BEGIN
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
