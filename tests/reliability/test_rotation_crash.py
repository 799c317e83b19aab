"""Kill a process running a rotation at random moments: the restarted app resumes exactly."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from station_rotation.core.rotation.clock import RotationClock
from station_rotation.core.rotation.timesource import monotonic_with_sleep
from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

KILL_POINTS = int(os.environ.get("STATION_ROTATION_KILL_POINTS", "8"))
WORKER = Path(__file__).with_name("rotation_worker.py")


def _run_and_kill(data_dir: Path, seed: int) -> tuple[dict[str, object], list[dict[str, object]]]:
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    header = json.loads(process.stdout.readline())
    acks: list[dict[str, object]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.endswith("\n"):  # a half-written line was never seen by anyone
                acks.append(json.loads(line))

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(random.Random(seed).uniform(0.05, 0.6))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    reader.join(timeout=10)
    return header, acks


@pytest.mark.parametrize("seed", range(KILL_POINTS))
def test_every_acknowledged_command_survives_a_kill_and_time_resumes(
    tmp_path: Path, seed: int
) -> None:
    """Each command the teacher saw acknowledged is in the file; the clock resumes right."""
    header, acks = _run_and_kill(tmp_path, seed)
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    services = AppServices.open(tmp_path)
    try:
        live = services.rotation.live(str(header["run"]))
        logged = [e.kind.value for e in live.clock.events][1:]  # after START
        acked = [str(a["kind"]) for a in acks]
        assert logged[: len(acked)] == acked  # nothing acknowledged was lost
        assert len(logged) - len(acked) <= 1  # at most the one in flight at the kill
        elapsed = monotonic_with_sleep() - float(header["anchor_mono"])  # type: ignore[arg-type]
        expected = RotationClock(live.clock.spec, live.clock.events).view(elapsed)
        resumed = services.rotation.view(live.run_id)
        assert (resumed.phase, resumed.round_index) == (expected.phase, expected.round_index)
        assert abs(resumed.remaining - expected.remaining) < 1.0
    finally:
        services.close()
