"""Alembic environment of the district server (its own metadata, never the laptop's)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from station_rotation.server.tables import SERVER_METADATA

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=SERVER_METADATA, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
else:
    context.configure(connection=connection, target_metadata=SERVER_METADATA, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
