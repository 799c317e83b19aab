"""Teachers' laptops sync with a real district server: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable

import httpx
import pytest
from laptops import Laptop, loopback_transport, server_snapshot
from sqlmodel import Session, func, select

from station_rotation.server import admin
from station_rotation.server.tables import ReceivedChange, Record
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection, LearningTarget, Station
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncClient, SyncError
from station_rotation.sync.credentials import credentials_path, load_credentials
from station_rotation.sync.engine import SyncEngine
from station_rotation.sync.wire import Change
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _count(server: LiveServer, table: type[ReceivedChange] | type[Record]) -> int:
    with Session(server.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def _first_station(laptop: Laptop, class_id: str) -> str:
    return laptop.services.stations.list_for(class_id)[0].id


def test_a_class_made_offline_reaches_the_second_laptop_and_back(
    server: LiveServer, laptops: Laptops
) -> None:
    """Ms Rivera builds a class at home; school laptop gets it; an edit there comes home."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    home = laptops()
    section = create_sample_class(home.services, students=6)
    target = home.services.targets.list_for(section.id)[0]
    student = home.services.roster.roster(section.id)[0].student
    home.services.quick_checks.record(
        class_id=section.id, student_id=student.id, target_id=target.id, score=3
    )
    outbox = home.pending()
    home.enrol(teacher)
    report = home.sync()
    assert (report.pushed, report.rejected, home.pending()) == (outbox, 0, 0)

    school = laptops().enrol(teacher)
    school.sync()
    assert school.snapshot() == home.snapshot()
    assert school.pending() == 0  # applied remote changes are never queued to go back

    school.services.stations.update(_first_station(school, section.id), name="Fluency games")
    with school.store.write() as tx:  # a delete is a tombstone that syncs like an edit
        tx.delete(school.services.targets.get(target.id))
    school.sync()
    home.sync()
    assert home.services.stations.get(_first_station(home, section.id)).name == "Fluency games"
    with home.store.read() as session:
        tombstone = session.get(LearningTarget, target.id)
        assert tombstone is not None and tombstone.deleted
    assert home.snapshot() == school.snapshot() == server_snapshot(server)


def test_pushing_the_same_batch_twice_duplicates_nothing(
    server: LiveServer, laptops: Laptops
) -> None:
    """A batch re-sent after a lost reply is recognised change by change."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    laptop = laptops()
    create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher)
    entries = remote_apply.pending(laptop.store, 1000)
    changes = [
        Change(
            change_id=e.change_id,
            device_seq=e.seq,
            entity=e.entity,
            record_id=e.record_id,
            op="upsert",
            hlc=e.hlc,
            payload=e.payload,
            payload_type=e.entity,
        )
        for e in entries
    ]
    credentials = load_credentials(laptop.data_dir)
    assert credentials is not None

    async def push_twice() -> tuple[list[str], list[str], int]:
        async with SyncClient(server.url, credentials.token) as client:
            first = await client.push(changes)
            second = await client.push(changes)
        return (
            [r.status for r in first.results],
            [r.status for r in second.results],
            second.acked_through_seq,
        )

    first, second, acked = asyncio.run(push_twice())
    assert set(first) == {"applied"} and set(second) == {"duplicate"}
    assert acked == entries[-1].seq
    assert _count(server, ReceivedChange) == _count(server, Record) == len(entries)


class LoseRepliesOnce(httpx.AsyncBaseTransport):
    """The network drops the connection after the server got the push (the reply is lost)."""

    def __init__(self) -> None:
        self.inner = loopback_transport()
        self.dropped = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/v1/push" and self.dropped < 2:
            await response.aread()
            self.dropped += 1
            raise httpx.ReadError("connection reset", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_a_push_cut_off_mid_way_resumes_without_loss_or_duplicates(
    server: LiveServer, laptops: Laptops
) -> None:
    """The Wi-Fi drops twice mid-push and the app gives up; the next sync finishes the job."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    create_sample_class(laptop.services, students=20)  # several batches of 25
    total = laptop.pending()
    laptop.enrol(teacher)
    with pytest.raises(SyncError, match="Your work is saved"):
        laptop.sync(transport=LoseRepliesOnce(), attempts=2)
    assert laptop.pending() == total  # nothing dropped locally without an acknowledgement
    assert _count(server, ReceivedChange) > 0  # ... though the server got the first batch

    report = laptop.sync()
    assert laptop.pending() == 0
    assert report.pushed == total
    assert _count(server, ReceivedChange) == _count(server, Record) == total


