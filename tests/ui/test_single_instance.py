"""One app per data folder: a second start hands over to the first; a crash frees the folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from station_rotation.ui.single_instance import LOCK_NAME

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def _start_app(data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "station_rotation", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_lock(data_dir: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not (data_dir / LOCK_NAME).exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the app did not take its lock"
        time.sleep(0.05)
    time.sleep(0.3)  # the local server starts listening just after the lock


def test_second_start_defers_to_the_running_app_and_a_crash_frees_the_folder(
    data_dir: Path,
) -> None:
    """The second window is refused politely; after a SIGKILL the app starts again."""
    first = _start_app(data_dir)
    try:
        _wait_for_lock(data_dir, first)
        second = _start_app(data_dir)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "already open" in out
        assert first.poll() is None  # the first one keeps running
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

    third = _start_app(data_dir)  # the stale lock of a killed process does not block
    try:
        time.sleep(0.5)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and third.poll() is None:
            lock = data_dir / LOCK_NAME
            if lock.exists() and str(third.pid) in lock.read_text(errors="replace"):
                break
            time.sleep(0.05)
        assert third.poll() is None, third.communicate()
        assert str(third.pid) in (data_dir / LOCK_NAME).read_text(errors="replace")
    finally:
        third.send_signal(signal.SIGKILL)
        third.wait(timeout=10)
