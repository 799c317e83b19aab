"""A district admin's roster reaches the teacher's laptop: import, re-import, leavers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.errors import ImportError_
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import ImportOptions
from station_rotation.store.models import ChangeLog, ClassSection, Enrollment, Student


def _counts(services: AppServices) -> tuple[int, int, int]:
    with services.store.read() as session:
        return (
            len(session.exec(select(ClassSection)).all()),
            len(session.exec(select(Student)).all()),
            len(session.exec(select(Enrollment)).all()),
        )


def _class_of(services: AppServices, source_id: str) -> ClassSection:
    with services.store.read() as session:
        found = session.exec(select(ClassSection).where(ClassSection.source_id == source_id))
        return found.one()


def test_import_a_district_roster(services: AppServices, tmp_path: Path) -> None:
    """Two classes of 10 students arrive with names, ids, school year; teachers are not students."""
    folder = write_roster(tmp_path / "export", students=20, classes=2)
    summary = services.roster_import.import_roster(folder)
    # 2 classes, 20 students, 20 enrollments, 2 teachers and who teaches which class.
    assert (summary.added, summary.changed, summary.archived) == (46, 0, 0)
    section = _class_of(services, "c0")
    assert (section.name, section.subject, section.grade) == ("Math 6 - 1", "Math", "06")
    assert section.school_year == "2026-27" and section.period == "1"
    roster = services.roster.roster(section.id)
    assert len(roster) == 10
    assert all(not e.student.family_name.startswith("Teacher") for e in roster)
    assert summary.class_ids == [section.id, _class_of(services, "c1").id]


def test_every_imported_record_is_queued_for_sync(services: AppServices, tmp_path: Path) -> None:
    """The import goes through the outbox: one change per class, student and enrollment."""
    services.roster_import.import_roster(write_roster(tmp_path / "x", students=5, classes=1))
    with services.store.read() as session:
        entities = [c.entity for c in session.exec(select(ChangeLog))]
    assert entities.count("class_section") == 1
    assert entities.count("student") == 5 and entities.count("enrollment") == 5


def test_reimport_never_duplicates(services: AppServices, tmp_path: Path) -> None:
    """Importing the same export twice finds nothing to do the second time."""
    folder = write_roster(tmp_path / "x", students=12, classes=2)
    services.roster_import.import_roster(folder)
    before = _counts(services)
    plan = services.roster_import.preview(folder)
    assert plan.empty, plan.summary()
    services.roster_import.apply(plan)
    assert _counts(services) == before


def test_updated_roster_changes_a_name(services: AppServices, tmp_path: Path) -> None:
    """A corrected given name in the district file updates the student, showing old -> new."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=6))
    updated = write_roster(tmp_path / "b", students=6, renamed={"s2": "Charlotte"})
    plan = services.roster_import.preview(updated)
    [change] = [i for i in plan.items if i.action == "change"]
    assert change.kind == "student" and change.describe() == "given_name: 'Chloé' -> 'Charlotte'"
    services.roster_import.apply(plan)
    names = [e.student.given_name for e in services.roster.roster(_class_of(services, "c0").id)]
    assert "Charlotte" in names and "Chloé" not in names and len(names) == 6


def test_tobedeleted_archives_the_student(services: AppServices, tmp_path: Path) -> None:
    """status=tobedeleted takes the student off the roster but keeps their record."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=6))
    plan = services.roster_import.preview(write_roster(tmp_path / "b", students=6, deleted={"s1"}))
    assert plan.count("archive") == 2 and plan.count("add") == 0  # the student + the enrollment
    services.roster_import.apply(plan)
    section = _class_of(services, "c0")
    assert len(services.roster.roster(section.id)) == 5
    assert len(services.roster.roster(section.id, include_archived=True)) == 6


def test_missing_from_a_bulk_file_archives(services: AppServices, tmp_path: Path) -> None:
    """A student the district's full export no longer lists has left: archived, not deleted."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=6))
    plan = services.roster_import.preview(write_roster(tmp_path / "b", students=6, omit={"s4"}))
    assert plan.count("archive", "student") == 1 and plan.count("archive", "enrollment") == 1
    services.roster_import.apply(plan)
    assert _counts(services) == (1, 6, 6)
    assert len(services.roster.roster(_class_of(services, "c0").id)) == 5


