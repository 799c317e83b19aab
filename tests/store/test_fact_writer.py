"""The quick-check hot path writes exactly what ``Store.write()`` would have written."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from station_rotation.core.events import Changes
from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.database import Store
from station_rotation.store.models import (
    ChangeLog,
    QuickCheck,
    QuickCheckData,
    Reflection,
    ReflectionData,
    SyncedRecord,
)

# Columns that differ between any two saves, whichever path: a new id, the time of saving.
PER_SAVE = {"change_id", "created_at", "seq"}
OBSERVED = datetime(2026, 3, 9, 10, 15, 30, 250000, tzinfo=UTC)


def _rows(data_dir: Path, table: str, where: str, value: str) -> list[dict[str, Any]]:
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(f"SELECT * FROM {table} WHERE {where} = ?", (value,)).fetchall()
    return [dict(row) for row in rows]


def _save_both_ways(
    tmp_path: Path, make: Callable[[str, str, str], SyncedRecord], table: type[SyncedRecord]
) -> dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], list[Changes]]]:
    """Save the same record (same id, same fields) once per path, each in its own copy of
    one data folder; returns each path's record rows, outbox rows and broadcast changes."""
    original = tmp_path / "original"
    original.mkdir()
    services = AppServices.open(original)
    try:
        section = create_sample_class(services, students=3)
        student = services.roster.roster(section.id)[0].student
        target = services.targets.list_for(section.id)[0]
        fields = make(section.id, student.id, target.id).model_dump()
    finally:
        services.close()
    results = {}
    for path in ("write", "write_fast"):
        data_dir = tmp_path / path
        shutil.copytree(original, data_dir)
        services = AppServices.open(data_dir)
        try:
            record = type(make("", "", "")).model_validate(fields)
            heard: list[Changes] = []
            services.store.bus.subscribe(heard.append)
            store: Store = services.store
            if path == "write":
                with store.write() as tx:
                    tx.put(table(**record.model_dump()))
            else:
                with store.write_fast() as tx:
                    tx.insert(table, record)
        finally:
            services.close()
        name = str(table.__tablename__)
        results[path] = (
            _rows(data_dir, name, "id", record.id),
            _rows(data_dir, "change_log", "record_id", record.id),
            heard,
        )
    return results


def _quick_check(class_id: str, student_id: str, target_id: str) -> SyncedRecord:
    return QuickCheckData(
        id="00000000-0000-4000-8000-000000000001",
        class_id=class_id,
        student_id=student_id,
        target_id=target_id,
        score=3,
        note="Explained it to her partner",
        observed_at=OBSERVED,
    )


def _reflection(class_id: str, student_id: str, target_id: str) -> SyncedRecord:
    return ReflectionData(
        id="00000000-0000-4000-8000-000000000002",
        class_id=class_id,
        student_id=student_id,
        target_id=target_id,
        confidence=2,
        words="Fractions still trip me up",
        observed_at=OBSERVED,
    )


@pytest.mark.parametrize(
    ("make", "table"), [(_quick_check, QuickCheck), (_reflection, Reflection)], ids=["check", "ref"]
)
def test_the_fast_path_writes_the_rows_store_write_writes(
    tmp_path: Path, make: Callable[[str, str, str], SyncedRecord], table: type[SyncedRecord]
) -> None:
    """A quick check (or reflection) saved on the hot path leaves the same record row, the
    same outbox row and the same broadcast as one saved through ``Store.write()``; only the
    stamp (each file's own clock), the change's id and the time of saving differ."""
    both = _save_both_ways(tmp_path, make, table)
    record_id = make("", "", "").id
    (slow_rows, slow_log, slow_heard), (fast_rows, fast_log, fast_heard) = (
        both["write"],
        both["write_fast"],
    )
    assert len(slow_rows) == len(fast_rows) == 1
    assert len(slow_log) == len(fast_log) == 1
    slow_row, fast_row = slow_rows[0], fast_rows[0]
    assert slow_row.keys() == fast_row.keys()
    assert {k: v for k, v in slow_row.items() if k != "hlc"} == {
        k: v for k, v in fast_row.items() if k != "hlc"
    }
    slow_entry, fast_entry = slow_log[0], fast_log[0]
    assert slow_entry.keys() == fast_entry.keys()
    for entry, row in ((slow_entry, slow_row), (fast_entry, fast_row)):
        assert entry["hlc"] == row["hlc"]  # the change carries the record's stamp
        assert json.loads(entry["payload"])["hlc"] == row["hlc"]
    same = {k for k in slow_entry if k not in PER_SAVE | {"hlc", "payload"}}
    assert {k: slow_entry[k] for k in same} == {k: fast_entry[k] for k in same}
    slow_payload = json.loads(slow_entry["payload"])
    fast_payload = json.loads(fast_entry["payload"])
    slow_payload.pop("hlc")
    fast_payload.pop("hlc")
    assert slow_payload == fast_payload
    assert slow_heard == fast_heard
    assert slow_heard == [Changes(frozenset({str(table.__tablename__)}), frozenset({record_id}))]


