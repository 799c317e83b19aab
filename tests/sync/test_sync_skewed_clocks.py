"""Two laptops of one teacher, clocks a day apart (issue 21, item 5).

Before: the laptop whose clock ran ahead won the whole record, so a field only the other
laptop changed was lost, and it went on winning every merge while its clock was wrong.
Now merges are per field (a one-sided field is never lost) and laptops stamp with their
clock corrected by the offset the server reports, so the truly later edit wins.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from laptops import Laptop, server_snapshot

from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync.conflicts import list_conflicts
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _skewed_pair(server: LiveServer, laptops: Laptops) -> tuple[Laptop, Laptop, str, str]:
    """Her laptops, one a day fast and one a day slow, a class synced to both: ids of
    two of its stations."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    fast = laptops()
    fast.skew_clock(+1)
    section = create_sample_class(fast.services, students=3)
    fast.enrol(teacher).sync()
    slow = laptops()
    slow.skew_clock(-1)
    slow.enrol(teacher).sync()
    first, second = (s.id for s in fast.services.stations.list_for(section.id)[:2])
    return fast, slow, first, second


def test_every_field_only_one_laptop_changed_survives(server: LiveServer, laptops: Laptops) -> None:
    fast, slow, station, other = _skewed_pair(server, laptops)
    fast.skew_clock(+1)  # offline since: the offsets they learned are lost again
    slow.skew_clock(-1)
    fast.services.stations.update(station, name="Reading corner", capacity=4)
    slow.services.stations.update(station, default_minutes=25, instructions="Bring a book")
    slow.services.stations.update(other, name="Listening post")
    fast.services.stations.update(other, default_minutes=10)

    for laptop in (fast, slow, fast, slow):
        laptop.sync()

    for laptop in (fast, slow):
        first = laptop.services.stations.get(station)
        assert (first.name, first.capacity) == ("Reading corner", 4)
        assert (first.default_minutes, first.instructions) == (25, "Bring a book")
        second = laptop.services.stations.get(other)
        assert (second.name, second.default_minutes) == ("Listening post", 10)
        assert list_conflicts(laptop.store) == []  # no field was changed on both sides
    assert fast.snapshot() == slow.snapshot() == server_snapshot(server)


def test_once_synced_the_truly_later_edit_wins_whatever_the_clocks_say(
    server: LiveServer, laptops: Laptops
) -> None:
    """Her clocks went wrong after the class was made; both laptops have synced since (each
    learned its clock's offset): the fast one renames a station, then the slow one, a
    moment later; the slow one's name wins everywhere, and the fast one keeps a conflict
    record with its own name."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    fast = laptops()
    section = create_sample_class(fast.services, students=3)
    fast.enrol(teacher).sync()
    slow = laptops().enrol(teacher)
    slow.sync()
    station = fast.services.stations.list_for(section.id)[0].id
    fast.skew_clock(+1)
    slow.skew_clock(-1)
    fast.sync()
    slow.sync()
    fast.services.stations.update(station, name="Renamed first")
    time.sleep(1.5)  # more than the offsets' measurement noise (the replies' travel time)
    slow.services.stations.update(station, name="Renamed a moment later")

    for laptop in (fast, slow, fast, slow):
        laptop.sync()

    assert fast.services.stations.get(station).name == "Renamed a moment later"
    assert slow.services.stations.get(station).name == "Renamed a moment later"
    [conflict] = list_conflicts(fast.store)
    assert conflict.lost["name"] == "Renamed first"
    assert list_conflicts(slow.store) == []
    assert fast.snapshot() == slow.snapshot() == server_snapshot(server)


def test_a_fast_laptop_stamps_at_the_servers_time_after_one_sync(
    server: LiveServer, laptops: Laptops
) -> None:
    """After one sync the laptop a day fast stamps its edits on the server's time (within
    a minute), not a day ahead."""
    fast, _slow, station, _ = _skewed_pair(server, laptops)
    fast.services.stations.update(station, name="After the sync")
    stamp = fast.store.clock.last().wall_ms
    assert abs(stamp - time.time() * 1000) < 60_000
