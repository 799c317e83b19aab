"""The server's engine: SQLite (with the laptop's durability pragmas) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url

from station_rotation.store.private_files import private_sqlite_file


def make_engine(url: str, connections: int = 10) -> Engine:
    """An engine for ``url``; SQLite writers take the lock up front (BEGIN IMMEDIATE).

    On PostgreSQL the pool keeps ``connections`` open: the server admits that many
    requests at a time (``ServerSettings.concurrent_requests``). A smaller pool with
    overflow closed each connection beyond it when its request ended, so under load
    PostgreSQL started a backend process for every other request.

    No ``pool_pre_ping``: it costs a round trip per request. A connection the database
    dropped fails its request instead; the app answers that with a retryable 503
    (``app.py``, ``connection_lost``) and the pool discards it.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=connections, max_overflow=10)
    _private_file_of(url)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _private_file_of(url: str) -> None:
    """The SQLite file (every teacher's data) and its journals readable by the server's
    account only (0600; created so before SQLite opens it, fixed if an older version
    left it readable by others). An in-memory database has no file."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        if path.parent.is_dir():  # else SQLite's own error says so on first use
            private_sqlite_file(path)
