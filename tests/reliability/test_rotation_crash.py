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
from station_rotation.services.rotation import LiveRun
from tests.reliability.rotation_worker import board_hash

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

KILL_POINTS = int(os.environ.get("STATION_ROTATION_KILL_POINTS", "8"))
WORKER = Path(__file__).with_name("rotation_worker.py")


def _run_and_kill(
    data_dir: Path, seed: int, mode: str = ""
) -> tuple[dict[str, object], list[dict[str, object]]]:
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), str(seed), *([mode] if mode else [])],
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
    if mode == "one-change":  # killed the moment the change is acknowledged
        deadline = time.monotonic() + 30
        while not acks and time.monotonic() < deadline:
            time.sleep(0.001)
    else:
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


def _resumes_exactly(services: AppServices, live: LiveRun, anchor_mono: float) -> None:
    elapsed = monotonic_with_sleep() - anchor_mono
    expected = RotationClock(live.clock.spec, live.clock.events).view(elapsed)
    resumed = services.rotation.view(live.run_id)
    assert (resumed.phase, resumed.round_index) == (expected.phase, expected.round_index)
    assert abs(resumed.remaining - expected.remaining) < 1.0


def test_the_computers_taken_out_right_before_a_kill_are_still_out(tmp_path: Path) -> None:
    """Killed the instant "Online practice is out" was acknowledged: the restarted app
    shows the re-planned board, and the clock goes on from where it was."""
    header, acks = _run_and_kill(tmp_path, 0, "one-change")
    assert len(acks) == 1 and str(acks[0]["change"]).startswith("Online practice is out.")
    services = AppServices.open(tmp_path)
    try:
        live = services.rotation.live(str(header["run"]))
        assert [c.summary for c in live.changes] == [acks[0]["change"]]
        assert board_hash(live.board) == acks[0]["board"]
        assert [e.kind.value for e in live.clock.events] == ["start"]
        _resumes_exactly(services, live, float(header["anchor_mono"]))  # type: ignore[arg-type]
    finally:
        services.close()


@pytest.mark.parametrize("seed", range(max(2, KILL_POINTS // 2)))
def test_every_acknowledged_change_survives_a_kill_with_the_clock(
    tmp_path: Path, seed: int
) -> None:
    """Changes and clock commands mixed, killed at random: every acknowledged change and
    command is in the log in order, the board is the last change's, the time resumes."""
    header, acks = _run_and_kill(tmp_path, seed, "changes")
    services = AppServices.open(tmp_path)
    try:
        live = services.rotation.live(str(header["run"]))
        acked_changes = [a for a in acks if "change" in a]
        logged = [c.summary for c in live.changes]
        assert logged[: len(acked_changes)] == [a["change"] for a in acked_changes]
        commands = [str(a["kind"]) for a in acks if "kind" in a]
        clock_logged = [e.kind.value for e in live.clock.events][1:]
        assert clock_logged[: len(commands)] == commands
        in_flight = (len(logged) - len(acked_changes)) + (len(clock_logged) - len(commands))
        assert in_flight <= 1  # at most the one in flight at the kill
        if acked_changes and len(logged) == len(acked_changes):
            assert board_hash(live.board) == acked_changes[-1]["board"]
        _resumes_exactly(services, live, float(header["anchor_mono"]))  # type: ignore[arg-type]
    finally:
        services.close()
