"""The district's roster on the server: it comes down to the right laptops, its fields
stay the district's, and a class moved to another teacher leaves the first one's laptop."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from laptops import Laptop, server_snapshot
from sqlmodel import Session, select

from benchmarks.oneroster_gen import write_roster
from station_rotation.server import admin
from station_rotation.server.cli import main as server_cli
from station_rotation.server.tables import ClassScope, Record, ServerTeacher
from station_rotation.sync.conflicts import list_conflicts
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _edit_csv(path: Path, change: Callable[[list[str]], list[str]]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows = [rows[0], *(change(row) for row in rows[1:])]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def _load(server: LiveServer, folder: Path) -> None:
    url = server.settings.database_url
    assert server_cli(["--database-url", url, "load-roster", str(folder)]) == 0


def _account(server: LiveServer, source_id: str) -> str:
    with Session(server.engine) as session:
        found = session.exec(
            select(ServerTeacher).where(ServerTeacher.source_id == source_id)
        ).one()
        return found.id


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_the_district_roster_reaches_each_teachers_laptop(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Two classes, two teachers (one matched by e-mail to her existing account)."""
    folder = write_roster(tmp_path / "roster", students=6, classes=2)
    _edit_csv(
        folder / "users.csv",
        lambda row: [*row[:8], "pat0@lincoln.example", *row[9:]] if row[0] == "t0" else row,
    )
    rivera = admin.create_teacher(server.engine, "Pat Teacher0", "PAT0@lincoln.example")
    _load(server, folder)
    _load(server, folder)  # loading the same export again changes nothing
    assert _account(server, "t0") == rivera
    other = _account(server, "t1")

    hers = laptops().enrol(rivera)
    hers.sync()
    [section] = hers.services.classes.list_classes()
    assert (section.name, section.source_id) == ("Math 6 - 1", "c0")
    names = sorted(e.student.source_id or "" for e in hers.services.roster.roster(section.id))
    assert names == ["s0", "s2", "s4"]
    his = laptops().enrol(other)
    his.sync()
    assert [c.source_id for c in his.services.classes.list_classes()] == ["c1"]
    assert hers.pending() == his.pending() == 0


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_roster_fields_stay_the_districts(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """She renames a rostered student and gives him a preferred name: the roster's name
    comes back on the next sync (with a conflict record), her preferred name stays."""
    _load(server, write_roster(tmp_path / "roster", students=4, classes=1))
    laptop = laptops().enrol(_account(server, "t0"))
    laptop.sync()
    [section] = laptop.services.classes.list_classes()
    student = laptop.services.roster.roster(section.id)[0].student
    laptop.services.roster.update_student(student.id, given_name="Typo", preferred_name="Benji")
    laptop.services.classes.update_class(section.id, name="My math class")
    laptop.sync()
    laptop.sync()

    back = laptop.services.roster.get_student(student.id)
    assert (back.given_name, back.preferred_name) == (student.given_name, "Benji")
    assert laptop.services.classes.get_class(section.id).name == "Math 6 - 1"
    assert laptop.snapshot() == {k: v for k, v in server_snapshot(server).items()}
    lost = {c.lost.get("given_name") or c.lost.get("name") for c in list_conflicts(laptop.store)}
    assert lost == {"Typo", "My math class"}


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_class_moved_to_another_teacher_leaves_the_first_laptop(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """The district gives class c0 to t1: t0's laptop drops it, the server keeps it all."""
    folder = write_roster(tmp_path / "roster", students=4, classes=2)
    _load(server, folder)
    first = laptops().enrol(_account(server, "t0"))
    first.sync()
    [section] = first.services.classes.list_classes()
    first.services.stations.create(section.id, name="Made by t0")
    first.sync()

    _edit_csv(
        folder / "enrollments.csv",
        lambda row: [row[0], row[1], row[2], row[3], "t1", *row[5:]] if row[4] == "t0" else row,
    )
    _load(server, folder)
    first.sync()
    assert first.services.classes.list_classes() == []
    assert first.snapshot()["station"] == {}
    assert first.pending() == 0
    with Session(server.engine) as session:
        assert session.get(ClassScope, (_account(server, "t0"), section.id)) is None
        kept = session.exec(select(Record).where(Record.class_id == section.id)).all()
        assert "Made by t0" in {r.payload.get("name") for r in kept}
        # Nothing of the class is deleted; only t0's teaching link is retired.
        assert {r.entity for r in kept if r.deleted} == {"class_teacher"}

    second = laptops().enrol(_account(server, "t1"))
    second.sync()
    assert sorted(c.source_id or "" for c in second.services.classes.list_classes()) == [
        "c0",
        "c1",
    ]
    assert "Made by t0" in {s.name for s in second.services.stations.list_for(section.id)}
