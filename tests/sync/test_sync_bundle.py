"""Sync by USB stick: a school with no connection carries sync files to the district.

Real laptops (real data folders, real services) and a real district database (SQLite and
PostgreSQL); the server side runs through ``station-rotation-server import-bundle`` or
its function, the laptop side through ``station-rotation sync --export-bundle`` /
``--import-bundle`` or theirs. The laptops are enrolled over loopback once (enrolment
needs a connection); everything after that goes through files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from laptops import Laptop, server_snapshot
from sqlmodel import Session, func, select

from station_rotation.cli.main import main as laptop_cli
from station_rotation.server import admin
from station_rotation.server.bundle import import_bundle
from station_rotation.server.cli import main as server_cli
from station_rotation.server.tables import ReceivedChange, Record
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync import remote_apply
from station_rotation.sync.bundle import export_bundle, import_reply
from station_rotation.sync.bundle_file import BundleError, read_bundle
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _count(server: LiveServer, table: type[ReceivedChange] | type[Record]) -> int:
    with Session(server.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def _usb_round(server: LiveServer, laptop: Laptop, folder: Path, name: str = "stick") -> Path:
    """Export, import on the server, bring the reply back; return the reply's path."""
    request, reply = folder / f"{name}.srsync", folder / f"{name}-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    import_reply(laptop.store, laptop.data_dir, reply)
    return reply


def _state(laptop: Laptop) -> tuple[Any, ...]:
    """Everything an import could change on a laptop."""
    return (
        laptop.snapshot(),
        laptop.pending(),
        remote_apply.cursor(laptop.store),
        remote_apply.acked_seq(laptop.store),
        remote_apply.needs_attention(laptop.store),
    )


