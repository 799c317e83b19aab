"""District IT's check after installing: ``station-rotation self-test`` from source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_rotation", *args],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_self_test_passes_every_step_and_leaves_the_teachers_data_alone(tmp_path: Path) -> None:
    """Every step passes, each is printed, and the real data folder is never created."""
    teacher_data = tmp_path / "teacher-data"
    result = _run("--data-dir", str(teacher_data), "self-test")

    assert result.returncode == 0, result.stdout + result.stderr
    for step in (
        "resources",
        "migration scripts",
        "open the data file",
        "load the sample class",
        "integrity check",
        "main window",
    ):
        assert f"] {step}: ok" in result.stdout
    assert "self-test passed." in result.stdout
    assert not teacher_data.exists()


def test_self_test_names_the_step_that_failed(tmp_path: Path) -> None:
    """With the bundled resources missing, it fails at that step and says so."""
    empty = tmp_path / "no-resources"
    empty.mkdir()
    probe = (
        "import sys, station_rotation.paths as p;"
        f"p.resources_dir = lambda: __import__('pathlib').Path({str(empty)!r});"
        "from station_rotation.cli.main import main; sys.exit(main(['self-test']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "[1/7] resources: FAILED" in result.stdout
    assert "self-test FAILED at step 1 (resources)." in result.stdout
