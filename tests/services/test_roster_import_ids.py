"""A roster record imported on the laptop gets the id the district gives it (issue 6)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import cast

import pytest
from sqlmodel import select

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.ids import roster_id
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import ImportOptions
from station_rotation.store.models import ClassSection, ClassTeacher, Enrollment, Student, Teacher


def test_roster_ids_are_the_ids_the_district_server_already_stores() -> None:
    """The ids are pinned: district servers hold records under them since the first load."""
    assert roster_id("class", "c0") == "24ad4303-8d3e-5d04-8d16-0f5aab88ec2d"
    assert roster_id("student", "s0") == "d705b458-9782-5006-8bd9-6790783546a5"
    assert roster_id("teacher", "t0") == "3140ff14-c253-576f-9fa1-d0ec07a3c74e"
    assert roster_id("enrollment", "c0", "s0") == "bf67babe-7fb1-5916-8b5e-cb0aea91ab16"
    assert roster_id("class_teacher", "c0", "t0") == "8ded43c3-7328-5a05-9d05-6023a3a276c4"
    with pytest.raises(ValueError):
        roster_id("student", "")


def test_a_oneroster_import_uses_the_districts_ids(services: AppServices, tmp_path: Path) -> None:
    """Every class, student, teacher, enrollment and link takes its sourcedId-derived id."""
    services.roster_import.import_roster(write_roster(tmp_path / "r", students=4, classes=2))
    with services.store.read() as session:
        classes = session.exec(select(ClassSection)).all()
        students = session.exec(select(Student)).all()
        teachers = session.exec(select(Teacher)).all()
        enrollments = session.exec(select(Enrollment)).all()
        links = session.exec(select(ClassTeacher)).all()
    assert {c.id for c in classes} == {roster_id("class", "c0"), roster_id("class", "c1")}
    assert {s.id for s in students} == {roster_id("student", f"s{i}") for i in range(4)}
    assert {t.id for t in teachers} == {roster_id("teacher", "t0"), roster_id("teacher", "t1")}
    assert {e.id for e in enrollments} == {
        roster_id("enrollment", f"c{i % 2}", f"s{i}") for i in range(4)
    }
    assert {link.id for link in links} == {
        roster_id("class_teacher", "c0", "t0"),
        roster_id("class_teacher", "c1", "t1"),
    }


def test_a_spreadsheet_without_sourcedids_keeps_random_ids(
    services: AppServices, tmp_path: Path
) -> None:
    """A plain CSV's students have no district id: random ids; one with a sourcedId column
    gets the district's id for that student."""
    section = services.classes.create_class(name="Science 7")
    path = tmp_path / "students.csv"
    path.write_text("Student ID,First Name,Surname,sourcedId\n1,Robert,Ng,\n2,Ana,Lopez,s7\n")
    services.roster_import.import_roster(path, ImportOptions(into_class_id=section.id))
    ids = {e.student.given_name: e.student.id for e in services.roster.roster(section.id)}
    assert ids["Ana"] == roster_id("student", "s7")
    assert uuid.UUID(ids["Robert"]).version == 4  # random
    with services.store.read() as session:
        enrollments = session.exec(select(Enrollment)).all()
    # The class is the teacher's own (no sourcedId): its enrollments are not the district's.
    assert [uuid.UUID(e.id).version for e in enrollments] == [4, 4]


def test_a_student_deleted_here_comes_back_under_the_same_id(
    services: AppServices, tmp_path: Path
) -> None:
    """A tombstoned roster student is revived by the next import, not inserted twice."""
    folder = write_roster(tmp_path / "r", students=2, classes=1)
    services.roster_import.import_roster(folder)
    gone = roster_id("student", "s0")
    with services.store.write() as tx:
        tx.delete(cast(Student, tx.session.get(Student, gone)))
    summary = services.roster_import.import_roster(folder)
    assert summary.added == 1
    with services.store.read() as session:
        back = session.get(Student, gone)
        assert back is not None and not back.deleted
        assert len(session.exec(select(Student)).all()) == 2