def _rewrite(path: Path, edit: Callable[[list[dict[str, Any]]], None], *, reseal: bool) -> None:
    """Change a bundle's lines as someone with the stick could (optionally fixing its checksum)."""
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    body_lines, seal = lines[:-1], lines[-1]
    edit(body_lines)
    body = b"".join(
        json.dumps(v, separators=(",", ":"), sort_keys=True).encode() + b"\n" for v in body_lines
    )
    if reseal:
        seal["end"]["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(gzip.compress(body + json.dumps(seal).encode() + b"\n"))


def test_a_school_with_no_connection_syncs_by_usb_stick(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Ms Rivera's laptop syncs through the two commands; edits made meanwhile stay queued."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=4)
    stick = tmp_path / "stick"
    stick.mkdir()
    request, reply = stick / "rivera.srsync", stick / "rivera-reply.srsync"
    with pytest.raises(BundleError, match="not enrolled with the district server yet"):
        export_bundle(laptop.store, laptop.data_dir, request)
    laptop.enrol(teacher)
    outbox = laptop.pending()
    data = ["--data-dir", str(laptop.data_dir)]

    assert laptop_cli([*data, "sync", "--export-bundle", str(request)]) == 0
    assert laptop.pending() == outbox  # exporting drops nothing
    station = laptop.services.stations.list_for(section.id)[0].id
    laptop.services.stations.update(station, name="Edited while the stick travels")
    db = ["--database-url", server.settings.database_url]
    nowhere = str(tmp_path / "no such folder" / "reply.srsync")
    assert server_cli([*db, "import-bundle", str(request), "--reply", nowhere]) == 2
    assert _count(server, ReceivedChange) == 0
    assert server_cli([*db, "import-bundle", str(request), "--reply", str(reply)]) == 0
    assert _count(server, ReceivedChange) == outbox
    assert laptop_cli([*data, "sync", "--import-bundle", str(reply)]) == 0

    assert laptop.pending() == 1  # the edit made after the export still waits
    assert laptop.services.stations.get(station).name == "Edited while the stick travels"
    _usb_round(server, laptop, stick, "second")
    assert laptop.pending() == 0
    assert laptop.snapshot() == server_snapshot(server)


def test_two_laptops_converge_through_sync_files(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Home and school laptops edit offline; sync files alone bring them to one state."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    home = laptops()
    section = create_sample_class(home.services, students=3)
    home.enrol(teacher)
    school = laptops().enrol(teacher)
    _usb_round(server, home, tmp_path, "home1")
    _usb_round(server, school, tmp_path, "school1")
    assert school.snapshot() == home.snapshot()
    assert school.pending() == 0  # what came down is never queued to go back

    station = school.services.stations.list_for(section.id)[0].id
    school.services.stations.update(station, name="Fluency games")
    home.services.stations.update(station, capacity=9)  # later: its stamp wins
    target = home.services.targets.list_for(section.id)[0]
    student = home.services.roster.roster(section.id)[0].student
    home.services.quick_checks.record(
        class_id=section.id, student_id=student.id, target_id=target.id, score=2
    )
    for laptop, name in [(school, "school2"), (home, "home2"), (school, "school3")]:
        _usb_round(server, laptop, tmp_path, name)
    assert home.snapshot() == school.snapshot() == server_snapshot(server)
    assert school.services.stations.get(station).capacity == 9


def test_a_sync_file_imported_twice_and_an_old_reply_change_nothing(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """Staff import the same stick twice; the teacher brings back the older reply last."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher)
    request = tmp_path / "chen.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    first = import_bundle(server.engine, request, tmp_path / "reply1.srsync")
    records = _count(server, Record)
    again = import_bundle(server.engine, request, tmp_path / "reply2.srsync")
    assert set(first.statuses) == {"applied"} and set(again.statuses) == {"duplicate"}
    assert sum(again.statuses.values()) == sum(first.statuses.values())
    assert (_count(server, Record), _count(server, ReceivedChange)) == (records, records)

    import_reply(laptop.store, laptop.data_dir, tmp_path / "reply2.srsync")
    settled = _state(laptop)
    import_reply(laptop.store, laptop.data_dir, tmp_path / "reply2.srsync")
    assert _state(laptop) == settled

    # Another teacher-side edit travels and comes back, then the oldest reply turns up.
    station = laptop.services.stations.list_for(section.id)[0].id
    laptop.services.stations.update(station, name="After the first trip")
    _usb_round(server, laptop, tmp_path, "later")
    settled = _state(laptop)
    import_reply(laptop.store, laptop.data_dir, tmp_path / "reply1.srsync")
    assert _state(laptop) == settled
    assert laptop.snapshot() == server_snapshot(server)


def test_a_cut_short_or_altered_sync_file_is_refused_and_changes_nothing(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """A copy cut short, a damaged one and a forged one: each is refused in plain words."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)
    request = tmp_path / "rivera.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    whole = request.read_bytes()

    request.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(BundleError, match="incomplete: it was cut short"):
        import_bundle(server.engine, request, tmp_path / "reply.srsync")

    def rename_class(lines: list[dict[str, Any]]) -> None:
        for line in lines[1:]:
            if line["change"]["entity"] == "class_section":
                line["change"]["payload"]["name"] = "Renamed by whoever found the stick"

    request.write_bytes(whole)
    _rewrite(request, rename_class, reseal=False)
    with pytest.raises(BundleError, match="is damaged"):
        import_bundle(server.engine, request, tmp_path / "reply.srsync")
    request.write_bytes(whole)
    _rewrite(request, rename_class, reseal=True)
    with pytest.raises(BundleError, match="was not made by the laptop it names"):
        import_bundle(server.engine, request, tmp_path / "reply.srsync")
    assert (_count(server, Record), _count(server, ReceivedChange)) == (0, 0)
    assert not (tmp_path / "reply.srsync").exists()

    # The reply is sealed too: an altered one changes nothing on the laptop.
    request.write_bytes(whole)
    reply = tmp_path / "reply.srsync"
    import_bundle(server.engine, request, reply)
    before = _state(laptop)

    def forge_ack(lines: list[dict[str, Any]]) -> None:
        lines[0]["acked_through_seq"] = 10**6

    _rewrite(reply, forge_ack, reseal=True)
    with pytest.raises(BundleError, match="not made by your district's server"):
        import_reply(laptop.store, laptop.data_dir, reply)
    with pytest.raises(BundleError, match="own sync file"):
        import_reply(laptop.store, laptop.data_dir, request)
    assert _state(laptop) == before

    code = laptop_cli(["--data-dir", str(laptop.data_dir), "sync", "--import-bundle", str(reply)])
    assert code == 2  # the command line says it too (message on stderr), exit status 2


def test_a_revoked_laptops_sync_file_is_refused(
    server: LiveServer, laptops: Laptops, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lost laptop revoked by the district cannot sync by stick either; it keeps its work."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    laptop = laptops()
    create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)
    request = tmp_path / "okafor.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    admin.revoke_device(server.engine, laptop.store.device_id)
    reply = tmp_path / "reply.srsync"
    argv = ["--database-url", server.settings.database_url, "import-bundle", str(request)]
    assert server_cli([*argv, "--reply", str(reply)]) == 2
    assert "no longer accepts the laptop" in capsys.readouterr().err
    assert _count(server, ReceivedChange) == 0 and not reply.exists()
    assert laptop.pending() > 0


def test_usb_and_network_sync_mix_without_loss_or_doubles(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """The stick travels while the laptop finds Wi-Fi and syncs: both paths agree."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher)
    request, reply = tmp_path / "chen.srsync", tmp_path / "chen-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    laptop.sync()  # Wi-Fi for a moment: everything goes up over the network
    station = laptop.services.stations.list_for(section.id)[0].id
    laptop.services.stations.update(station, name="After the network sync")

    summary = import_bundle(server.engine, request, reply)
    assert set(summary.statuses) == {"duplicate"}  # already there: nothing applied twice
    import_reply(laptop.store, laptop.data_dir, reply)
    assert laptop.pending() == 1  # the newer edit is still queued
    assert laptop.services.stations.get(station).name == "After the network sync"

    _usb_round(server, laptop, tmp_path, "next")  # this time the edit goes by stick
    other = laptops().enrol(teacher)
    other.sync()
    assert other.services.stations.get(station).name == "After the network sync"
    assert laptop.pending() == 0
    assert laptop.snapshot() == other.snapshot() == server_snapshot(server)
    assert _count(server, ReceivedChange) == _count(server, Record) + 1  # one edit of one row


def test_a_copied_data_files_sync_file_is_refused_with_its_changes_kept(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """A copy of the data folder cannot pass its changes off as the original's by stick."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    original = laptops()
    section = create_sample_class(original.services, students=2)
    original.enrol(teacher)
    _usb_round(server, original, tmp_path, "first")
    original.close()
    copy_dir = tmp_path / "copy"
    shutil.copytree(original.data_dir, copy_dir)
    original.services = type(original.services).open(original.data_dir)
    copy = Laptop(server, copy_dir)
    try:
        station = original.services.stations.list_for(section.id)[0].id
        original.services.stations.update(station, name="From the original")
        copy.services.stations.update(station, name="From the copy")
        _usb_round(server, original, tmp_path, "original")
        reply = _usb_round(server, copy, tmp_path, "copy")
        assert "copy of another laptop" in import_reply(copy.store, copy.data_dir, reply).refused
        assert copy.pending() == 1
        assert original.services.stations.get(station).name == "From the original"
    finally:
        copy.close()


def test_a_row_damaged_on_the_laptop_comes_back_on_the_next_trip(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """A station lost and one garbled in the file: one trip notices, the next repairs,
    and an edit still waiting to go up is never overwritten."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)
    _usb_round(server, laptop, tmp_path, "first")
    stations = [s.id for s in laptop.services.stations.list_for(section.id)]
    with sqlite3.connect(laptop.store.db_path) as db:
        db.execute("DELETE FROM station WHERE id = ?", (stations[0],))
        db.execute("UPDATE station SET name = 'garbled' WHERE id = ?", (stations[1],))

    request, reply = tmp_path / "noticed.srsync", tmp_path / "noticed-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    assert import_reply(laptop.store, laptop.data_dir, reply).to_repair == ["station"]
    laptop.services.stations.update(stations[2], name="Edited, not sent yet")

    request, reply = tmp_path / "repair.srsync", tmp_path / "repair-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    laptop.services.stations.update(stations[3], name="Edited while the stick travels")
    import_bundle(server.engine, request, reply)
    report = import_reply(laptop.store, laptop.data_dir, reply)
    assert (report.repaired, report.to_repair) == (["station"], [])
    assert laptop.services.stations.get(stations[3]).name == "Edited while the stick travels"
    assert laptop.pending() == 1
    _usb_round(server, laptop, tmp_path, "last")
    assert laptop.snapshot() == server_snapshot(server)
    assert laptop.pending() == 0


@pytest.mark.parametrize("pulled_since_backup", [True, False])
def test_a_reply_for_a_file_restored_from_a_backup_drops_none_of_its_new_edits(
    server: LiveServer, laptops: Laptops, tmp_path: Path, pulled_since_backup: bool
) -> None:
    """Her data folder was restored from last week's backup after the stick left: the
    reply to the newer file acknowledges nothing here, so what she typed since stays queued
    (its outbox numbers are the same the newer file had used) — whether or not the newer
    file had received anything the backup lacks."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)
    _usb_round(server, laptop, tmp_path, "first")
    laptop.close()
    backup = tmp_path / "backup"
    shutil.copytree(laptop.data_dir, backup)
    laptop.services = type(laptop.services).open(laptop.data_dir)
    if pulled_since_backup:
        home = laptops().enrol(teacher)
        home.sync()
        target = home.services.targets.list_for(section.id)[0].id
        home.services.targets.update(target, statement="Edited at home")
        home.sync()
        laptop.sync()  # the newer file has pulled further than the backup
    first, second = laptop.services.stations.list_for(section.id)[:2]
    laptop.services.stations.update(first.id, name="Sent on the stick")
    laptop.services.stations.update(second.id, name="Also on the stick")
    request, reply = tmp_path / "chen.srsync", tmp_path / "chen-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)

    laptop.close()
    shutil.rmtree(laptop.data_dir)
    shutil.copytree(backup, laptop.data_dir)
    laptop.services = type(laptop.services).open(laptop.data_dir)
    laptop.services.stations.update(first.id, name="Typed after the restore")
    assert laptop.pending() == 1
    report = import_reply(laptop.store, laptop.data_dir, reply)
    assert report.warnings and "restored from a backup" in report.warnings[0]
    assert laptop.pending() == 1  # still queued: the district does not have it
    assert laptop.services.stations.get(first.id).name == "Typed after the restore"


def test_last_synced_is_when_the_district_wrote_the_reply(
    server: LiveServer, laptops: Laptops, tmp_path: Path
) -> None:
    """The status line's "last synced" is the reply's own time, so bringing an old reply
    back, or the latest one again next week, never makes the laptop look freshly synced."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)

    def last_synced() -> str | None:
        return remote_apply.read_state(laptop.store, remote_apply.LAST_SYNC)

    first = _usb_round(server, laptop, tmp_path, "first")
    assert last_synced() == read_bundle(first).header["server_time"]
    second = _usb_round(server, laptop, tmp_path, "second")
    written = read_bundle(second).header["server_time"]
    assert last_synced() == written
    for reply in (first, second):
        import_reply(laptop.store, laptop.data_dir, reply)
        assert last_synced() == written


def test_a_reply_imported_while_the_app_syncs_never_moves_the_cursor_back(
    server: LiveServer, laptops: Laptops, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sync --import-bundle` from the command line while the app syncs over the network.

    The network sync lands between the import's read of the cursor and its write
    transaction (here: right after the reply's acknowledgements commit, the real
    ``acknowledge`` wrapped to let the app's sync run there); the reply's
    older records and end cursor must then be left out, not written over newer data.
    """
    teacher = admin.create_teacher(server.engine, "Ms Okafor")
    laptop = laptops()
    create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher)
    request, reply = tmp_path / "okafor.srsync", tmp_path / "okafor-reply.srsync"
    export_bundle(laptop.store, laptop.data_dir, request)
    import_bundle(server.engine, request, reply)
    other = laptops().enrol(teacher)
    other.sync()
    create_sample_class(other.services, students=2)  # newer data on the district server
    other.sync()

    synced: list[int] = []
    acknowledge = remote_apply.acknowledge

    def then_the_app_syncs(*args: Any, **kw: Any) -> None:
        acknowledge(*args, **kw)  # the real one; then the app's sync runs to its end
        if not synced:
            synced.append(0)
            laptop.sync()
            synced[0] = remote_apply.cursor(laptop.store)

    monkeypatch.setattr(remote_apply, "acknowledge", then_the_app_syncs)
    report = import_reply(laptop.store, laptop.data_dir, reply)
    assert synced and synced[0] > read_bundle(reply).header["end_cursor"]
    assert remote_apply.cursor(laptop.store) == synced[0]  # not moved back
    assert any("newer data from the district" in w for w in report.warnings)
    assert laptop.pending() == 0
    assert laptop.snapshot() == other.snapshot() == server_snapshot(server)