def test_teachers_cannot_read_or_write_each_others_classes(
    server: LiveServer, laptops: Laptops
) -> None:
    """Mr Okafor's laptop never sees Ms Rivera's class and cannot change it."""
    rivera = admin.create_teacher(server.engine, "Ms Rivera")
    okafor = admin.create_teacher(server.engine, "Mr Okafor")
    hers = laptops()
    section = create_sample_class(hers.services, students=4)
    hers.enrol(rivera).sync()

    his = laptops().enrol(okafor)
    assert his.sync().pulled == 0
    assert his.services.classes.list_classes() == []

    # Forged changes from his laptop: her class renamed, and a station added to it.
    with his.store.write() as tx:
        tx.put(ClassSection(id=section.id, name="Hijacked"))
        tx.put(Station(class_id=section.id, name="Sneaky station"))
    report = his.sync()
    assert report.rejected == 2
    assert [item.reason for item in remote_apply.needs_attention(his.store)] == [
        "This class belongs to another teacher.",
        "This change is for a class that is not yours on the server.",
    ]
    assert his.pending() == 0  # kept in "needs attention", not pushed again and again
    hers.sync()
    names = {s.name for s in hers.services.stations.list_for(section.id)}
    assert "Sneaky station" not in names
    assert hers.services.classes.get_class(section.id).name == section.name


def test_revoked_laptop_keeps_its_work_and_is_told_why(
    server: LiveServer, laptops: Laptops
) -> None:
    """A laptop reported lost is refused; whatever it had stays queued, not thrown away."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    create_sample_class(laptop.services, students=2)
    laptop.enrol(teacher)
    admin.revoke_device(server.engine, laptop.store.device_id)
    queued = laptop.pending()
    with pytest.raises(SyncError, match="new enrolment code"):
        laptop.sync()
    assert laptop.pending() == queued


def test_a_copied_data_file_is_refused_with_its_changes_kept(
    server: LiveServer, laptops: Laptops
) -> None:
    """Someone copies the data folder to a second laptop: the copy cannot reuse numbers."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    original = laptops()
    section = create_sample_class(original.services, students=2)
    original.enrol(teacher).sync()
    original.close()
    copy_dir = original.data_dir.parent / "copy"
    shutil.copytree(original.data_dir, copy_dir)
    original.services = type(original.services).open(original.data_dir)
    copy = Laptop(server, copy_dir)
    try:
        station = _first_station(original, section.id)
        original.services.stations.update(station, name="From the original")
        copy.services.stations.update(station, name="From the copy")
        original.sync()
        with pytest.raises(SyncError, match="copy of another laptop"):
            copy.sync()
        assert copy.pending() == 1
    finally:
        copy.close()


