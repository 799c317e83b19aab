"""SQLAlchemy engines on the one SQLite file, with the pragmas that make it durable.

Two engines share the file: writes begin with ``BEGIN IMMEDIATE`` so that two writers
(the app and a command-line import) queue on ``busy_timeout`` instead of failing with a
lock upgrade error; reads begin a deferred transaction and never block writers (WAL).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 5000

# Applied on every new connection. synchronous=FULL: a commit the teacher saw is on
# disk even after a power cut; WAL lets the projector and entry grid read while a
# sync writes.
CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
)


def configure_connection(dbapi_conn: sqlite3.Connection) -> None:
    """Set the durability pragmas and take over transaction control from sqlite3."""
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _begin)
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        for pragma in CONNECTION_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def make_engine(db_path: Path, *, immediate: bool) -> Engine:
    """An engine on ``db_path``; ``immediate`` makes every transaction a write transaction."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )
    begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        configure_connection(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine
