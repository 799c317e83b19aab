"""A laptop's copy damaged behind sync's back is repaired by the digest check."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable

import pytest
from laptops import Laptop, server_snapshot

from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync.client import SyncClient
from station_rotation.sync.credentials import load_credentials
from station_rotation.sync.engine import SyncEngine
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_a_lost_and_a_damaged_row_come_back_from_the_server(
    server: LiveServer, laptops: Laptops
) -> None:
    """A station deleted and another renamed straight in the file (no stamp, no outbox):
    the cursor alone would never notice; the next sync's digest does and re-pulls."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher).sync()
    expected = server_snapshot(server)
    stations = [s.id for s in laptop.services.stations.list_for(section.id)]
    with sqlite3.connect(laptop.store.db_path) as db:
        db.execute("DELETE FROM station WHERE id = ?", (stations[0],))
        db.execute("UPDATE station SET name = 'garbled' WHERE id = ?", (stations[1],))
    assert laptop.snapshot() != expected

    report = laptop.sync()
    assert report.repaired == ["station"]
    assert laptop.snapshot() == expected
    assert laptop.pending() == 0  # repairs are not sent back
    assert laptop.sync().repaired == []  # and the next sync finds nothing to repair


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_newer_local_edit_survives_a_repair(server: LiveServer, laptops: Laptops) -> None:
    """The re-pull replaces damaged rows, never an edit still waiting to go up."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher).sync()
    first, second = (s.id for s in laptop.services.stations.list_for(section.id)[:2])
    with sqlite3.connect(laptop.store.db_path) as db:
        db.execute("UPDATE station SET capacity = 99 WHERE id = ?", (second,))
    laptop.services.stations.update(first, name="Edited, not sent")

    credentials = load_credentials(laptop.data_dir)
    assert credentials is not None

    async def verify_only() -> list[str]:
        async with SyncClient(server.url, credentials.token) as client:
            return (await SyncEngine(laptop.store, client).verify_digests()).repaired

    assert asyncio.run(verify_only()) == ["station"]
    assert laptop.services.stations.get(first).name == "Edited, not sent"
    assert laptop.services.stations.get(second).capacity != 99
    assert laptop.pending() == 1
