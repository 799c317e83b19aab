"""The garbage collector paused for start-up runs again once the window is up, whatever
happened: the window opened on the quick reader, on a new file, or the file was refused."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

WORKER = Path(__file__).with_name("startup_collector_worker.py")


def _start(data_dir: Path) -> list[dict[str, object]]:
    """Start the GUI in its own process on ``data_dir``; the collector's states it reported."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.startup_collector_worker", str(data_dir)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _sample(data_dir: Path) -> None:
    services = AppServices.open(data_dir)
    try:
        create_sample_class(services, students=4)
    finally:
        services.close()


@pytest.mark.parametrize("file", ["sample", "new"])
def test_the_collector_runs_again_once_the_window_is_up(data_dir: Path, file: str) -> None:
    """A teacher's file (quick first paint, services after) or a new one: once the window
    is up the collector is enabled with its usual thresholds, start-up's objects frozen."""
    if file == "sample":
        _sample(data_dir)
    states = _start(data_dir)
    started = next(s for s in states if s["step"] == "started")
    assert started["enabled"] is True
    assert started["threshold"] == list(gc.get_threshold())  # this process's: the defaults
    assert isinstance(started["frozen"], int) and started["frozen"] > 0
    assert [s["code"] for s in states] == [0, 0]


def test_the_collector_runs_again_when_the_file_is_refused(data_dir: Path) -> None:
    """A file that is not a database: the app says so and stops, its collector on again."""
    (data_dir / DB_FILENAME).write_bytes(b"not a database, a photo of the class" * 100)
    states = _start(data_dir)
    assert [s["step"] for s in states] == ["refused", "returned"]
    returned = states[-1]
    assert returned["code"] == 2
    assert returned["enabled"] is True
    assert returned["threshold"] == list(gc.get_threshold())
