"""A record this app version cannot read (a newer district server, or a damaged row).

Before: one such record failed every pull of every laptop of the teacher ("the server is
newer than this app"), so a newly enrolled laptop never received her class. Now: the
record is skipped with a plain message and a count, and everything else syncs; when the
server sends a readable version again, the record is taken and the message goes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from laptops import Laptop, synced_class
from sqlmodel import Session, select

from station_rotation.core.hlc import HlcStamp, wall_clock_ms
from station_rotation.server import admin
from station_rotation.server.bundle import import_bundle
from station_rotation.server.exchange import next_seq
from station_rotation.server.tables import Record
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync import remote_apply
from station_rotation.sync.bundle import export_bundle, import_reply
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _store_on_server(server: LiveServer, entity: str, record_id: str, **fields: Any) -> None:
    """Change a record on the server behind the API (a newer server version, or damage)."""
    with Session(server.engine) as session:
        row = session.exec(
            select(Record).where(Record.entity == entity, Record.id == record_id)
        ).one()
        row.payload = {**row.payload, **fields}
        row.hlc = HlcStamp(wall_clock_ms() + 60_000, 0, "district").encode()
        row.payload = {**row.payload, "hlc": row.hlc}
        row.server_seq = next_seq(session)
        session.add(row)
        session.commit()


def test_an_unreadable_record_is_skipped_and_the_rest_syncs(
    server: LiveServer, laptops: Laptops
) -> None:
    _, laptop, section = synced_class(server, laptops, 3)
    first, second = (s.id for s in laptop.services.stations.list_for(section.id)[:2])
    _store_on_server(server, "class_section", section.id, name={"en": "7B", "es": "7B"})
    _store_on_server(server, "station", first, name="Renamed at the district")
    laptop.services.stations.update(second, name="Edited before the sync")

    report = laptop.sync()

    assert laptop.pending() == 0  # the edit went up
    assert laptop.services.stations.get(first).name == "Renamed at the district"
    assert laptop.services.classes.get_class(section.id).name == section.name  # kept as it was
    [warning] = [w for w in report.warnings if "could not be read" in w]
    assert warning.startswith("1 record from the district server")
    assert "everything else synced" in warning
    assert report.repaired == []  # the skipped record's table is not "repaired" each time
    [skipped] = remote_apply.unreadable_records(laptop.store)
    assert (skipped.entity, skipped.record_id) == ("class_section", section.id)

    again = laptop.sync()  # the next sync says so again, and repairs nothing
    assert any("could not be read" in w for w in again.warnings) and again.repaired == []

    # The server holds a readable version again: taken, and the message goes.
    _store_on_server(server, "class_section", section.id, name="7B")
    report = laptop.sync()
    assert laptop.services.classes.get_class(section.id).name == "7B"
    assert not any("could not be read" in w for w in report.warnings)
    assert remote_apply.unreadable_records(laptop.store) == []


def test_by_usb_stick_an_unreadable_record_is_skipped_alike(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    _, laptop, section = synced_class(server, laptops, 3)
    first, second = (s.id for s in laptop.services.stations.list_for(section.id)[:2])
    _store_on_server(server, "station", first, capacity="many")
    laptop.services.stations.update(second, name="Edited again, by stick")

    request, reply = tmp_path / "rivera.srsync", tmp_path / "rivera-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    report = import_reply(laptop.store, laptop.data_dir, reply)

    assert laptop.pending() == 0  # acknowledged: the server holds the edit
    assert any(w.startswith("1 record from the district server") for w in report.warnings)
    assert report.to_repair == []
    [skipped] = remote_apply.unreadable_records(laptop.store)
    assert (skipped.entity, skipped.record_id) == ("station", first)


def test_a_record_whose_unreadable_parent_is_new_is_skipped_with_it(
    server: LiveServer, laptops: Laptops
) -> None:
    """A class this laptop never had comes unreadable: its stations cannot be stored
    without it, so they are skipped too (counted), and her other class syncs whole."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    maker = laptops()
    broken = create_sample_class(maker.services, students=2)
    kept = create_sample_class(maker.services, students=2)
    maker.enrol(teacher).sync()
    stations = len(maker.services.stations.list_for(broken.id))
    _store_on_server(server, "class_section", broken.id, name=None)

    fresh = laptops().enrol(teacher)
    report = fresh.sync()

    assert broken.id not in fresh.snapshot()["class_section"]
    assert kept.id in fresh.snapshot()["class_section"]
    assert len(fresh.services.stations.list_for(kept.id)) > 0
    skipped = remote_apply.unreadable_records(fresh.store)
    assert sum(s.entity == "station" for s in skipped) == stations
    assert any("could not be read" in w for w in report.warnings)
