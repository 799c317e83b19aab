"""The first screen read with plain sqlite3 shows exactly what the services would show."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from station_rotation.core.errors import DataFileCorruptError
from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.first_screen_rows import (
    QuickClass,
    QuickEnrollment,
    QuickReader,
    QuickStudent,
)
from station_rotation.store.models import (
    ClassSection,
    ClassTeacher,
    Enrollment,
    Student,
    Teacher,
)


def _teacher_data(services: AppServices) -> tuple[str, str]:
    """A sample class with a student archived, one who left the district, one with a
    preferred name; a second class with a duplicate family name; a third archived."""
    sample = create_sample_class(services)
    roster = services.roster.roster(sample.id)
    services.roster.set_archived(sample.id, roster[0].student.id, True)
    with services.store.write() as tx:  # left the district (a roster import does this)
        student = tx.session.get(Student, roster[1].student.id)
        assert student is not None
        student.archived = True
        tx.put(student)
    services.roster.update_student(roster[2].student.id, preferred_name="Zed")
    second = services.classes.create_class(name="Art 3", subject="Art")
    for given in ("Ana", "ana", "Bo"):
        services.roster.add_student(second.id, given_name=given, family_name="Lee")
    old = services.classes.create_class(name="Old class")
    services.classes.set_archived(old.id, True)
    with services.store.write() as tx:  # the district's teachers of the sample class
        people = [
            Teacher(given_name="Cy", family_name="Lee"),
            Teacher(given_name="Ana", family_name="Rivera"),
            Teacher(email="bo@example.org"),
            Teacher(given_name="Gone", family_name="Away", deleted=True),
            Teacher(given_name="Left", family_name="Class"),
        ]
        for teacher in people:
            tx.put(teacher)
            tx.put(
                ClassTeacher(
                    class_id=sample.id, teacher_id=teacher.id, deleted=teacher.given_name == "Left"
                )
            )
    return sample.id, second.id


def _values(record: object, shape: type) -> dict[str, object]:
    return {field.name: getattr(record, field.name) for field in dataclasses.fields(shape)}


def test_rows_carry_every_field_of_their_tables() -> None:
    """The quick rows mirror the SQLModel tables, so a page reading either sees the same."""
    for quick, table in ((QuickClass, ClassSection), (QuickStudent, Student)):
        assert {f.name for f in dataclasses.fields(quick)} == set(table.model_fields)
    assert {f.name for f in dataclasses.fields(QuickEnrollment)} == set(Enrollment.model_fields)


def test_classes_and_rosters_match_the_services(services: AppServices, data_dir: Path) -> None:
    """Same classes, same order, same roster rows, filters and search as the services."""
    class_ids = _teacher_data(services)
    reader = QuickReader.open(data_dir)
    assert reader is not None
    try:
        for archived in (False, True):
            quick = reader.list_classes(include_archived=archived)
            real = services.classes.list_classes(include_archived=archived)
            assert [_values(c, QuickClass) for c in quick] == [_values(c, QuickClass) for c in real]
        for class_id in class_ids:
            for archived in (False, True):
                for search in ("", "  ZED ", "lee", "nobody"):
                    quick_roster = reader.roster(class_id, include_archived=archived, search=search)
                    real_roster = services.roster.roster(
                        class_id, include_archived=archived, search=search
                    )
                    assert [
                        (_values(e.student, QuickStudent), e.archived) for e in quick_roster
                    ] == [(_values(e.student, QuickStudent), e.archived) for e in real_roster]
        assert len(reader.roster(class_ids[0], include_archived=True)) == 28
        assert not reader.has_unfinished_run(class_ids[0])
        for class_id in class_ids:  # "Taught by": the same names, in the same order
            assert reader.teachers_of(class_id) == services.classes.teachers_of(class_id)
        assert reader.teachers_of(class_ids[0]) == ["Ana Rivera", "bo@example.org", "Cy Lee"]
    finally:
        reader.close()


def test_only_a_file_at_the_current_schema_is_read_quickly(data_dir: Path) -> None:
    """A new file or one needing a migration is left to the store; a damaged one is refused."""
    assert QuickReader.open(data_dir) is None  # nothing there yet: the store creates it
    AppServices.open(data_dir).close()
    reader = QuickReader.open(data_dir)
    assert reader is not None
    reader.close()

    db = data_dir / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='0003'")
    conn.commit()
    conn.close()
    assert QuickReader.open(data_dir) is None  # the store migrates (or refuses) it

    db.write_bytes(b"not a database" * 100)
    with pytest.raises(DataFileCorruptError, match="untouched"):
        QuickReader.open(data_dir)


def test_the_reader_cannot_write(services: AppServices, data_dir: Path) -> None:
    """Nothing is written before the real store is open: the connection is read-only."""
    reader = QuickReader.open(data_dir)
    assert reader is not None
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader._conn.execute("INSERT INTO device_state (key, value) VALUES ('x', 'y')")
    finally:
        reader.close()