def test_the_clock_resumes_after_a_fast_write(data_dir: Path) -> None:
    """The fast path leaves its last stamp in the outbox only; a reopened store's clock
    still stamps later than it (the one thing ``Store.write()`` does that it does not)."""
    services = AppServices.open(data_dir)
    section = create_sample_class(services, students=3)
    student = services.roster.roster(section.id)[0].student
    target = services.targets.list_for(section.id)[0]
    check = services.quick_checks.record(
        class_id=section.id, student_id=student.id, target_id=target.id, score=2
    )
    services.close()
    again = Store.open(data_dir)
    try:
        assert again.clock.tick().encode() > check.hlc
    finally:
        again.close()


def test_the_fast_path_refuses_a_record_of_another_table(services: AppServices) -> None:
    """A reflection handed to the quick-check table is refused before anything is written."""
    section = create_sample_class(services, students=3)
    student = services.roster.roster(section.id)[0].student
    wrong = ReflectionData(class_id=section.id, student_id=student.id, confidence=2)
    with pytest.raises(TypeError, match="quick_check"), services.store.write_fast() as tx:
        tx.insert(QuickCheck, wrong)
    with services.store.read() as session:
        assert session.get(QuickCheck, wrong.id) is None
        assert session.get(Reflection, wrong.id) is None


PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")


def test_the_fast_connection_is_set_up_as_the_engine_sets_up_its_own(
    services: AppServices,
) -> None:
    """The fast path's long-lived connection got the engine's "connect" set-up (WAL, FULL
    sync, foreign keys, busy timeout); its BEGIN IMMEDIATE is the "begin" listener's."""
    section = create_sample_class(services, students=3)
    student = services.roster.roster(section.id)[0].student
    target = services.targets.list_for(section.id)[0]
    services.quick_checks.record(
        class_id=section.id, student_id=student.id, target_id=target.id, score=2
    )
    store = services.store
    fast = store._fast
    assert fast is not None
    with store.write_engine.connect() as other:
        expected = [other.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS]
    cursor = fast.cursor()
    try:
        got = [cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS]
    finally:
        cursor.close()
    assert got == expected == ["wal", 2, 1, 5000]


def test_both_paths_refuse_a_check_of_a_student_not_in_the_file(services: AppServices) -> None:
    """Foreign keys hold on both paths, refused the same way (SQLAlchemy's IntegrityError):
    nothing is saved, and the outbox stays as it was."""
    section = create_sample_class(services, students=3)
    target = services.targets.list_for(section.id)[0]
    with services.store.read() as session:
        queued = len(session.exec(select(ChangeLog)).all())
    for path in ("write", "write_fast"):
        check = QuickCheckData(
            class_id=section.id, student_id="not-a-student", target_id=target.id, score=2
        )
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            if path == "write":
                with services.store.write() as tx:
                    tx.put(QuickCheck(**check.model_dump()))
            else:
                with services.store.write_fast() as tx:
                    tx.insert(QuickCheck, check)
    with services.store.read() as session:
        assert len(session.exec(select(ChangeLog)).all()) == queued
        assert session.exec(select(QuickCheck)).all() == []
