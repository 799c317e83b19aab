"""Pull and digest read exactly a teacher's scope, once each record, on both databases.

A teacher reads her classes' records, the people she owns and the people shared with
her (``person_scope``). On PostgreSQL the three are read as separate index lookups
(``exchange._scope_arms``): a record must come once, and a big district must not be
read whole for one teacher's pull (the planner did, its statistics stale).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from station_rotation.server import admin, exchange
from station_rotation.server.app import _LOCKED_DEVICE
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.server.tables import ClassScope, PersonScope, Record
from station_rotation.sync.wire import PROTOCOL_VERSION, PullPage, PullRequest
from tests.live_server import new_postgres_database

RECORDS: Any = Record.__table__  # type: ignore[attr-defined]


def _record(entity: str, seq: int, class_id: str | None, owner: str | None) -> dict[str, Any]:
    record_id = str(uuid.uuid4())
    return {
        "entity": entity,
        "id": record_id,
        "hlc": f"0000{seq:08d}-0000-dev",
        "payload": {"id": record_id, "class_id": class_id},
        "payload_version": 1,
        "deleted": False,
        "class_id": class_id,
        "owner_teacher_id": owner,
        "server_seq": seq,
        "overwrote_hlc": "",
        "district": False,
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_admin_url"))
    made = make_engine(url)
    upgrade(made)
    yield made
    made.dispose()


def _district(engine: Engine, teachers: int, checks: int) -> tuple[str, set[tuple[str, str]]]:
    """``teachers`` teachers with a class of ``checks`` records and two students each.

    The first teacher also reads two students of the second (shared, as a co-taught
    roster person) and owns a teacher record. Returns her id and the keys she reads.
    """
    ids = [admin.create_teacher(engine, f"Teacher {n}") for n in range(teachers)]
    rows: list[dict[str, Any]] = []
    scopes: list[dict[str, Any]] = []

    def add(entity: str, class_id: str | None, owner: str | None) -> dict[str, Any]:
        rows.append(_record(entity, len(rows) + 1, class_id, owner))
        return rows[-1]

    for teacher in ids:
        class_id = str(uuid.uuid4())
        scopes.append({"teacher_id": teacher, "class_id": class_id, "source": "roster"})
        add("class_section", class_id, None)["id"] = class_id
        for _ in range(checks):
            add("quick_check", class_id, None)
        for _ in range(2):
            add("student", None, teacher)
    me, neighbour = ids[0], ids[1]
    add("teacher", None, me)
    shared = [r for r in rows if r["entity"] == "student" and r["owner_teacher_id"] == neighbour]
    with Session(engine) as db:
        db.execute(insert(RECORDS), rows)
        db.execute(insert(ClassScope.__table__), scopes)  # type: ignore[attr-defined]
        db.execute(
            insert(PersonScope.__table__),  # type: ignore[attr-defined]
            [{"teacher_id": me, "record_id": r["id"]} for r in shared],
        )
        db.commit()
    my_class = scopes[0]["class_id"]
    mine = {
        (r["entity"], r["id"])
        for r in rows
        if r["class_id"] == my_class or r["owner_teacher_id"] == me or r in shared
    }
    return me, mine


def test_pull_and_digest_read_the_whole_scope_once(engine: Engine) -> None:
    me, mine = _district(engine, teachers=5, checks=6)
    assert len(mine) == 1 + 6 + 2 + 2 + 1  # class, checks, own students, shared, teacher
    with Session(engine) as db:
        pulled: list[tuple[str, str]] = []
        seqs: list[int] = []
        cursor, more = 0, True
        while more:  # pages of 4: the arms' order and the limit hold across pages
            page, more = exchange.pull(
                db, me, PullRequest(protocol=PROTOCOL_VERSION, cursor=cursor, limit=4)
            )
            pulled += [(c.entity, c.record_id) for c in page]
            seqs += [c.server_seq for c in page]
            cursor = page[-1].server_seq if page else cursor
        digests = {d.entity: d.count for d in exchange.digests(db, me)}
    assert sorted(pulled) == sorted(mine)  # each record once
    assert seqs == sorted(seqs)
    assert digests["quick_check"] == 6
    assert digests["student"] == 4
    assert digests["teacher"] == 1
    assert digests["class_section"] == 1


def test_the_pull_reply_is_the_page_of_pull_as_json(engine: Engine) -> None:
    """``pull_reply`` sends the stored payload text on; it says what ``pull`` says.

    A payload with accents, quotes, a fraction and a null goes through unchanged.
    """
    me, _mine = _district(engine, teachers=2, checks=3)
    odd = {"note": 'Zoë said "ça va" \\ ok', "score": 2.5, "missing": None, "n": -3}
    with Session(engine) as db:
        db.execute(RECORDS.update().where(RECORDS.c.owner_teacher_id == me).values(payload=odd))
        db.commit()
        for cursor, limit in ((0, 500), (0, 4), (5, 4), (10_000, 10)):
            request = PullRequest(protocol=PROTOCOL_VERSION, cursor=cursor, limit=limit)
            page, more = exchange.pull(db, me, request)
            reply, count = exchange.pull_reply(db, me, request)
            decoded = PullPage.model_validate_json(reply)
            assert decoded.changes == page
            assert decoded.has_more is more
            assert count == len(page)
            assert decoded.next_cursor == (page[-1].server_seq if page else cursor)
        first, _more = exchange.pull(db, me, PullRequest(protocol=PROTOCOL_VERSION, cursor=0))
        assert sum(change.payload == odd for change in first) == 3  # 2 students, a teacher


def _scans(node: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(table, scan kind) of every scan in an ``EXPLAIN (FORMAT JSON)`` plan node."""
    if "Relation Name" in node:
        yield node["Relation Name"], node["Node Type"]
    for child in node.get("Plans", []):
        yield from _scans(child)


