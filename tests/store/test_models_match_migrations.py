"""The SQLModel tables and the migration scripts describe the same schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, create_engine

import station_rotation.store.models  # noqa: F401  (registers the tables)
from station_rotation.store.migrate import upgrade


def test_no_table_or_column_is_missing_a_migration(tmp_path: Path) -> None:
    """A model change without a migration would break every existing teacher's file."""
    db = tmp_path / "schema.sqlite3"
    upgrade(db)
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []
