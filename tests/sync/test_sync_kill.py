"""SIGKILL ``station-rotation sync`` mid-sync, again and again: nothing lost, nothing doubled.

The sync runs in its own process through a proxy that delays every connection, and is
killed at a random moment: before the push reaches the server, while the server applies
it, after it applied it but before the laptop recorded the acknowledgement, or mid-pull.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from fault_proxy import FaultProxy
from laptops import Laptop, server_snapshot
from sqlmodel import Session, select

from station_rotation.server import admin
from station_rotation.server.tables import ReceivedChange
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync import remote_apply
from tests.live_server import LiveServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
KILLS = 6


@pytest.fixture
def slow_proxy(server: LiveServer) -> Iterator[FaultProxy]:
    port = int(server.url.rsplit(":", 1)[1])
    proxy = FaultProxy(port, seed=7, weights={"slow": 1}).start()
    yield proxy
    proxy.stop()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_killing_the_sync_process_loses_and_doubles_nothing(
    server: LiveServer, slow_proxy: FaultProxy, laptops: Callable[[], Laptop]
) -> None:
    """Edits, then a kill at a random moment, six times; then a sync that finishes: exactly once."""
    rng = random.Random(11)
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    laptop: Laptop = laptops()
    create_sample_class(laptop.services, students=12)
    sent = {entry.change_id for entry in remote_apply.pending(laptop.store, 10_000)}
    laptop.enrol(teacher)
    command = [
        sys.executable,
        "-m",
        "station_rotation.cli.main",
        "--data-dir",
        str(laptop.data_dir),
        "sync",
        "--server",
        slow_proxy.url,
    ]
    landed = []
    for _ in range(KILLS):
        create_sample_class(laptop.services, students=rng.randint(2, 10))  # more to send
        sent |= {entry.change_id for entry in remote_apply.pending(laptop.store, 10_000)}
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        landed.append((_received_count(server), laptop.pending()))
    print("after each kill (server received, laptop waiting):", landed)
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr

    with Session(server.engine) as session:
        received = [row.change_id for row in session.exec(select(ReceivedChange))]
    assert sorted(received) == sorted(sent)  # each change exactly once
    assert laptop.pending() == 0
    assert laptop.snapshot() == server_snapshot(server)


def _received_count(server: LiveServer) -> int:
    with Session(server.engine) as session:
        return len(session.exec(select(ReceivedChange.change_id)).all())
