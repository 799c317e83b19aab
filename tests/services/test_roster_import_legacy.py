"""A roster imported before ids were derived takes the district's ids at the laptop's
first enrolment, everything that points at it following; a laptop that synced is left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlmodel import select

from station_rotation.core.ids import roster_id
from station_rotation.services.app import AppServices
from station_rotation.store.models import ChangeLog, RotationPlan, Student
from station_rotation.store.roster_ids import adopt_roster_ids
from station_rotation.sync import remote_apply
from tests.sync.roster_stories import check_everyone, district_roster, import_with_random_ids

DERIVED = {roster_id("student", s) for s in ("s0", "s2", "s4")}


def _old_ids(services: AppServices) -> set[str]:
    with services.store.read() as session:
        return {s.id for s in session.exec(select(Student))}


def _file_text(services: AppServices) -> str:
    """Every value in every table of the data file, as text."""
    db = sqlite3.connect(services.store.db_path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
        )
    finally:
        db.close()


def test_a_never_synced_import_takes_the_districts_ids_and_keeps_everything(
    services: AppServices, tmp_path: Path
) -> None:
    """Her class imported the old way, with checks, a reflection, a note and a plan: after
    adoption each record has the district's id, everything pointing at it follows (plan
    groups and the outbox too), and no old id is left anywhere in the file."""
    import_with_random_ids(services, district_roster(tmp_path))
    old = _old_ids(services)
    assert not old & DERIVED
    checks = check_everyone(services)
    [section] = services.classes.list_classes()
    first = services.roster.roster(section.id)[0].student
    services.student_notes.add(section.id, first.id, kind="comment", text="Loves ratio tables")
    services.plans.create(section.id, "Monday")
    services.quick_checks.record_reflection(class_id=section.id, student_id=first.id, confidence=3)
    waiting = remote_apply.pending_count(services.store)

    # class, 3 students, teacher, 3 enrollments, 1 class-teacher link
    assert adopt_roster_ids(services.store) == 9

    [section] = services.classes.list_classes()
    assert section.id == roster_id("class", "c0")
    assert _old_ids(services) == DERIVED
    history = services.quick_checks.history(section.id)
    assert sorted(c.id for c in history) == sorted(checks)
    assert {c.student_id for c in history} == DERIVED
    [reflection] = services.quick_checks.reflections(section.id)
    assert reflection.student_id == roster_id("student", str(first.source_id))
    [note] = services.student_notes.notes(section.id, roster_id("student", str(first.source_id)))
    assert note.text == "Loves ratio tables"
    with services.store.read() as session:
        [plan] = session.exec(select(RotationPlan)).all()
        outbox = session.exec(select(ChangeLog)).all()
    assert all(student in plan.body for student in DERIVED)
    assert remote_apply.pending_count(services.store) == waiting  # nothing added or lost
    assert {row.record_id for row in outbox if row.entity == "student"} == DERIVED
    text = _file_text(services)
    assert not [old_id for old_id in old if old_id in text]
    assert adopt_roster_ids(services.store) == 0  # once is enough


def test_a_laptop_that_synced_keeps_its_ids(services: AppServices, tmp_path: Path) -> None:
    """Once anything went to the district under the old ids, they stay (the server has them)."""
    import_with_random_ids(services, district_roster(tmp_path))
    old = _old_ids(services)
    remote_apply.write_state(services.store, remote_apply.CURSOR, "12")
    assert adopt_roster_ids(services.store) == 0
    assert _old_ids(services) == old


def test_a_sourcedid_carried_twice_is_left_alone(services: AppServices, tmp_path: Path) -> None:
    """Two records claiming one sourcedId cannot both be the district's: neither is re-keyed."""
    folder = district_roster(tmp_path)
    import_with_random_ids(services, folder)
    with services.store.write() as tx:
        tx.put(Student(given_name="Sam", family_name="Twin", source_id="s0"))
    # the class, s2, s4, the teacher, their 2 enrollments (not s0's), the teacher's link
    assert adopt_roster_ids(services.store) == 7
    with services.store.read() as session:
        twins = session.exec(select(Student).where(Student.source_id == "s0")).all()
    assert roster_id("student", "s0") not in {t.id for t in twins} and len(twins) == 2
