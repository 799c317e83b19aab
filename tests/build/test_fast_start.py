"""A teacher opening the app again starts fast: no Alembic when the schema is current."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "station-rotation: usable after"


def _start(data_dir: Path, *python_flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "station_rotation", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "STATION_ROTATION_EXIT_AFTER_SHOWN": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_second_start_reports_a_usable_window_without_importing_alembic(tmp_path: Path) -> None:
    """The start probe reports the usable window; the second start never imports Alembic."""
    first = _start(tmp_path)  # creates and migrates the data file
    assert first.returncode == 0, first.stderr
    assert MARKER in first.stdout

    second = _start(tmp_path, "-X", "importtime")

    assert second.returncode == 0, second.stderr
    seconds = float(second.stdout.split(MARKER)[1].split()[0])
    assert 0 < seconds < 60
    imported = [line.split("|")[-1].strip() for line in second.stderr.splitlines()]
    assert "sqlmodel" in imported  # the import log is really there
    assert not [name for name in imported if name.startswith("alembic")]
    # Features load when first used: none of their modules is on the start path.
    on_first_use = (
        "station_rotation.ui.plan",
        "station_rotation.ui.checks",
        "station_rotation.ui.insights",
        "station_rotation.ui.projector",
        "station_rotation.services.plans",
        "station_rotation.sync.engine",
        "PySide6.QtPrintSupport",
        "PySide6.QtMultimedia",
        "httpx",
        "keyring",
        "segno",
    )
    assert not [name for name in imported if name.startswith(on_first_use)]
