"""One student, one record: a teacher's own OneRoster import on her laptop and the
district's ``load-roster`` of the same export converge, whichever comes first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from laptops import Laptop
from sqlmodel import Session

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.ids import roster_id
from station_rotation.server import admin
from station_rotation.server.roster import load_roster
from station_rotation.server.tables import ClassScope
from station_rotation.server.testing import LiveServer
from station_rotation.store.conflicts import list_conflicts
from tests.sync.roster_stories import (
    HER_CLASS,
    assert_one_record_each,
    check_everyone,
    district_roster,
    live,
    server_records,
)

Laptops = Callable[[], Laptop]


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_her_import_first_then_the_district_load_make_one_record_each(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Ms Rivera imports her class and records quick checks; her laptop syncs; then the
    district loads the same roster: one class, one record per student, her checks on them,
    the class hers by the roster now, and her second laptop gets the same."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    laptop.services.roster_import.import_roster(folder, HER_CLASS)
    checks = check_everyone(laptop.services)
    laptop.enrol(rivera)
    laptop.sync()

    report = load_roster(server.engine, folder)
    assert len(report.created_accounts) == 1  # t1's; t0 is her account (by e-mail)
    laptop.sync()

    assert_one_record_each(server, laptop)
    [section] = laptop.services.classes.list_classes()
    assert section.id == roster_id("class", "c0")
    kept = {c.id: c.student_id for c in laptop.services.quick_checks.history(section.id)}
    assert sorted(kept) == sorted(checks)
    students = {r.id: r for r in server_records(server, "student")}
    for check in server_records(server, "quick_check"):
        assert students[check.payload["student_id"]].district  # not an orphan
    assert all(r.district for r in server_records(server, "class_section"))
    with Session(server.engine) as session:
        scope = session.get(ClassScope, (rivera, section.id))
        assert scope is not None and scope.source == "roster"
    assert list_conflicts(laptop.store) == []
    assert laptop.pending() == 0

    second = laptops().enrol(rivera)
    second.sync()
    assert live(second.snapshot()["student"]) == live(laptop.snapshot()["student"])
    assert sorted(c.id for c in second.services.quick_checks.history(section.id)) == sorted(checks)


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_district_first_then_her_import_duplicates_nothing(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """The district loads the roster; Ms Rivera, not yet synced, imports her class on her
    laptop and records checks, then syncs: one record each; a re-import changes nothing."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    load_roster(server.engine, folder)
    laptop = laptops().enrol(rivera)
    laptop.services.roster_import.import_roster(folder, HER_CLASS)
    checks = check_everyone(laptop.services)
    report = laptop.sync()
    assert report.rejected == 0

    assert_one_record_each(server, laptop)
    [section] = laptop.services.classes.list_classes()
    assert sorted(c.id for c in laptop.services.quick_checks.history(section.id)) == sorted(checks)
    assert all(r.district for r in server_records(server, "student"))
    assert list_conflicts(laptop.store) == []

    before = laptop.snapshot()
    again = laptop.services.roster_import.import_roster(folder, HER_CLASS)
    assert (again.added, again.changed, again.archived, again.removed) == (0, 0, 0, 0)
    assert laptop.pending() == 0
    assert laptop.snapshot() == before


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_her_offline_import_before_the_district_load_makes_no_duplicates(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """She imports on her laptop offline; the district loads the roster later; then her
    laptop enrols and syncs for the first time: one record each, her checks kept, and
    nothing needs her attention (the district's copy says the same as hers)."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    laptop.services.roster_import.import_roster(folder, HER_CLASS)
    checks = check_everyone(laptop.services)
    load_roster(server.engine, folder)
    laptop.enrol(rivera)
    report = laptop.sync()
    assert report.rejected == 0

    assert_one_record_each(server, laptop)
    [section] = laptop.services.classes.list_classes()
    assert sorted(c.id for c in laptop.services.quick_checks.history(section.id)) == sorted(checks)
    assert [c.changed_fields() for c in list_conflicts(laptop.store)] == []


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_district_reload_after_her_pushed_import_takes_the_records_over(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """After her import reached the server first, the district's load makes the records
    the district's: a rename in the next export reaches her laptop, and the class can be
    given to another teacher by the roster."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    laptop.services.roster_import.import_roster(folder, HER_CLASS)
    laptop.enrol(rivera)
    laptop.sync()
    load_roster(server.engine, folder)
    assert load_roster(server.engine, folder).changed == 0  # the same export again

    renamed = write_roster(tmp_path / "roster", students=6, classes=2, renamed={"s0": "Samuel"})
    load_roster(server.engine, renamed)
    laptop.sync()
    student = laptop.services.roster.get_student(roster_id("student", "s0"))
    assert student.given_name == "Samuel"
    assert_one_record_each(server, laptop)
