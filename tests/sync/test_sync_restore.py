"""A laptop's data folder restored from an older backup, then synced over the network.

Its outbox numbers its new edits again from the backup's last number, numbers the
server already holds (with other edits): the server refuses them as reused. Nothing may
be lost, and enrolling the laptop again — what the refusal asks for — must let it sync.
Before, enrolling again continued the old sequence, so the laptop was refused for ever.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from laptops import Laptop, server_snapshot

from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncError
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_a_laptop_restored_from_a_backup_syncs_again_once_enrolled_again(
    server: LiveServer, laptops: Laptops
) -> None:
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher).sync()
    stations = [s.id for s in laptop.services.stations.list_for(section.id)]
    laptop.services.stations.update(stations[0], name="Waiting in the backup")

    laptop.close()  # Friday's backup: one edit not yet sent
    backup = laptop.data_dir.parent / "backup"
    shutil.copytree(laptop.data_dir, backup)
    laptop.services = type(laptop.services).open(laptop.data_dir)
    for n in range(3):
        laptop.services.stations.update(stations[1], name=f"Monday {n}")
    laptop.sync()  # the edit from Friday and Monday's three reach the district
    assert laptop.pending() == 0

    laptop.close()  # Tuesday: the disk fails; IT restores Friday's backup
    shutil.rmtree(laptop.data_dir)
    shutil.copytree(backup, laptop.data_dir)
    laptop.services = type(laptop.services).open(laptop.data_dir)
    laptop.services.stations.update(stations[2], name="After the restore")
    laptop.services.classes.update_class(section.id, name="7B after the restore")
    waiting = laptop.pending()
    assert waiting == 3  # Friday's edit (sent since) and the two new ones

    with pytest.raises(SyncError, match="enrol this laptop again") as refused:
        laptop.sync()
    assert "restored from a backup" in str(refused.value)
    assert "Nothing is lost" in str(refused.value)
    assert laptop.pending() == 2  # Friday's edit was a duplicate; the new ones are kept
    assert laptop.services.stations.get(stations[2]).name == "After the restore"

    laptop.enrol(teacher)  # what the message asks for
    laptop.sync()
    assert laptop.pending() == 0
    assert remote_apply.needs_attention(laptop.store) == []
    assert laptop.services.stations.get(stations[1]).name == "Monday 2"  # pulled back
    other = laptops().enrol(teacher)
    other.sync()
    assert other.services.stations.get(stations[2]).name == "After the restore"
    assert other.snapshot()["class_section"][section.id]["name"] == "7B after the restore"
    assert laptop.snapshot() == other.snapshot() == server_snapshot(server)

    laptop.services.stations.update(stations[0], name="And on it goes")
    laptop.sync()  # its new sequence goes on from there
    assert laptop.pending() == 0
