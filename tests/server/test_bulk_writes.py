"""The push's bulk writes on PostgreSQL: a few rows (one statement) and many (COPY) agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SAWarning
from sqlmodel import Session

from station_rotation.server import admin, bulk
from station_rotation.server.database import make_engine
from station_rotation.server.exchange import _CLAIM_CLASS, _SET_LAST_SEQ
from station_rotation.server.migrate import upgrade
from station_rotation.server.tables import (
    ClassScope,
    Device,
    ReceivedChange,
    Record,
    SeqCounter,
)
from tests.live_server import new_postgres_database


def _received(i: int) -> dict[str, Any]:
    return {
        "change_id": f"change-{i}",
        "device_id": "device-1",
        "device_seq": i,
        "entity": "quick_check",
        "record_id": f"record-{i}",
        "raw": '{"note": "caf\\u00e9 \\"quoted\\"", "n": ' + str(i) + "}",
        "status": "applied",
        "reason": "",
        "received_at": datetime(2026, 11, 23, 23, 30, 1, 123456, tzinfo=UTC),
    }


def _record(i: int, seq: int) -> dict[str, Any]:
    return {
        "entity": "quick_check",
        "id": f"record-{i}",
        "hlc": f"0001-{i:04x}-device",
        "payload": {"score": i % 4 + 1, "text": 'é \\ " {}', "nested": {"a": [1, 2.5, None]}},
        "payload_version": 1,
        "deleted": i % 2 == 0,
        "class_id": "class-1",
        "owner_teacher_id": None,
        "server_seq": seq,
        "overwrote_hlc": "",
        "district": False,
        "field_hlcs": {"score": f"0001-{i:04x}-other"} if i % 3 == 0 else None,
    }


def test_few_rows_and_many_rows_are_stored_alike(postgres_admin_url: str) -> None:
    """21 rows (one ``INSERT``) and 150 rows (``COPY``) read back exactly as written."""
    engine = make_engine(new_postgres_database(postgres_admin_url))
    upgrade(engine)
    received: Any = ReceivedChange.__table__  # type: ignore[attr-defined]
    records: Any = Record.__table__  # type: ignore[attr-defined]
    few, many = range(1, 22), range(100, 250)
    assert len(few) <= bulk.FEW_ROWS < len(many)
    teacher = admin.create_teacher(engine, "Ms Rivera")
    with Session(engine) as session:
        session.add(Device(id="device-1", teacher_id=teacher, device_id="laptop", token_hash="x"))
        session.commit()
    with Session(engine) as session:
        for part in (few, many):
            bulk.insert_rows(session, received, [_received(i) for i in part], encoded=("raw",))
            bulk.insert_rows(session, records, [_record(i, i) for i in part])
        session.commit()
    with Session(engine) as session:
        stored = {row.change_id: row for row in session.execute(select(received))}
        kept = {row.id: row for row in session.execute(select(records))}
    for i in [*few, *many]:
        row = stored[f"change-{i}"]
        assert row.raw == {"note": 'café "quoted"', "n": i}
        assert row.received_at == _received(i)["received_at"]
        assert row.device_seq == i
        assert dict(kept[f"record-{i}"]._mapping) == _record(i, i)


def test_numbered_rows_take_the_next_numbers_in_their_order(postgres_admin_url: str) -> None:
    """``insert_numbered`` stores the counter's value plus each row's place, and moves it.

    The rows of another table and a row's update go in the same round trip (a push's
    received changes and its device's last number); with too many rows nothing is done.
    """
    engine = make_engine(new_postgres_database(postgres_admin_url))
    upgrade(engine)
    records: Any = Record.__table__  # type: ignore[attr-defined]
    received: Any = ReceivedChange.__table__  # type: ignore[attr-defined]
    devices: Any = Device.__table__  # type: ignore[attr-defined]
    counter: Any = SeqCounter.__table__  # type: ignore[attr-defined]
    teacher = admin.create_teacher(engine, "Ms Rivera")
    with Session(engine) as session:
        session.add(Device(id="device-1", teacher_id=teacher, device_id="laptop", token_hash="x"))
        session.commit()
    with Session(engine) as session:
        before = session.execute(select(counter.c.value)).scalar_one()
        rows = bulk.Rows(records, [_record(i, place) for place, i in enumerate([7, 3, 5], 1)])
        got = bulk.Rows(received, [_received(i) for i in (7, 3, 5)], frozenset({"raw"}))
        moved = (_SET_LAST_SEQ, {"device_row": "device-1", "last_seq": 7})
        assert bulk.insert_numbered(session, rows, "server_seq", counter, got, [moved])
        many = bulk.Rows(records, [_record(i, i) for i in range(200, 200 + bulk.FEW_ROWS + 1)])
        assert not bulk.insert_numbered(session, many, "server_seq", counter)
        session.commit()
    with Session(engine) as session:
        seqs = {r.id: r.server_seq for r in session.execute(select(records))}
        after = session.execute(select(counter.c.value)).scalar_one()
        stored = {r.change_id: r.raw for r in session.execute(select(received))}
        last_seq = session.execute(select(devices.c.last_seq)).scalar_one()
    assert after == before + 3
    assert [seqs["record-7"], seqs["record-3"], seqs["record-5"]] == [
        before + 1,
        before + 2,
        before + 3,
    ]
    assert "record-200" not in seqs
    assert stored == {f"change-{i}": {"note": 'café "quoted"', "n": i} for i in (7, 3, 5)}
    assert last_seq == 7


def test_a_record_row_reads_into_a_pending_record_in_column_order() -> None:
    """A push builds its records from rows by position: the fields follow the table."""
    from dataclasses import fields

    from station_rotation.server.exchange import _Pending

    columns = [c.name for c in Record.__table__.columns]  # type: ignore[attr-defined]
    assert [f.name for f in fields(_Pending)] == columns


def test_a_statement_sent_through_psycopg_takes_exactly_its_values() -> None:
    """A value missing, or one the compiled statement has no place for, is an error.

    An ``INSERT`` compiled without its values leaves out the columns ``values()`` does
    not name: a class's claim written that way lost its teacher and class without a word.
    """
    dialect: Any = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
    scopes: Any = ClassScope.__table__  # type: ignore[attr-defined]
    unnamed = insert(scopes).values(source="created")
    with pytest.raises(ValueError, match="takes no"), pytest.warns(SAWarning, match="primary"):
        bulk._raw_run((unnamed, {"teacher_id": "t-1", "class_id": "c-1"}), dialect)
    with pytest.raises(ValueError, match="no value for"):
        bulk._raw_run((_CLAIM_CLASS, {"teacher_id": "t-1"}), dialect)
    sql, values = bulk._raw_run((_CLAIM_CLASS, {"teacher_id": "t-1", "class_id": "c-1"}), dialect)
    assert values == {"teacher_id": "t-1", "class_id": "c-1", "source": "created"}
    assert "%(teacher_id)s" in sql and "%(class_id)s" in sql
