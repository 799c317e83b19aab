"""A record this app version cannot read (the district server runs a newer version).

Before: pydantic's ValidationError came out of ``apply_page`` as it was — a traceback on
the command line, "Something went wrong" on the page. Now: the project's plain error,
saying the server is newer and the app should be updated, with nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from laptops import Laptop
from sqlmodel import Session, select

from station_rotation.core.hlc import HlcStamp, wall_clock_ms
from station_rotation.server import admin
from station_rotation.server.bundle import import_bundle
from station_rotation.server.exchange import next_seq
from station_rotation.server.tables import Record
from station_rotation.server.testing import LiveServer
from station_rotation.services.sample import create_sample_class
from station_rotation.store import remote_apply
from station_rotation.sync.bundle import export_bundle, import_reply
from station_rotation.sync.bundle_file import BundleError
from station_rotation.sync.client import SyncError

Laptops = Callable[[], Laptop]


def _newer_version_of(server: LiveServer, class_id: str) -> None:
    """The district server (a newer version) now holds the class with a name this app's
    model cannot read (a name per language)."""
    with Session(server.engine) as session:
        row = session.exec(
            select(Record).where(Record.entity == "class_section", Record.id == class_id)
        ).one()
        row.payload = {**row.payload, "name": {"en": "7B", "es": "7B"}}
        row.hlc = HlcStamp(wall_clock_ms() + 60_000, 0, "district").encode()
        row.server_seq = next_seq(session)
        session.add(row)
        session.commit()


def test_a_record_from_a_newer_server_is_refused_in_plain_words(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher).sync()
    _newer_version_of(server, section.id)
    station = laptop.services.stations.list_for(section.id)[0].id
    laptop.services.stations.update(station, name="Edited before the sync")
    cursor, before = remote_apply.cursor(laptop.store), laptop.snapshot()

    with pytest.raises(SyncError, match="server is newer than this app") as network:
        laptop.sync()
    assert "Nothing was lost" in str(network.value)
    assert "update Station Rotation" in str(network.value)
    assert remote_apply.cursor(laptop.store) == cursor  # the page was not kept
    assert laptop.snapshot() == before
    assert laptop.pending() == 0  # the edit itself went up before the pull

    laptop.services.stations.update(station, name="Edited again, by stick")
    request, reply = tmp_path / "rivera.srsync", tmp_path / "rivera-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    before = laptop.snapshot()
    with pytest.raises(BundleError, match="district server is newer than this app") as usb:
        import_reply(laptop.store, laptop.data_dir, reply)
    assert "nothing was lost" in str(usb.value)
    assert remote_apply.cursor(laptop.store) == cursor
    assert laptop.snapshot() == before
    assert laptop.pending() == 0  # acknowledged: the server holds the edit
