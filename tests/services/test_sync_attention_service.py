"""What sync needs the teacher to look at, without a window: conflicts and refused changes.

Two real laptops (services on their own data files) and a real district server on a
loopback port; the laptops sync through the same ``SyncService`` the Sync page uses.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from station_rotation.cli.main import main
from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.server import admin
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection, Station
from station_rotation.sync import remote_apply
from station_rotation.sync.conflicts import list_conflicts
from tests.live_server import LiveServer


@pytest.fixture
def district(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(f"sqlite:///{tmp_path / 'district.sqlite3'}").start()
    yield live
    live.stop()


Laptops = Callable[[str], AppServices]


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Laptops]:
    made: list[AppServices] = []

    def make(name: str) -> AppServices:
        services = AppServices.open(tmp_path / name)
        services.sync.attempts, services.sync.max_wait = 2, 0.05
        made.append(services)
        return services

    yield make
    for services in made:
        services.close()


def _enrol(services: AppServices, district: LiveServer, teacher: str) -> None:
    code = admin.issue_code(district.engine, teacher)
    asyncio.run(services.sync.enrol(district.url, code))


def _sync(services: AppServices) -> None:
    outcome = asyncio.run(services.sync.sync_now())
    assert outcome.ok, outcome.message


def _two_laptops(
    laptop: Laptops, district: LiveServer, students: int
) -> tuple[AppServices, AppServices, ClassSection]:
    """Ms Rivera's school and home laptops, both synced with her sample class."""
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    school, home = laptop("school"), laptop("home")
    section = create_sample_class(school, students=students)
    _enrol(school, district, teacher)
    _sync(school)
    _enrol(home, district, teacher)
    _sync(home)
    return school, home, section


def test_keep_mine_puts_her_version_back_on_both_laptops(
    laptop: Laptops, district: LiveServer
) -> None:
    """Her school laptop's rename lost to her home laptop's; "keep mine" wins everywhere."""
    school, home, section = _two_laptops(laptop, district, 3)
    station = school.stations.list_for(section.id)[0]

    school.stations.update(station.id, name="Reading corner", capacity=5)  # offline
    home.stations.update(station.id, name="Listening post")  # later: this one wins
    _sync(home)
    _sync(school)
    assert school.stations.get(station.id).name == "Listening post"

    attention = school.sync.status().attention
    assert attention.count == 1 and attention.refused == ()
    [item] = attention.conflicts
    assert item.what == f"station “Listening post” in {section.name}"
    assert item.lost.mine and item.lost.by == "this laptop"
    assert item.kept.by == "another laptop" and item.can_restore
    assert item.lost.at is not None and item.kept.at is not None
    assert item.lost.at <= item.kept.at
    shown = {d.label: (d.first, d.second) for d in item.differences}
    # The capacity only this laptop changed was merged in: no difference to show.
    assert shown == {"Name": ("Reading corner", "Listening post")}
    assert school.stations.get(station.id).capacity == 5

    school.sync.attention.restore_overwritten(item.id)
    assert school.stations.get(station.id).name == "Reading corner"
    assert school.stations.get(station.id).capacity == 5
    assert school.sync.status().attention.count == 0
    assert school.sync.status().waiting == 1  # a new edit, queued for sync
    _sync(school)
    _sync(home)
    for services in (school, home):
        mine = services.stations.get(station.id)
        assert (mine.name, mine.capacity) == ("Reading corner", 5)
    assert list_conflicts(home.store) == []  # she chose after seeing theirs: no new conflict
    with pytest.raises(NotFoundError, match="already been dealt with"):
        school.sync.attention.restore_overwritten(item.id)


def test_keep_theirs_only_marks_the_conflict_seen(laptop: Laptops, district: LiveServer) -> None:
    """Choosing the version in use changes no record and sends nothing."""
    school, home, section = _two_laptops(laptop, district, 2)
    target = school.targets.list_for(section.id)[0]
    school.targets.update(target.id, statement="I can compare ratios")
    home.targets.update(target.id, statement="I can explain ratios")
    _sync(home)
    _sync(school)
    [item] = school.sync.status().attention.conflicts
    assert item.what.startswith("learning target “") and item.what.endswith(section.name)
    assert [d.label for d in item.differences] == ["Statement"]

    school.sync.attention.keep_current(item.id)
    status = school.sync.status()
    assert status.attention.count == 0 and status.waiting == 0
    assert school.targets.list_for(section.id)[0].statement == "I can explain ratios"
    assert [c.dismissed for c in list_conflicts(school.store, include_dismissed=True)] == [True]


