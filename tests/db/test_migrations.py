"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from floor.db.migrate import current_revision, head_revision, upgrade
from floor.models import Base


def test_migrated_schema_matches_models(db):
    """GIVEN a database upgraded by the migrations WHEN compared with the models THEN there is no difference."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models and migrations differ; regenerate the migration: {diff[:5]}"
    assert current_revision(db.engine) == head_revision()


def test_upgrade_is_idempotent(db):
    """GIVEN a database at head WHEN upgrade runs again THEN it reports nothing to do."""
    assert upgrade(db.engine) is False