def _two_laptops_a_day_apart(server: LiveServer, laptops: Laptops) -> tuple[Laptop, Laptop, str]:
    """One teacher's two synced laptops, clocks a day fast and a day slow, and a station id."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    ahead = laptops()
    section = create_sample_class(ahead.services, students=2)
    ahead.enrol(teacher).sync()
    behind = laptops().enrol(teacher)
    behind.sync()
    ahead.skew_clock(+1)
    behind.skew_clock(-1)
    return ahead, behind, _first_station(ahead, section.id)


@pytest.mark.parametrize("first", ["ahead", "behind"])
def test_skewed_clocks_converge_in_either_order(
    server: LiveServer, laptops: Laptops, first: str
) -> None:
    """Two laptops a day fast and a day slow edit one station offline; all three agree."""
    ahead, behind, station = _two_laptops_a_day_apart(server, laptops)
    ahead.services.stations.update(station, name="Edited a day ahead")
    behind.services.stations.update(station, name="Edited a day behind", capacity=5)

    order = [ahead, behind] if first == "ahead" else [behind, ahead]
    for laptop in [*order, *order]:
        laptop.sync()
    assert ahead.snapshot() == behind.snapshot() == server_snapshot(server)
    # The deterministic rule: the greater HLC stamp wins, whatever the order of syncs.
    assert behind.services.stations.get(station).name == "Edited a day ahead"


def test_sync_from_the_command_line(server: LiveServer, laptops: Laptops) -> None:
    """A headless laptop enrols and syncs with one command; the token file is private."""
    from station_rotation.cli.main import main

    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    create_sample_class(laptop.services, students=2)
    code = admin.issue_code(server.engine, teacher)
    argv = ["--data-dir", str(laptop.data_dir), "sync", "--server", server.url]
    assert main([*argv, "--enrol", code]) == 0
    assert os.stat(credentials_path(laptop.data_dir)).st_mode & 0o777 == 0o600
    assert laptop.pending() == 0
    assert main(argv) == 0


def test_a_pull_keeps_a_newer_unsent_edit_on_the_laptop(
    server: LiveServer, laptops: Laptops
) -> None:
    """Changes coming down never overwrite a later edit still waiting to go up."""
    ahead, behind, station = _two_laptops_a_day_apart(server, laptops)
    ahead.services.stations.update(station, name="Newer, not sent yet")
    behind.services.stations.update(station, name="Older, sent first")
    behind.sync()

    credentials = load_credentials(ahead.data_dir)
    assert credentials is not None

    async def pull_only() -> None:
        async with SyncClient(server.url, credentials.token) as client:
            await SyncEngine(ahead.store, client).pull_all()

    asyncio.run(pull_only())
    assert ahead.services.stations.get(station).name == "Newer, not sent yet"
    ahead.sync()
    behind.sync()
    assert behind.services.stations.get(station).name == "Newer, not sent yet"


def test_a_record_whose_class_comes_on_a_later_page_still_arrives(
    server: LiveServer, laptops: Laptops
) -> None:
    """A class renamed after its stations were made comes down after them: still fine."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    first = laptops()
    section = create_sample_class(first.services, students=1)
    first.services.classes.update_class(section.id, name="Math 6, renamed")
    first.enrol(teacher).sync()

    second = laptops().enrol(teacher)
    credentials = load_credentials(second.data_dir)
    assert credentials is not None

    async def pull_in_small_pages() -> None:
        async with SyncClient(server.url, credentials.token) as client:
            await SyncEngine(second.store, client, page_size=2).pull_all()

    asyncio.run(pull_in_small_pages())
    assert second.snapshot() == first.snapshot()


def test_a_laptop_enrolled_again_after_a_lost_reply_duplicates_nothing(
    server: LiveServer, laptops: Laptops
) -> None:
    """The reply to a push is lost, the laptop is revoked and enrolled again: no doubles."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    laptop = laptops()
    create_sample_class(laptop.services, students=8)
    total = laptop.pending()
    laptop.enrol(teacher)
    with pytest.raises(SyncError):
        laptop.sync(transport=LoseRepliesOnce(), attempts=2)
    admin.revoke_device(server.engine, laptop.store.device_id)
    laptop.enrol(teacher)
    laptop.sync()
    assert laptop.pending() == 0
    assert _count(server, ReceivedChange) == _count(server, Record) == total


def test_the_server_restarting_mid_week_loses_nothing(server: LiveServer, laptops: Laptops) -> None:
    """The district restarts the server: syncs fail politely meanwhile, then catch up."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = laptops()
    section = create_sample_class(laptop.services, students=3)
    laptop.enrol(teacher).sync()
    server.stop()
    laptop.services.stations.update(_first_station(laptop, section.id), name="While it was down")
    with pytest.raises(SyncError, match="will sync when the connection is back"):
        laptop.sync(attempts=2)
    assert laptop.pending() == 1

    restarted = LiveServer(server.settings.database_url).start()
    try:
        laptop.sync(server_url=restarted.url)
        assert laptop.pending() == 0
        assert laptop.snapshot() == server_snapshot(restarted)
    finally:
        restarted.stop()
