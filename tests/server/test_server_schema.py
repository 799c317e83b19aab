"""The server's tables and migrations agree, and stay out of the laptop's schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import station_rotation.server.app  # imports every server table
import station_rotation.store.models  # noqa: F401  (the laptop tables)
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.server.tables import SERVER_METADATA


def test_server_migrations_match_its_tables(tmp_path: Path) -> None:
    """A server table change without a migration would break a district's database."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        upgrade(engine)
        upgrade(engine)  # running it again at the next start is harmless
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SERVER_METADATA)
    finally:
        engine.dispose()
    assert diff == []


def test_the_laptop_schema_never_gains_server_tables() -> None:
    """Importing the server must not add its tables to the laptop's metadata."""
    assert "received_change" not in SQLModel.metadata.tables
    assert "record" not in SQLModel.metadata.tables
    assert "student" not in SERVER_METADATA.tables
