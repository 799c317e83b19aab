"""Digests of a small and of a large scope, read the way the app reads them.

A scope up to ``DIGEST_ROWS_AT_ONCE`` records is one plain query; a larger one is read
again through a server-side cursor in a transaction (of its own when the app reads in
autocommit on PostgreSQL). Both must hash exactly the teacher's records, on both
databases, read on the app's plain connection or in a session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert
from sqlmodel import Session

from station_rotation.server import admin, exchange
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.server.tables import ClassScope, Record
from station_rotation.sync.wire import record_json, table_digest
from tests.live_server import new_postgres_database


def _records(class_id: str, count: int, first_seq: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(count):
        record_id = str(uuid.uuid4())
        rows.append(
            {
                "entity": "quick_check",
                "id": record_id,
                "hlc": f"0000{i:08d}-0000-dev",
                "payload": {"id": record_id, "class_id": class_id, "score": i % 4},
                "payload_version": 1,
                "deleted": False,
                "class_id": class_id,
                "owner_teacher_id": None,
                "server_seq": first_seq + i,
                "overwrote_hlc": "",
                "district": False,
            }
        )
    return rows


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite3'}"
    return new_postgres_database(request.getfixturevalue("postgres_admin_url"))


@contextmanager
def _reading(engine: Engine, how: str) -> Iterator[Session | Connection]:
    """A reader as the app makes one (``connection``: a pull's or digest's plain
    connection, autocommit on PostgreSQL), or a session in autocommit or a transaction."""
    if how == "connection":
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection
        return
    with Session(engine) as db:
        if how == "session in autocommit":
            db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield db


@pytest.mark.parametrize("count", [30, exchange.DIGEST_ROWS_AT_ONCE + 7])
def test_a_scope_is_digested_whole_by_every_kind_of_reader(database_url: str, count: int) -> None:
    """On SQLite the large scope streams on the reader's own transaction: a second
    connection would wait for the write lock the first one holds (``database.py``)."""
    engine = make_engine(database_url)
    upgrade(engine)
    try:
        mine, other = str(uuid.uuid4()), str(uuid.uuid4())
        me, someone = (admin.create_teacher(engine, name) for name in ("Ms Rivera", "Mr Okafor"))
        rows = _records(mine, count, 1)
        with Session(engine) as db:
            db.execute(insert(Record.__table__), rows)  # type: ignore[attr-defined]
            db.execute(insert(Record.__table__), _records(other, 5, count + 1))  # type: ignore[attr-defined]
            for teacher, class_id in ((me, mine), (someone, other)):
                db.execute(
                    insert(ClassScope.__table__).values(  # type: ignore[attr-defined]
                        teacher_id=teacher, class_id=class_id, source="roster"
                    )
                )
            db.commit()
        expected = table_digest(
            "quick_check", [(r["id"], record_json(r["payload"], r["hlc"])) for r in rows]
        )
        ways = ["connection", "session in a transaction"]
        if engine.dialect.name == "postgresql":
            ways.append("session in autocommit")
        for how in ways:
            with _reading(engine, how) as reader:
                found = {d.entity: d for d in exchange.digests(reader, me)}
            assert found["quick_check"] == expected, how
            assert found["student"].count == 0, how
    finally:
        engine.dispose()
