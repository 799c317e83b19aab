"""A damaged outbox row no longer stops a laptop's sync (issue 21, item 6).

Before: one outbox row holding invalid UTF-8 (a bad disk sector, a bad copy) ended every
sync in a traceback, and nothing was sent, not even the undamaged changes. Now the
damaged change is kept aside raw (``damaged_change``), its place in the laptop's
sequence goes up as a stand-in the server answers and acknowledges, every other change
syncs, and the teacher reads what happened and what to do.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from laptops import Laptop, server_snapshot, synced_class
from sqlmodel import Session, select

from station_rotation.paths import DB_FILENAME
from station_rotation.server.bundle import import_bundle
from station_rotation.server.tables import ReceivedChange, RefusedPush
from station_rotation.sync import remote_apply
from station_rotation.sync.bundle import export_bundle, import_reply
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]

DAMAGES = {
    "not text": b'{"name": "Reading\xff corner", "id": "',
    "not JSON": b'{"name": "Reading corner", "id": ',
}


def _damage_payload(laptop: Laptop, seq: int, raw: bytes) -> None:
    """Overwrite one outbox row's payload behind the app's back, as a bad sector would."""
    conn = sqlite3.connect(laptop.data_dir / DB_FILENAME)
    try:
        conn.execute("UPDATE change_log SET payload = CAST(? AS TEXT) WHERE seq = ?", (raw, seq))
        conn.commit()
    finally:
        conn.close()


def _kept_aside(laptop: Laptop) -> list[tuple[int, bytes]]:
    """The damaged changes the laptop keeps, raw: (sequence number, payload bytes)."""
    conn = sqlite3.connect(laptop.data_dir / DB_FILENAME)
    try:
        return list(conn.execute("SELECT seq, payload FROM damaged_change ORDER BY seq"))
    finally:
        conn.close()


def _three_edits(laptop: Laptop, section_id: str) -> tuple[list[str], list[int]]:
    """Rename three stations offline: their ids and the outbox numbers of the renames."""
    stations = [s.id for s in laptop.services.stations.list_for(section_id)[:3]]
    for n, station in enumerate(stations):
        laptop.services.stations.update(station, name=f"Renamed {n}")
    seqs = [e.seq for e in remote_apply.pending(laptop.store, 100)]
    assert len(seqs) == 3
    return stations, seqs


def _received(server: LiveServer) -> list[ReceivedChange]:
    with Session(server.engine) as session:
        return list(session.exec(select(ReceivedChange)))


def _refused(server: LiveServer) -> list[RefusedPush]:
    with Session(server.engine) as session:
        return list(session.exec(select(RefusedPush)))


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_the_undamaged_changes_sync_and_the_damaged_one_is_kept_aside(
    server: LiveServer, laptops: Laptops, kind: str
) -> None:
    teacher, laptop, section = synced_class(server, laptops, 3)
    stations, seqs = _three_edits(laptop, section.id)
    _damage_payload(laptop, seqs[1], DAMAGES[kind])
    received_before = len(_received(server))

    report = laptop.sync()

    # Every undamaged change reached the district; the damaged one did not.
    on_server = server_snapshot(server)["station"]
    assert on_server[stations[0]]["name"] == "Renamed 0"
    assert on_server[stations[2]]["name"] == "Renamed 2"
    assert on_server[stations[1]]["name"] != "Renamed 1"
    assert laptop.pending() == 0
    # Kept on the laptop, byte for byte.
    assert _kept_aside(laptop) == [(seqs[1], DAMAGES[kind])]
    # In plain words: what happened and what to do.
    [warning] = [w for w in report.warnings if "damaged" in w]
    assert warning.startswith("1 change on this laptop is damaged and was not sent")
    assert "kept aside" in warning and "Everything else synced" in warning
    assert "station-rotation check-db" in warning
    assert report.rejected == 0  # not one of the server's refusals
    assert not laptop.services.sync.attention.read().refused
    # The server took its place in the sequence: nothing refused, nothing twice.
    assert _refused(server) == []
    received = _received(server)
    assert len(received) == received_before + 3
    [stand_in] = [r for r in received if r.status == "rejected"]
    assert stand_in.device_seq == seqs[1] and "damaged on the laptop" in stand_in.reason

    # Her second laptop gets the two changes that went up.
    other = laptops().enrol(teacher)
    other.sync()
    names = {s.id: s.name for s in other.services.stations.list_for(section.id)}
    assert names[stations[0]] == "Renamed 0" and names[stations[2]] == "Renamed 2"

    # The next sync sends nothing again and keeps saying so, without an error.
    again = laptop.sync()
    assert again.pushed == 0
    assert any("damaged and was not sent" in w for w in again.warnings)
    assert len(_received(server)) == received_before + 3

    # A later edit numbers on after the damaged one and is taken (no gap, no refusal).
    laptop.services.stations.update(stations[1], name="Renamed again")
    laptop.sync()
    assert server_snapshot(server)["station"][stations[1]]["name"] == "Renamed again"
    assert _refused(server) == []
    assert _kept_aside(laptop) == [(seqs[1], DAMAGES[kind])]


def test_by_usb_stick_the_damaged_change_is_kept_aside_alike(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    _, laptop, section = synced_class(server, laptops, 3)
    stations, seqs = _three_edits(laptop, section.id)
    _damage_payload(laptop, seqs[0], DAMAGES["not text"])

    request, reply = tmp_path / "rivera.srsync", tmp_path / "rivera-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    report = import_reply(laptop.store, laptop.data_dir, reply)

    assert laptop.pending() == 0
    on_server = server_snapshot(server)["station"]
    assert [on_server[s]["name"] for s in stations[1:]] == ["Renamed 1", "Renamed 2"]
    assert _kept_aside(laptop) == [(seqs[0], DAMAGES["not text"])]
    assert any("damaged and was not sent" in w for w in report.warnings)
    assert _refused(server) == []


def test_the_sync_page_status_says_so(server: LiveServer, laptops: Laptops) -> None:
    """The app's own sync (the Sync page, the status line) carries the same words."""
    _, laptop, section = synced_class(server, laptops, 3)
    _, seqs = _three_edits(laptop, section.id)
    _damage_payload(laptop, seqs[2], DAMAGES["not JSON"])
    sync = laptop.services.sync
    sync.attempts, sync.max_wait = 1, 0.05

    outcome = asyncio.run(sync.sync_now())

    assert outcome.ok and outcome.sent == 2
    assert any("damaged and was not sent" in w for w in outcome.warnings)
    status = sync.status()
    assert status.waiting == 0 and status.last_error is None
    assert any("damaged and was not sent" in w for w in status.warnings)
