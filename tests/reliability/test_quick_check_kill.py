"""Kill a process recording quick checks at random moments: nothing acknowledged is lost.

The worker acknowledges a check (writes its id to a pipe) only after ``record`` returned,
which is what the entry grid shows as "saved". After each SIGKILL every acknowledged id
must be in the file, and the file must pass SQLite's integrity check.
Set STATION_ROTATION_KILL_POINTS=1000 for the long reliability run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.sample import create_sample_class

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork + SIGKILL")

KILL_POINTS = int(os.environ.get("STATION_ROTATION_KILL_POINTS", "100"))


def _record_until_killed(data_dir: str, acks: Connection, seed: int) -> None:
    rng = random.Random(seed)
    services = AppServices.open(Path(data_dir))
    [section] = services.classes.list_classes()
    students = [e.student.id for e in services.roster.roster(section.id)]
    targets = [t.id for t in services.targets.list_for(section.id)]
    acks.send("ready")
    while True:
        check = services.quick_checks.record(
            class_id=section.id,
            student_id=rng.choice(students),
            target_id=rng.choice(targets),
            score=rng.randint(1, 4),
        )
        acks.send(check.id)  # shown as saved only now


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill")
    services = AppServices.open(folder)
    create_sample_class(services, students=28)
    services.close()
    return folder


def test_no_acknowledged_quick_check_is_lost_across_random_kills(class_folder: Path) -> None:
    """Across KILL_POINTS kills, every check the worker acknowledged is in the file."""
    fork = multiprocessing.get_context("fork")
    rng = random.Random(5)
    acknowledged: list[str] = []
    for point in range(KILL_POINTS):
        receiver, sender = fork.Pipe(duplex=False)
        worker = fork.Process(target=_record_until_killed, args=(str(class_folder), sender, point))
        worker.start()
        sender.close()
        assert receiver.poll(30) and receiver.recv() == "ready"
        deadline = time.monotonic() + rng.uniform(0.0, 0.08)
        while time.monotonic() < deadline:
            if receiver.poll(0.005):
                acknowledged.append(receiver.recv())
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        while receiver.poll(0):  # acks already in the pipe were seen before the kill
            try:
                acknowledged.append(receiver.recv())
            except (EOFError, OSError):
                break
        receiver.close()

    conn = sqlite3.connect(class_folder / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in conn.execute("SELECT id FROM quick_check")}
        outbox = {row[0] for row in conn.execute("SELECT record_id FROM change_log")}
    finally:
        conn.close()
    assert len(acknowledged) > KILL_POINTS  # the kills really landed mid-entry
    missing = [check_id for check_id in acknowledged if check_id not in stored]
    assert missing == []
    assert set(acknowledged) <= outbox  # and each is queued for sync
