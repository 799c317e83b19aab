"""Concurrent edits of one record: every device converges, and the loser sees both sides."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from laptops import Laptop, server_snapshot

from station_rotation.core.hlc import HlcStamp
from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync.client import SyncClient
from station_rotation.sync.conflicts import dismiss_conflict, list_conflicts
from station_rotation.sync.credentials import load_credentials
from station_rotation.sync.engine import SyncEngine
from station_rotation.sync.remote_apply import RemoteRecord, apply_page, cursor
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _pair(server: LiveServer, laptops: Laptops) -> tuple[Laptop, Laptop, str]:
    """One teacher's two synced laptops, a day fast and a day slow, and a station id."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    ahead = laptops()
    section = create_sample_class(ahead.services, students=2)
    ahead.enrol(teacher).sync()
    behind = laptops().enrol(teacher)
    behind.sync()
    ahead.skew_clock(+1)
    behind.skew_clock(-1)
    return ahead, behind, ahead.services.stations.list_for(section.id)[0].id


@pytest.mark.parametrize("first", ["winner", "loser"])
def test_the_laptop_whose_edit_lost_keeps_both_versions(
    server: LiveServer, laptops: Laptops, first: str
) -> None:
    """Both laptops rename one station offline; the later stamp wins the name everywhere.

    Whichever syncs first, the laptop whose name was overwritten has one conflict record
    holding its own version and the winning one; the winner has none. The capacity only
    the loser changed is no conflict: it is kept everywhere (fields merge one by one).
    """
    winner, loser, station = _pair(server, laptops)
    winner.services.stations.update(station, name="Reading corner")
    loser.services.stations.update(station, name="Listening post", capacity=5)

    order = [winner, loser] if first == "winner" else [loser, winner]
    for laptop in [*order, *order]:
        laptop.sync()

    assert winner.snapshot() == loser.snapshot() == server_snapshot(server)
    assert loser.services.stations.get(station).name == "Reading corner"
    assert winner.services.stations.get(station).capacity == 5
    assert list_conflicts(winner.store) == []
    [conflict] = list_conflicts(loser.store)
    assert (conflict.entity, conflict.record_id) == ("station", station)
    assert conflict.kept["name"] == "Reading corner"
    assert (conflict.lost["name"], conflict.lost["capacity"]) == ("Listening post", 5)
    assert conflict.lost_hlc < conflict.kept_hlc
    assert conflict.changed_fields() == ["name"]

    loser.sync()  # syncing again records nothing new
    assert len(list_conflicts(loser.store)) == 1
    assert dismiss_conflict(loser.store, conflict.id)
    assert list_conflicts(loser.store) == []
    assert [c.dismissed for c in list_conflicts(loser.store, include_dismissed=True)] == [True]
    assert not dismiss_conflict(loser.store, "no-such-conflict")


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_edits_one_after_the_other_are_not_conflicts(server: LiveServer, laptops: Laptops) -> None:
    """Home edits, syncs; school pulls, then edits: a normal sequence, no conflict anywhere."""
    home, school, station = _pair(server, laptops)
    home.services.stations.update(station, name="First")
    home.sync()
    school.sync()
    school.services.stations.update(station, name="Second")
    school.sync()
    home.sync()
    assert home.services.stations.get(station).name == "Second"
    assert list_conflicts(home.store) == list_conflicts(school.store) == []


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_an_unsent_local_edit_and_a_pulled_one_are_recorded(
    server: LiveServer, laptops: Laptops
) -> None:
    """A pull meets a local edit still waiting to go up: the newer stays, both are kept."""
    ahead, behind, station = _pair(server, laptops)
    ahead.services.stations.update(station, name="Newer, not sent yet")
    behind.services.stations.update(station, name="Older, sent first")
    behind.sync()
    credentials = load_credentials(ahead.data_dir)
    assert credentials is not None

    async def pull_only() -> None:
        async with SyncClient(server.url, credentials.token) as client:
            await SyncEngine(ahead.store, client).pull_all()

    asyncio.run(pull_only())
    [conflict] = list_conflicts(ahead.store)
    assert conflict.kept["name"] == "Newer, not sent yet"
    assert conflict.lost["name"] == "Older, sent first"
    ahead.sync()
    behind.sync()
    assert ahead.snapshot() == behind.snapshot() == server_snapshot(server)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_facts_never_conflict(server: LiveServer, laptops: Laptops) -> None:
    """A quick check pulled again under another stamp is a fact, never a conflict."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=1)
    target = laptop.services.targets.list_for(section.id)[0]
    student = laptop.services.roster.roster(section.id)[0].student
    check = laptop.services.quick_checks.record(
        class_id=section.id, student_id=student.id, target_id=target.id, score=2
    )
    laptop.enrol(teacher).sync()
    snapshot = laptop.snapshot()["quick_check"][check.id]
    mine = HlcStamp.decode(snapshot["hlc"])
    stamp = HlcStamp(mine.wall_ms + 1000, 0, "another-laptop").encode()
    # As if another laptop's copy replaced this one on the server (it never does for facts).
    remote = RemoteRecord("quick_check", check.id, stamp, {**snapshot}, snapshot["hlc"])
    apply_page(laptop.store, [remote], cursor(laptop.store))
    assert list_conflicts(laptop.store) == []
