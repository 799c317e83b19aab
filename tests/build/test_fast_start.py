"""A teacher opening the app again starts fast: no Alembic when the schema is current, and
the first screen painted before SQLAlchemy, pydantic and SQLModel are imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "station-rotation: usable after"
READY_MARKER = "station-rotation: services ready after"
DATA_LAYER = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core", "alembic")

# The app, with an audit hook that prints the first import of each data-layer package on
# the same stream as the start probe, so the order of the lines is the order of events.
WATCHED_START = f"""
import sys
seen = set()
def watch(event, args):
    top = args[0].split(".")[0] if event == "import" else ""
    if top in {DATA_LAYER!r} and top not in seen:
        seen.add(top)
        print("imported", top, flush=True)
sys.addaudithook(watch)
from station_rotation.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _start(data_dir: Path, *python_args: str) -> subprocess.CompletedProcess[str]:
    args = python_args or ("-m", "station_rotation")
    return subprocess.run(
        [sys.executable, *args, "--data-dir", str(data_dir)],
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

    second = _start(tmp_path, "-X", "importtime", "-m", "station_rotation")

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
        "station_rotation.services.plans.plans",
        "station_rotation.sync.engine",
        "PySide6.QtPrintSupport",
        "PySide6.QtMultimedia",
        "httpx",
        "keyring",
        "segno",
    )
    assert not [name for name in imported if name.startswith(on_first_use)]


def _events(stdout: str) -> dict[str, int]:
    """Line numbers of the probe's lines ("usable", "ready") and of each first import."""
    found: dict[str, int] = {}
    for number, line in enumerate(stdout.splitlines()):
        if line.startswith(MARKER):
            found["usable"] = number
        elif line.startswith(READY_MARKER):
            found["ready"] = number
        elif line.startswith("imported "):
            found[line.split()[1]] = number
    return found


def test_the_first_screen_is_painted_before_the_data_layer_is_imported(tmp_path: Path) -> None:
    """A normal start paints the real window from plain sqlite3, then loads the data layer;
    the very first start (the file is created and migrated) loads it before the window."""
    first = _start(tmp_path, "-c", WATCHED_START)
    assert first.returncode == 0, first.stderr
    events = _events(first.stdout)
    assert "ready" not in events  # nothing left to load after the paint
    assert events["sqlalchemy"] < events["alembic"] < events["usable"]

    second = _start(tmp_path, "-c", WATCHED_START)

    assert second.returncode == 0, second.stderr
    events = _events(second.stdout)
    assert "alembic" not in events
    for name in ("sqlalchemy", "sqlmodel", "pydantic"):  # the hook really watches
        assert events["usable"] < events[name] < events["ready"], second.stdout
