"""The database ring: engine and sessions, migrations, SQLite WAL checkpoints."""

from floor.db.database import Database

__all__ = ["Database"]
