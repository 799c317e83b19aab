"""Laptops pushing at the same time while another pulls: the pulling laptop misses nothing.

This is what the commit-ordered server sequence is for: with numbers handed out at
insert time, a push that commits late could publish a number below a cursor the
puller already passed, and that record would never reach it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from laptops import Laptop, server_snapshot

from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from tests.live_server import LiveServer

ROUNDS = 4


def test_a_laptop_pulling_during_concurrent_pushes_misses_nothing(
    server: LiveServer, laptops: Callable[[], Laptop]
) -> None:
    """Three laptops push classes at once, round after round; a fourth pulls all along."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    pushers = [laptops().enrol(teacher) for _ in range(3)]
    watcher = laptops().enrol(teacher)
    done = threading.Event()
    errors: list[BaseException] = []

    def push_rounds(laptop: Laptop) -> None:
        try:
            for _ in range(ROUNDS):
                create_sample_class(laptop.services, students=4)
                laptop.sync()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def keep_pulling() -> None:
        try:
            while not done.is_set():
                watcher.sync()
        except BaseException as exc:
            errors.append(exc)

    watching = threading.Thread(target=keep_pulling)
    watching.start()
    threads = [threading.Thread(target=push_rounds, args=(laptop,)) for laptop in pushers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watching.join()
    assert errors == []

    watcher.sync()  # from its cursor only: anything skipped earlier stays skipped
    assert watcher.snapshot() == server_snapshot(server)
    assert len(watcher.services.classes.list_classes()) == 3 * ROUNDS
