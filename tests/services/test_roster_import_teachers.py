"""The district roster names who teaches each class; the laptop keeps that, once, whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import col, select

from station_rotation.core.errors import ImportError_
from station_rotation.importing.oneroster import parse_oneroster
from station_rotation.importing.source import RosterSource
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import ImportOptions
from station_rotation.store.models import ChangeLog, ClassSection, ClassTeacher, Teacher

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "oneroster"


def _class_id(services: AppServices, source_id: str) -> str:
    with services.store.read() as session:
        found = session.exec(select(ClassSection).where(ClassSection.source_id == source_id))
        return found.one().id


def _people(services: AppServices) -> tuple[int, int]:
    with services.store.read() as session:
        return (
            len(session.exec(select(Teacher)).all()),
            len(
                session.exec(select(ClassTeacher).where(col(ClassTeacher.deleted).is_(False))).all()
            ),
        )


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def test_the_parser_tells_teachers_and_what_they_teach() -> None:
    """roles.csv (1.2) makes t0 and t1 teachers of c0 and c1; they are not students."""
    roster = parse_oneroster(RosterSource.open(FIXTURES / "quirky-1.2"))
    assert set(roster.teachers) == {"t0", "t1"}
    assert roster.teachers["t1"].family_name == "Teacher1"
    assert {(t.class_key, t.teacher_key) for t in roster.class_teachers} == {
        ("c0", "t0"),
        ("c1", "t1"),
    }
    only_c1 = roster.only_classes({"c1"})
    assert set(only_c1.teachers) == {"t1"} and len(only_c1.class_teachers) == 1


@pytest.mark.parametrize("fixture", ["plain-1.1", "quirky-1.2", "windows-1252-1.1"])
def test_each_class_keeps_its_teachers(services: AppServices, fixture: str) -> None:
    """After the import the class says who teaches it; the change is queued for sync."""
    services.roster_import.import_roster(FIXTURES / fixture)
    assert services.classes.teachers_of(_class_id(services, "c0")) == ["Pat Teacher0"]
    roster = services.roster.roster(_class_id(services, "c0"))
    assert all(not e.student.family_name.startswith("Teacher") for e in roster)
    with services.store.read() as session:
        entities = [c.entity for c in session.exec(select(ChangeLog))]
    teachers, links = _people(services)
    assert entities.count("teacher") == teachers and entities.count("class_teacher") == links
    assert links >= 1


def test_reimporting_keeps_one_of_each_teacher(services: AppServices) -> None:
    """The same export twice: the second preview has nothing to do, no teacher twice."""
    services.roster_import.import_roster(FIXTURES / "quirky-1.2")
    before = _people(services)
    plan = services.roster_import.preview(FIXTURES / "quirky-1.2")
    assert plan.empty, plan.summary()
    services.roster_import.apply(plan)
    assert _people(services) == before == (2, 2)
    assert services.classes.teachers_of(_class_id(services, "c1")) == ["Pat Teacher1"]


def test_a_teacher_renamed_and_moved_by_the_district(services: AppServices, tmp_path: Path) -> None:
    """Pat Teacher1 becomes Pat Rivera and takes c0 from Teacher0: renamed, old link removed."""
    services.roster_import.import_roster(FIXTURES / "quirky-1.2")
    folder = _copy("quirky-1.2", tmp_path)
    users = (folder / "users.csv").read_text(encoding="utf-8-sig")
    (folder / "users.csv").write_text(users.replace("Pat;Teacher1", "Pat;Rivera"), "utf-8")
    enrol = (folder / "enrollments.csv").read_text(encoding="utf-8-sig")
    (folder / "enrollments.csv").write_text(
        enrol.replace("et0;active;c0;org1;t0", "et0;active;c0;org1;t1"), "utf-8"
    )

    plan = services.roster_import.preview(folder)
    assert sorted((i.action, i.kind) for i in plan.items) == [
        ("add", "class_teacher"),
        ("change", "teacher"),
        ("remove", "class_teacher"),
    ]
    assert "removed: 1 class teacher" in plan.summary()
    summary = services.roster_import.apply(plan)
    assert summary.removed == 1 and str(summary).endswith(", 1 removed")
    assert services.classes.teachers_of(_class_id(services, "c0")) == ["Pat Rivera"]
    assert services.classes.teachers_of(_class_id(services, "c1")) == ["Pat Rivera"]
    with services.store.read() as session:
        gone = session.exec(select(ClassTeacher).where(col(ClassTeacher.deleted))).one()
        last = session.exec(select(ChangeLog).where(ChangeLog.record_id == gone.id)).all()[-1]
    assert last.op == "delete"  # the removal syncs as a tombstone
    assert _people(services) == (2, 2)


def test_one_class_taken_leaves_the_others_teachers(services: AppServices) -> None:
    """--class c1 stores only c1's teacher."""
    services.roster_import.import_roster(
        FIXTURES / "quirky-1.2", ImportOptions(classes=frozenset({"c1"}))
    )
    assert _people(services) == (1, 1)
    assert services.classes.teachers_of(_class_id(services, "c1")) == ["Pat Teacher1"]


def test_a_broken_export_stores_no_teacher_either(services: AppServices, tmp_path: Path) -> None:
    """A student enrollment of an unknown user refuses the whole file: no teacher is kept."""
    folder = _copy("quirky-1.2", tmp_path)
    with (folder / "enrollments.csv").open("a", encoding="utf-8") as f:
        f.write("es99;active;c0;org1;s99;student;FALSE\n")
    with pytest.raises(ImportError_, match="s99"):
        services.roster_import.import_roster(folder)
    assert _people(services) == (0, 0)
