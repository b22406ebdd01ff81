"""Developer tool: write a new Alembic migration from the difference between models and migrations."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from floor.db.migrate import alembic_config


def main(message: str) -> None:
    """Upgrade a scratch SQLite database to head, then autogenerate the difference to the models."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
        cfg = alembic_config(url)
        engine = create_engine(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            # One past the highest number, not the file count: branches are given ids, so there are gaps.
            versions = (Path(__file__).parent / "migrations" / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
            last = max((int(p.name[:4]) for p in versions), default=0)
            command.revision(cfg, message=message, autogenerate=True, rev_id=f"{last + 1:04d}")


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
