"""Sync through a misbehaving network: every change reaches the server exactly once.

Randomised: each run makes a few random edits on one of two laptops and syncs through a
proxy that resets, loses replies, truncates and delays connections, answers 5xx before
or after the server acted, and restarts the server mid-request, retrying until a sync
gets through. At the end nothing is lost, nothing is doubled, all three agree.
100 runs in the suite; ``python -m benchmarks sync_faults`` runs 1000
(STATION_ROTATION_SYNC_RUNS).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator

import httpx
import pytest
from fault_proxy import FaultProxy
from laptops import Laptop, loopback_transport, server_snapshot
from sqlmodel import Session, select

from station_rotation.server import admin
from station_rotation.server.tables import ReceivedChange
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncError
from tests.live_server import LiveServer

RUNS = int(os.environ.get("STATION_ROTATION_SYNC_RUNS", "100"))
SEED = int(os.environ.get("STATION_ROTATION_SYNC_SEED", "2026"))
WEIGHTS = {
    "pass": 8,
    "reset": 1,
    "lose_reply": 1,
    "truncate": 1,
    "slow": 1,
    "error": 0.7,
    "error_after": 0.7,
    "restart": 0.25,
}


def _port(live: LiveServer) -> int:
    return int(live.url.rsplit(":", 1)[1])


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[FaultProxy]:
    """The flaky network; its ``restart`` fate restarts the server on the same database."""
    running = [server]

    def restart() -> int:
        running[-1].stop()
        running.append(LiveServer(server.settings.database_url).start())
        return _port(running[-1])

    flaky = FaultProxy(_port(server), seed=SEED, weights=WEIGHTS, restart=restart).start()
    yield flaky
    flaky.stop()
    for live in running[1:]:
        live.stop()


def _sync_until_through(laptop: Laptop, url: str) -> int:
    """Sync through the flaky network until one sync completes; return the tries it took."""
    for tries in range(1, 60):
        transport = loopback_transport(limits=httpx.Limits(max_keepalive_connections=0))
        try:
            laptop.sync(transport=transport, attempts=2, server_url=url)
            return tries
        except SyncError:
            continue
    raise AssertionError("sync never got through")


def _random_edit(rng: random.Random, laptop: Laptop, class_id: str) -> None:
    stations = laptop.services.stations.list_for(class_id)
    choice = rng.random()
    if choice < 0.4:
        laptop.services.stations.update(
            rng.choice(stations).id, name=f"Station {rng.randrange(1000)}"
        )
    elif choice < 0.7:
        target = laptop.services.targets.list_for(class_id)[0]
        student = laptop.services.roster.roster(class_id)[0].student
        laptop.services.quick_checks.record(
            class_id=class_id, student_id=student.id, target_id=target.id, score=rng.randint(1, 4)
        )
    else:
        laptop.services.stations.create(class_id, name=f"New station {rng.randrange(1000)}")


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_flaky_network_loses_nothing_and_doubles_nothing(
    server: LiveServer, proxy: FaultProxy, laptops: Callable[[], Laptop]
) -> None:
    """Runs of edits synced through resets, lost and cut replies, 5xx and restarts: exact."""
    rng = random.Random(6)
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    home: Laptop = laptops()
    section = create_sample_class(home.services, students=3)
    home.enrol(teacher).sync()
    school: Laptop = laptops().enrol(teacher)
    school.sync()
    sent: set[str] = set()
    for _run in range(RUNS):
        laptop = rng.choice([home, school])
        for _ in range(rng.randint(1, 4)):
            _random_edit(rng, laptop, section.id)
        sent |= {entry.change_id for entry in remote_apply.pending(laptop.store, 10_000)}
        _sync_until_through(laptop, proxy.url)
    for laptop in (home, school, home):
        _sync_until_through(laptop, proxy.url)

    with Session(server.engine) as session:
        received = [row.change_id for row in session.exec(select(ReceivedChange))]
    initial = len(received) - len(sent)
    assert len(received) == len(set(received))  # nothing doubled
    assert sent <= set(received)  # nothing lost
    assert initial >= 0
    assert home.pending() == school.pending() == 0
    assert home.snapshot() == school.snapshot() == server_snapshot(server)
    assert proxy.fates["lose_reply"] > 0 and proxy.fates["truncate"] > 0
    if RUNS >= 50:
        assert min(proxy.fates[f] for f in ("error", "error_after", "restart")) > 0
    print(f"{RUNS} runs, {len(sent)} changes, fates: {dict(proxy.fates)}")
