"""The server's tables and migrations agree, and stay out of the laptop's schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import station_rotation.server.app  # imports every server table
import station_rotation.store.models  # noqa: F401  (the laptop tables)
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import alembic_config, upgrade
from station_rotation.server.tables import SERVER_METADATA, Record
from tests.live_server import new_postgres_database


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite3'}"
    return new_postgres_database(request.getfixturevalue("postgres_admin_url"))


def _record(record_id: str, class_id: str | None, owner: str | None) -> dict[str, Any]:
    return {
        "entity": "student" if class_id is None else "quick_check",
        "id": record_id,
        "hlc": "0001-0000-laptop",
        "payload": {"id": record_id},
        "class_id": class_id,
        "owner_teacher_id": owner,
        "server_seq": int.from_bytes(record_id.encode()) % 10**9,
    }


def test_a_record_has_a_class_or_an_owner_never_both(database_url: str) -> None:
    """The scope reads rely on it (``exchange._scope_arms``); the database refuses a row
    that breaks it. A database that already holds one keeps its class and drops its owner
    when it is upgraded."""
    engine = make_engine(database_url)
    records: Any = Record.__table__  # type: ignore[attr-defined]
    try:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:  # the schema before the rule, with a row breaking it
            config.attributes["connection"] = conn
            command.upgrade(config, "0003")
        with engine.begin() as conn:
            conn.execute(insert(records), [_record("both", "class-1", "teacher-1")])
        upgrade(engine)
        with engine.begin() as conn:
            row = conn.execute(select(records).where(records.c.id == "both")).one()
            assert (row.class_id, row.owner_teacher_id) == ("class-1", None)
            conn.execute(
                insert(records),
                [_record("check", "class-1", None), _record("person", None, "teacher-1")],
            )
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(records), [_record("again", "class-1", "teacher-1")])
    finally:
        engine.dispose()