def test_archiving_keeps_quick_check_history(services: AppServices, tmp_path: Path) -> None:
    """A leaver's quick checks survive the import, and come back with the student."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=3))
    section = _class_of(services, "c0")
    target = services.targets.create(section.id, statement="I can add fractions")
    leaver = next(
        e.student for e in services.roster.roster(section.id) if e.student.source_id == "s0"
    )
    services.quick_checks.record(
        class_id=section.id, student_id=leaver.id, target_id=target.id, score=3
    )
    services.roster_import.import_roster(write_roster(tmp_path / "b", students=3, omit={"s0"}))
    assert len(services.quick_checks.history(section.id, student_id=leaver.id)) == 1
    services.roster_import.import_roster(write_roster(tmp_path / "c", students=3))
    assert leaver.id in {e.student.id for e in services.roster.roster(section.id)}
    assert len(services.quick_checks.history(section.id, student_id=leaver.id)) == 1


def test_only_the_chosen_class(services: AppServices, tmp_path: Path) -> None:
    """--class takes one class of a district file and archives nothing elsewhere."""
    folder = write_roster(tmp_path / "a", students=10, classes=2)
    summary = services.roster_import.import_roster(folder, ImportOptions(classes=frozenset({"c1"})))
    assert _counts(services) == (1, 5, 5) and summary.class_ids == [_class_of(services, "c1").id]


def test_plain_csv_into_an_existing_class(services: AppServices, tmp_path: Path) -> None:
    """A teacher's own spreadsheet adds students to their class, matched by student id next time."""
    section = services.classes.create_class(name="Science 7")
    path = tmp_path / "students.csv"
    path.write_text("Student ID,First Name,Surname,Nickname\n1,Robert,Ng,Bobby\n2,Ana,Lopez,\n")
    options = ImportOptions(into_class_id=section.id)
    assert services.roster_import.import_roster(path, options).added == 4
    path.write_text("Student ID,First Name,Surname,Nickname\n1,Robert,Ng-Li,Bobby\n2,Ana,Lopez,\n")
    plan = services.roster_import.preview(path, options)
    assert [(i.action, i.describe()) for i in plan.items] == [
        ("change", "family_name: 'Ng' -> 'Ng-Li'")
    ]
    services.roster_import.apply(plan)
    names = [e.student.display_name for e in services.roster.roster(section.id)]
    assert names == ["Ana Lopez", "Bobby Ng-Li"]


def test_bad_enrollment_writes_nothing(services: AppServices, tmp_path: Path) -> None:
    """An enrollment naming a class not in classes.csv is refused with its line; nothing saved."""
    folder = write_roster(tmp_path / "a", students=4)
    with (folder / "enrollments.csv").open("a") as f:
        f.write("e99,active,c404,org1,s1,student,false\r\n")
    with pytest.raises(ImportError_, match=r"enrollments.csv, line 7, column 'classSourcedId'"):
        services.roster_import.import_roster(folder)
    assert _counts(services) == (0, 0, 0)


def test_failure_midway_rolls_back(services: AppServices, tmp_path: Path) -> None:
    """A record changed between preview and apply makes the whole import refuse, all or nothing."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=4))
    plan = services.roster_import.preview(
        write_roster(tmp_path / "b", students=6, renamed={"s3": "Zed"})
    )
    student = next(i for i in plan.items if i.action == "change")
    services.roster.update_student(student.record_id, given_name="Edited meanwhile")
    with pytest.raises(ImportError_, match="Preview the import again"):
        services.roster_import.apply(plan)
    assert _counts(services) == (1, 4, 4)
    db = sqlite3.connect(services.store.db_path)
    assert db.execute("select count(*) from student where given_name='Zed'").fetchone() == (0,)
    db.close()


def _science_class(services: AppServices, tmp_path: Path) -> tuple[ClassSection, Path]:
    """Science 7 with three students from the teacher's spreadsheet; the new file lists two."""
    section = services.classes.create_class(name="Science 7")
    path = tmp_path / "science.csv"
    path.write_text("Student ID,First Name,Surname\n1,Robert,Ng\n2,Ana,Lopez\n3,Kim,Park\n")
    services.roster_import.import_roster(path, ImportOptions(into_class_id=section.id))
    path.write_text("Student ID,First Name,Surname\n1,Robert,Ng\n3,Kim,Park\n")
    return section, path