def test_a_refused_change_says_why_and_can_be_sent_again(
    laptop: Laptops, district: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A station added to a class the server gives another teacher: why, what to do, retry."""
    rivera = admin.create_teacher(district.engine, "Ms Rivera")
    okafor = admin.create_teacher(district.engine, "Mr Okafor")
    hers, his = laptop("hers"), laptop("his")
    section = hers.classes.create_class(name="6B Maths")  # no students: he may not read hers
    hers.stations.create(section.id, name="Teacher table")
    _enrol(hers, district, rivera)
    _sync(hers)
    _enrol(his, district, okafor)
    _sync(his)
    with his.store.write() as tx:  # he co-teaches it, but the district has not said so
        tx.put(ClassSection(id=section.id, name="6B Maths (shared)"))
        tx.put(Station(class_id=section.id, name="Maker table"))
    _sync(his)

    status = his.sync.status()
    assert status.attention.count == 2
    first, second = status.attention.refused
    assert first.what == "class “6B Maths (shared)”"
    assert first.reason == "This class belongs to another teacher."
    assert "ask your district to assign it to you" in first.advice
    assert second.what == "station “Maker table” in 6B Maths (shared)"
    assert second.reason == "This change is for a class that is not yours on the server."

    his.sync.attention.dismiss_refused(first.change_id)
    assert [i.change_id for i in his.sync.status().attention.refused] == [second.change_id]
    assert len(remote_apply.needs_attention(his.store)) == 2  # sync's own list is untouched
    # The command line lists what the page lists: the dismissed refusal no more.
    assert main(["--data-dir", str(his.store.data_dir), "sync"]) == 0
    printed = capsys.readouterr().out
    assert "Needs attention: station “Maker table” in 6B Maths (shared)" in printed
    assert "ask your district" in printed
    assert "6B Maths (shared)”:" not in printed  # the dismissed class refusal

    admin.assign_class(district.engine, okafor, section.id)
    his.sync.attention.send_again(second.change_id)
    assert his.sync.status().attention.count == 0
    _sync(his)
    assert his.sync.status().attention.count == 0  # accepted this time
    _sync(hers)
    assert "Maker table" in {s.name for s in hers.stations.list_for(section.id)}
    with pytest.raises(NotFoundError):
        his.sync.attention.dismiss_refused("no-such-change")


def test_changes_the_server_will_not_take_are_listed_with_the_reason(
    laptop: Laptops, district: LiveServer, tmp_path: Path
) -> None:
    """A copied data folder cannot send its changes: the page says why, and nothing is lost."""
    teacher = admin.create_teacher(district.engine, "Ms Chen")
    original = laptop("original")
    section = create_sample_class(original, students=2)
    _enrol(original, district, teacher)
    _sync(original)
    original.close()
    shutil.copytree(tmp_path / "original", tmp_path / "copy")
    original = laptop("original")
    copy = laptop("copy")
    station = original.stations.list_for(section.id)[0].id
    original.stations.update(station, name="From the original")
    copy.stations.update(station, name="From the copy")
    _sync(original)

    outcome = asyncio.run(copy.sync.sync_now())
    assert not outcome.ok and outcome.held_back
    status = copy.sync.status()
    assert status.waiting == 1  # kept on the laptop
    assert status.attention.count == 1
    assert status.attention.held_back is not None
    assert "copy of another laptop" in status.attention.held_back
    assert not original.sync.status().attention.count


def test_an_unreachable_server_is_not_a_refusal(laptop: Laptops, district: LiveServer) -> None:
    """Offline is the status line's business: nothing needs the teacher's attention."""
    teacher = admin.create_teacher(district.engine, "Ms Chen")
    alone = laptop("alone")
    create_sample_class(alone, students=2)
    _enrol(alone, district, teacher)
    district.stop()
    outcome = asyncio.run(alone.sync.sync_now())
    assert outcome.offline and not outcome.held_back
    assert alone.sync.status().attention.count == 0


def test_the_districts_roster_fields_cannot_be_put_back(
    laptop: Laptops, district: LiveServer, tmp_path: Path
) -> None:
    """She fixed a rostered student's given name: the district's comes back, and she is told
    to ask the district office rather than offered "Keep mine"."""
    from benchmarks.oneroster_gen import write_roster
    from station_rotation.server.cli import main as server_cli
    from station_rotation.server.tables import ServerTeacher

    folder = write_roster(tmp_path / "roster", students=4, classes=1)
    url = district.settings.database_url
    assert server_cli(["--database-url", url, "load-roster", str(folder)]) == 0
    with Session(district.engine) as session:
        teacher = session.exec(select(ServerTeacher).where(ServerTeacher.source_id == "t0")).one()
    hers = laptop("hers")
    _enrol(hers, district, teacher.id)
    _sync(hers)
    [section] = hers.classes.list_classes()
    student = hers.roster.roster(section.id)[0].student
    hers.roster.update_student(student.id, given_name="Typo", preferred_name="Benji")
    _sync(hers)
    _sync(hers)

    [item] = hers.sync.status().attention.conflicts
    assert item.kept.district and item.kept.by == "the district's roster"
    assert not item.can_restore
    assert item.what == f"student Benji {student.family_name}"
    assert [(d.label, d.first, d.second) for d in item.differences] == [
        ("Given name", "Typo", student.given_name)
    ]
    with pytest.raises(ValidationError, match="Ask your district office"):
        hers.sync.attention.restore_overwritten(item.id)
    hers.sync.attention.keep_current(item.id)
    assert hers.sync.status().attention.count == 0


def test_a_plan_conflict_reads_as_groups_and_paths(laptop: Laptops, district: LiveServer) -> None:
    """Both laptops moved the same student into different groups: she reads who went where."""
    school, home, section = _two_laptops(laptop, district, 8)
    plan = school.plans.create(section.id, "Fractions", date(2026, 11, 24))
    _sync(school)
    _sync(home)
    first, second, third = plan.body.groups[:3]
    student = first.student_ids[0]
    school.plans.move_student(plan.id, student, second.id)
    home.plans.move_student(plan.id, student, third.id)
    _sync(home)
    _sync(school)

    [item] = school.sync.status().attention.conflicts
    assert item.what == f"plan “Fractions” for Tue 24 Nov 2026 in {section.name}"
    moved = school.roster.get_student(student).display_name
    rows = {d.label: (d.first, d.second) for d in item.differences}
    assert list(rows) == [f"Group {second.name}", f"Group {third.name}"]  # both left the first
    mine, theirs = rows[f"Group {second.name}"]
    size = len(second.student_ids)
    assert mine.startswith(f"{size + 1} students: ") and moved in mine
    assert theirs.startswith(f"{size} students: ") and moved not in theirs
    mine, theirs = rows[f"Group {third.name}"]
    assert moved not in mine and moved in theirs
    assert all("{" not in text and "_id" not in text for pair in rows.values() for text in pair)

    school.sync.attention.restore_overwritten(item.id)
    _sync(school)
    _sync(home)
    for services in (school, home):
        groups = {g.id: g.student_ids for g in services.plans.get(plan.id).body.groups}
        assert student in groups[second.id] and student not in groups[third.id]


def test_a_damaged_conflict_row_does_not_hide_the_sync_status(
    laptop: Laptops, district: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A conflict row garbled on disk: the status (and the status line) still reads, and
    the other conflicts are still shown; only the garbled one is left out (and logged)."""
    school, home, section = _two_laptops(laptop, district, 2)
    first, second = school.stations.list_for(section.id)[:2]
    school.stations.update(first.id, name="Reading corner")
    school.stations.update(second.id, name="Maths games")
    home.stations.update(first.id, name="Listening post")
    home.stations.update(second.id, name="Number talk")
    _sync(home)
    _sync(school)
    assert school.sync.status().attention.count == 2
    with sqlite3.connect(school.store.db_path) as raw:
        raw.execute(
            "UPDATE sync_conflict SET kept_payload = 'not json' WHERE record_id = ?", (first.id,)
        )

    status = school.sync.status()
    assert status.enrolled and status.last_synced is not None and status.waiting == 0
    assert [c.record_id for c in status.attention.conflicts] == [second.id]
    assert "could not read a conflict record" in caplog.text