def test_a_pull_in_a_large_district_does_not_read_every_record(postgres_admin_url: str) -> None:
    """Fresh statistics or none: each arm of the scope is an index lookup."""
    engine = make_engine(new_postgres_database(postgres_admin_url))
    upgrade(engine)
    try:
        me, _mine = _district(engine, teachers=150, checks=20)
        dialect: Any = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
        for kind in ("pull", "digest-first"):
            compiled = exchange._read(kind, "postgresql").compile(dialect=dialect)
            values = {**compiled.params, "teacher_id": me, "cursor": 0, "limit": 501}
            with engine.connect() as connection:
                raw: Any = connection.connection.dbapi_connection
                for analysed in (False, True):
                    if analysed:
                        raw.execute("ANALYZE")
                    plan = raw.execute("EXPLAIN (FORMAT JSON) " + str(compiled), values)
                    scans = list(_scans(plan.fetchone()[0][0]["Plan"]))
                    assert any(table == "record" for table, _ in scans), scans
                    assert ("record", "Seq Scan") not in scans, (kind, analysed, scans)
    finally:
        engine.dispose()


def test_the_plans_postgresql_keeps_look_each_key_up(postgres_admin_url: str) -> None:
    """The generic plans of the sync reads (made and kept once psycopg prepares a
    statement) probe indexes, on nearly empty tables as on full ones.

    On a new server the plans are made while the tables are nearly empty: a plan that
    scans the table then scanned it for every push and pull as the district grew.
    """
    engine = make_engine(new_postgres_database(postgres_admin_url))
    upgrade(engine)
    reads = exchange._push_reads("postgresql")
    statements = {
        "device": _LOCKED_DEVICE,
        "records": reads.records,
        "received": reads.received,
        "people": reads.people,
        "pull": exchange._read("pull", "postgresql"),
        "pull of one entity": exchange._read("pull", "postgresql", True),
        "digest": exchange._read("digest-first", "postgresql"),
    }
    numbered: Any = postgresql.asyncpg.dialect()  # type: ignore[no-untyped-call]
    try:
        with engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            for filled in (False, True):
                if filled:
                    me, _mine = _district(engine, teachers=150, checks=20)
                    raw.execute(
                        "INSERT INTO device (id, teacher_id, device_id, name, token_hash, revoked,"
                        " created_at) VALUES ('laptop', %s, 'laptop', '', 'hash', false, now())",
                        (me,),
                    )
                    raw.execute(
                        "INSERT INTO received_change SELECT 'change-' || n, 'laptop', n,"
                        " 'quick_check', 'r-' || n, '{}', 'applied', '', now()"
                        " FROM generate_series(1, 3000) AS n"
                    )
                    raw.execute("ANALYZE")
                for name, statement in statements.items():
                    sql = str(statement.compile(dialect=numbered))  # $1, $2...: generic
                    plan = raw.execute("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql)
                    scans = list(_scans(plan.fetchone()[0][0]["Plan"]))
                    big = {"record", "received_change"}
                    assert not [s for s in scans if s[0] in big and s[1] == "Seq Scan"], (
                        name,
                        filled,
                        scans,
                    )
            raw.rollback()
    finally:
        engine.dispose()