def test_plain_csv_names_who_it_leaves_out_and_keeps_them(
    services: AppServices, tmp_path: Path
) -> None:
    """A re-imported spreadsheet without Ana says so; by default Ana stays on the roster."""
    section, path = _science_class(services, tmp_path)
    options = ImportOptions(into_class_id=section.id)
    plan = services.roster_import.preview(path, options)
    assert plan.not_in_file == ["Ana Lopez"] and not plan.archive_missing
    assert plan.empty
    services.roster_import.apply(plan)
    names = [e.student.display_name for e in services.roster.roster(section.id)]
    assert names == ["Ana Lopez", "Robert Ng", "Kim Park"]


def test_plain_csv_archives_who_it_leaves_out_when_asked(
    services: AppServices, tmp_path: Path
) -> None:
    """Asked to, the import archives Ana's place in the class (not deleted, restorable)."""
    section, path = _science_class(services, tmp_path)
    options = ImportOptions(into_class_id=section.id, archive_missing=True)
    plan = services.roster_import.preview(path, options)
    assert plan.not_in_file == ["Ana Lopez"] and plan.archive_missing
    assert [(i.action, i.kind, i.label) for i in plan.items] == [
        ("archive", "enrollment", "Ana Lopez in Science 7")
    ]
    summary = services.roster_import.apply(plan)
    assert (summary.added, summary.changed, summary.archived) == (0, 0, 1)
    everyone = services.roster.roster(section.id, include_archived=True)
    assert [(e.student.display_name, e.archived) for e in everyone] == [
        ("Ana Lopez", True),
        ("Robert Ng", False),
        ("Kim Park", False),
    ]
    ana = everyone[0].student
    services.roster.set_archived(section.id, ana.id, False)  # the Roster page's Restore
    assert len(services.roster.roster(section.id)) == 3
    # Nobody is missing now that the file and the roster agree, except Ana again.
    assert services.roster_import.preview(path, options).not_in_file == ["Ana Lopez"]


def test_archiving_who_is_left_out_is_all_or_nothing(services: AppServices, tmp_path: Path) -> None:
    """Ana edited between preview and import: nothing is archived and nothing else written."""
    section, path = _science_class(services, tmp_path)
    path.write_text("Student ID,First Name,Surname\n1,Robert,Ng-Li\n3,Kim,Park\n")
    plan = services.roster_import.preview(
        path, ImportOptions(into_class_id=section.id, archive_missing=True)
    )
    ana = next(e for e in services.roster.roster(section.id) if e.student.given_name == "Ana")
    services.roster.set_archived(section.id, ana.student.id, True)
    services.roster.set_archived(section.id, ana.student.id, False)  # a new stamp meanwhile
    with pytest.raises(ImportError_, match="Preview the import again"):
        services.roster_import.apply(plan)
    names = [e.student.display_name for e in services.roster.roster(section.id)]
    assert names == ["Ana Lopez", "Robert Ng", "Kim Park"]  # Robert not renamed either


def test_a_bulk_oneroster_file_still_archives_on_its_own(
    services: AppServices, tmp_path: Path
) -> None:
    """OneRoster's rule is unchanged: a full export archives who it no longer lists."""
    services.roster_import.import_roster(write_roster(tmp_path / "a", students=6))
    plan = services.roster_import.preview(write_roster(tmp_path / "b", students=5))
    assert plan.not_in_file == [] and plan.count("archive", "student") == 1
