"""A roster a teacher imported before ids were derived (random ids) meets the district's
roster: at the laptop's first enrolment her records take the district's ids, so the first
sync makes one record each and her quick checks stay on her students."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from laptops import Laptop

from station_rotation.core.ids import roster_id
from station_rotation.server import admin
from station_rotation.server.roster import load_roster
from station_rotation.server.tables import Record
from station_rotation.sync.conflicts import list_conflicts
from tests.live_server import LiveServer
from tests.sync.roster_stories import (
    assert_one_record_each,
    check_everyone,
    district_roster,
    import_with_random_ids,
    live,
    server_records,
)

Laptops = Callable[[], Laptop]


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_an_old_import_meets_the_district_roster_at_her_first_enrolment(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Ms Rivera imported her class last term (random ids) and has months of checks; the
    district loads the roster; she connects the laptop on the Sync page and syncs: one
    record each, every check on the district's student, her second laptop the same."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    import_with_random_ids(laptop.services, folder)
    checks = check_everyone(laptop.services)
    load_roster(server.engine, folder)

    code = admin.issue_code(server.engine, rivera)
    asyncio.run(laptop.services.sync.enrol(server.url, code))
    report = laptop.sync()
    assert report.rejected == 0

    assert_one_record_each(server, laptop)
    [section] = laptop.services.classes.list_classes()
    history = laptop.services.quick_checks.history(section.id)
    assert sorted(c.id for c in history) == sorted(checks)
    assert {c.student_id for c in history} == {roster_id("student", s) for s in ("s0", "s2", "s4")}
    students: dict[Any, Record] = {r.id: r for r in server_records(server, "student")}
    assert all(
        students[c.payload["student_id"]].district for c in server_records(server, "quick_check")
    )
    assert [c.changed_fields() for c in list_conflicts(laptop.store)] == []
    assert laptop.pending() == 0

    second = laptops().enrol(rivera)
    second.sync()
    assert live(second.snapshot()["student"]) == live(laptop.snapshot()["student"])
    assert sorted(c.id for c in second.services.quick_checks.history(section.id)) == sorted(checks)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_an_old_import_enrolled_from_the_command_line(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """The same from `station-rotation sync --enrol`, with the district loading afterwards."""
    from station_rotation.cli.main import main

    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    import_with_random_ids(laptop.services, folder)
    checks = check_everyone(laptop.services)
    argv = ["--data-dir", str(laptop.data_dir), "sync", "--server", server.url]
    assert main([*argv, "--enrol", admin.issue_code(server.engine, rivera)]) == 0
    load_roster(server.engine, folder)
    assert main(argv) == 0

    assert_one_record_each(server, laptop)
    [section] = laptop.services.classes.list_classes()
    assert sorted(c.id for c in laptop.services.quick_checks.history(section.id)) == sorted(checks)
    assert [c.changed_fields() for c in list_conflicts(laptop.store)] == []


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_an_old_import_that_already_synced_loses_nothing_and_the_district_is_told(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Her laptop synced its old import before this version: the server holds it under the
    old ids, so it stays (the known gap: her class shows twice once the district loads).
    load-roster counts those copies for district staff; every check stays on its student."""
    folder = district_roster(tmp_path)
    rivera = admin.create_teacher(server.engine, "Ana Rivera", "rivera@lincoln.example")
    laptop = laptops()
    import_with_random_ids(laptop.services, folder)
    checks = check_everyone(laptop.services)
    laptop.enrol(rivera).sync()  # as the version before did: no re-keying

    report = load_roster(server.engine, folder)
    assert report.older_copies == 5  # her class, three students, her teacher record
    assert "5 classes or people were sent by teachers' laptops" in report.summary()
    laptop.sync()
    students = live(laptop.snapshot()["student"])
    history = [
        check for section in laptop.services.classes.list_classes()
        for check in laptop.services.quick_checks.history(section.id)
    ]  # fmt: skip
    assert sorted(c.id for c in history) == sorted(checks)
    assert all(c.student_id in students for c in history)
    assert laptop.pending() == 0
