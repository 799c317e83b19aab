"""Alembic environment for the local store (run by ``station_rotation.store.migrate``)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import station_rotation.store.models  # noqa: F401  (registers the tables)
from station_rotation.store.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url and url.startswith("sqlite:///")
    from pathlib import Path

    engine = make_engine(Path(url.removeprefix("sqlite:///")), immediate=True)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite cannot ALTER most things in place
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
