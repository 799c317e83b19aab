"""Kill a process recording quick checks at random moments: nothing acknowledged is lost.

Two workers, killed with SIGKILL over and over:
- the service worker calls ``record`` in a loop and acknowledges a check (writes its id
  to a pipe) only after ``record`` returned (KILL_POINTS kills, 100 by default);
- the grid worker (``quick_check_grid_worker.py``) presses keys on the real entry grid
  and acknowledges a check only once the grid shows that cell as saved (GRID_KILL_POINTS,
  20 by default: each start builds a Qt page, ~0.5 s).
After the kills every acknowledged id must be in the file and queued for sync, and the
file must pass SQLite's integrity check. For the long run set
STATION_ROTATION_KILL_POINTS=1000 (and STATION_ROTATION_GRID_KILL_POINTS).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

import pytest

from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork + SIGKILL")

KILL_POINTS = int(os.environ.get("STATION_ROTATION_KILL_POINTS", "100"))
GRID_KILL_POINTS = int(os.environ.get("STATION_ROTATION_GRID_KILL_POINTS", "20"))
# The grid worker is forked by a fork server that imported these (installed modules only:
# Python 3.11's fork server ignores the test's sys.path) and made no QApplication.
GRID_WORKER = "quick_check_grid_worker"
PRELOAD = [
    "pytest",
    "PySide6.QtTest",
    "PySide6.QtWidgets",
    "station_rotation.ui.checks.entry_page",
    "station_rotation.services.plans.plans",  # loaded by the page on first use
]


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


def _new_class_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill")
    services = AppServices.open(folder)
    create_sample_class(services, students=28)
    services.close()
    return folder


def _kill_repeatedly(
    context: BaseContext, target: Callable[..., Any], folder: Path, points: int
) -> list[str]:
    """Start ``target`` ``points`` times, SIGKILL it at a random moment; the acks seen."""
    rng = random.Random(5)
    acknowledged: list[str] = []
    for point in range(points):
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(target=target, args=(str(folder), sender, point))  # type: ignore[attr-defined]
        worker.start()
        sender.close()
        assert receiver.poll(60) and receiver.recv() == "ready", f"worker {point} never started"
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
    return acknowledged


def _assert_all_kept(folder: Path, acknowledged: list[str]) -> None:
    conn = sqlite3.connect(folder / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in conn.execute("SELECT id FROM quick_check")}
        outbox = {row[0] for row in conn.execute("SELECT record_id FROM change_log")}
    finally:
        conn.close()
    missing = [check_id for check_id in acknowledged if check_id not in stored]
    assert missing == []
    assert set(acknowledged) <= outbox  # and each is queued for sync


def test_no_acknowledged_quick_check_is_lost_across_random_kills(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Across KILL_POINTS kills of ``record`` in a loop, every acknowledged check is kept."""
    folder = _new_class_folder(tmp_path_factory)
    fork = multiprocessing.get_context("fork")
    acknowledged = _kill_repeatedly(fork, _record_until_killed, folder, KILL_POINTS)
    assert len(acknowledged) > KILL_POINTS  # the kills really landed mid-entry
    _assert_all_kept(folder, acknowledged)


def test_no_check_the_grid_showed_as_saved_is_lost_across_random_kills(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Keys typed into the real grid, killed at random: every cell shown saved is kept."""
    folder = _new_class_folder(tmp_path_factory)
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(PRELOAD)
    worker = __import__(GRID_WORKER)
    acknowledged = _kill_repeatedly(server, worker.type_until_killed, folder, GRID_KILL_POINTS)
    assert len(acknowledged) > GRID_KILL_POINTS // 2, len(acknowledged)  # kills hit typing
    _assert_all_kept(folder, acknowledged)
