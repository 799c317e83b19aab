"""Digests of a small and of a large scope, read the way the app reads them.

A scope up to ``DIGEST_ROWS_AT_ONCE`` records is one plain query; a larger one is read
again through a server-side cursor in a transaction of its own (the app reads in
autocommit on PostgreSQL). Both must hash exactly the teacher's records.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import insert
from sqlmodel import Session

from station_rotation.server import admin, exchange
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.server.tables import ClassScope, Record
from station_rotation.server.testing import new_postgres_database
from station_rotation.sync.wire import record_json, table_digest


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


@pytest.mark.parametrize("count", [30, exchange.DIGEST_ROWS_AT_ONCE + 7])
def test_a_scope_is_digested_whole_in_autocommit_and_in_a_transaction(
    postgres_admin_url: str, count: int
) -> None:
    engine = make_engine(new_postgres_database(postgres_admin_url))
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
        for isolation in ("AUTOCOMMIT", "READ COMMITTED"):  # the app's reads, a transaction
            with Session(engine) as db:
                db.connection(execution_options={"isolation_level": isolation})
                found = {d.entity: d for d in exchange.digests(db, me)}
            assert found["quick_check"] == expected
            assert found["student"].count == 0
    finally:
        engine.dispose()
