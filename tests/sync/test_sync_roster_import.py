"""One student, one record: a teacher's own OneRoster import on her laptop and the
district's ``load-roster`` of the same export converge, whichever comes first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from laptops import Laptop
from sqlmodel import Session

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.ids import roster_id
from station_rotation.server import admin
from station_rotation.server.roster import load_roster
from station_rotation.server.tables import ClassScope, PersonScope, Record
from station_rotation.services.roster.imports import ImportOptions
from station_rotation.store.models import Student
from station_rotation.sync.conflicts import list_conflicts
from tests.live_server import LiveServer
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
    students: dict[Any, Record] = {r.id: r for r in server_records(server, "student")}
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


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_two_teachers_importing_a_shared_student_before_the_district_both_sync(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Sam (s0) is in Ms Rivera's class and Mr Okafor's. Both import their class before the
    district loads anything: his push of Sam shares her record (same roster row), so his
    second laptop syncs whole; the district's load later keeps one Sam for both."""
    folder = district_roster(tmp_path)
    with (folder / "enrollments.csv").open("a", encoding="utf-8") as handle:
        handle.write("es0b,active,c1,org1,s0,student,FALSE\r\n")
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    okafor = admin.create_teacher(server.engine, "Ben Okafor")
    hers = laptops()
    hers.services.roster_import.import_roster(folder, HER_CLASS)
    hers.enrol(rivera).sync()
    his = laptops()
    his.services.roster_import.import_roster(folder, ImportOptions(classes=frozenset({"c1"})))
    his_checks = check_everyone(his.services)
    assert his.enrol(okafor).sync().rejected == 0
    assert his.sync().repaired == []  # his scope and his laptop agree

    other = laptops().enrol(okafor)
    other.sync()
    sam = roster_id("student", "s0")
    assert sam in live(other.snapshot()["student"])
    [section] = other.services.classes.list_classes()
    assert sorted(c.id for c in other.services.quick_checks.history(section.id)) == sorted(
        his_checks
    )

    load_roster(server.engine, folder)
    for laptop in (hers, his, other):
        laptop.sync()
    assert [r.id for r in server_records(server, "student") if r.payload["source_id"] == "s0"] == [
        sam
    ]
    assert live(his.snapshot()["student"]) == live(other.snapshot()["student"])
    assert sam in live(hers.snapshot()["student"])


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_roster_id_alone_does_not_open_another_teachers_student(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Knowing a sourcedId is not enough: a push of that student with other roster fields
    than hers is refused, and he cannot read her record."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    hers = laptops()
    hers.services.roster_import.import_roster(folder, HER_CLASS)
    hers.services.roster.update_student(roster_id("student", "s0"), support_notes="Private")
    hers.enrol(rivera).sync()

    sam = roster_id("student", "s0")
    prying = laptops()
    with prying.store.write() as tx:
        tx.put(Student(id=sam, given_name="Guess", source_id="s0"))
    someone = admin.create_teacher(server.engine, "Someone Else")
    assert prying.enrol(someone).sync().rejected == 1
    with Session(server.engine) as session:
        assert session.get(PersonScope, (someone, sam)) is None
        kept = session.get(Record, ("student", sam))
        assert kept is not None and kept.payload["support_notes"] == "Private"
        assert kept.payload["given_name"] != "Guess"


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_class_claimed_from_a_whole_district_file_goes_to_its_roster_teacher(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Mr Okafor imports the whole district file (both classes) and syncs before the district
    loads it: the roster then says Ms Rivera teaches c0, so c0 leaves his laptop and reaches
    hers; nothing he pushed is deleted on the server."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    okafor = admin.create_teacher(server.engine, "Ben Okafor")
    his = laptops()
    his.services.roster_import.import_roster(folder)
    [c0, _] = sorted(his.services.classes.list_classes(), key=lambda c: str(c.source_id))
    his.services.stations.create(c0.id, name="His station")
    his.enrol(okafor).sync()
    assert len(his.services.classes.list_classes()) == 2

    report = load_roster(server.engine, folder)
    assert report.scopes_removed == 2
    his.sync()
    assert his.services.classes.list_classes() == []
    hers = laptops().enrol(rivera)
    hers.sync()
    assert [c.id for c in hers.services.classes.list_classes()] == [roster_id("class", "c0")]
    assert "His station" in {s.name for s in hers.services.stations.list_for(c0.id)}
