"""The projector finds the second screen, and follows it being plugged in and out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_rotation.ui.projector.screens import ScreenInfo, choose_screen
from station_rotation.ui.projector.window import WINDOWED_SHARE, ProjectorWindow

LAPTOP = ScreenInfo("eDP-1", 0, 0, 1366, 768)
PROJECTOR = ScreenInfo("HDMI-1", 1366, 0, 1920, 1080)
WORKER = Path(__file__).with_name("projector_screens_worker.py")


def test_one_screen_means_a_normal_window() -> None:
    """A laptop alone: the projector is a window the teacher can move and preview."""
    assert choose_screen([LAPTOP], LAPTOP) is None


def test_a_second_screen_is_chosen_over_the_teachers() -> None:
    """A projector plugged in next to the laptop gets the full-screen view."""
    assert choose_screen([LAPTOP, PROJECTOR], LAPTOP) == PROJECTOR
    assert choose_screen([PROJECTOR, LAPTOP], LAPTOP) == PROJECTOR


def test_the_teachers_screen_is_never_taken_even_when_it_is_larger() -> None:
    """The primary screen is the teacher's, even a large desk monitor: the other is used."""
    desk = ScreenInfo("DP-1", 0, 0, 2560, 1440)
    projector = ScreenInfo("HDMI-1", 2560, 0, 1280, 720)
    assert choose_screen([desk, projector], desk) == projector


def test_a_mirrored_screen_is_not_a_second_screen() -> None:
    """Mirroring puts the projector on top of the laptop's area: filling it would hide the
    teacher's screen, so the projector stays a window."""
    mirror = ScreenInfo("HDMI-1", 0, 0, 1920, 1080)
    assert choose_screen([LAPTOP, mirror], LAPTOP) is None


def test_of_several_others_the_largest_wins_and_ties_do_not_flicker() -> None:
    """Two extra screens: the larger; two equal ones: always the same (leftmost)."""
    small = ScreenInfo("DP-2", -1280, 0, 1280, 720)
    assert choose_screen([LAPTOP, small, PROJECTOR], LAPTOP) == PROJECTOR
    left = ScreenInfo("DP-3", -1920, 0, 1920, 1080)
    assert choose_screen([LAPTOP, PROJECTOR, left], LAPTOP) == left
    assert choose_screen([LAPTOP, left, PROJECTOR], LAPTOP) == left


def test_the_screen_the_teacher_chose_wins_while_it_is_connected() -> None:
    """The teacher put the projector on the smaller screen: it goes there again; once
    that screen is gone, the rule picks as before; her own screen is never taken."""
    small = ScreenInfo("DP-2", -1280, 0, 1280, 720)
    assert choose_screen([LAPTOP, small, PROJECTOR], LAPTOP, "DP-2") == small
    assert choose_screen([LAPTOP, PROJECTOR], LAPTOP, "DP-2") == PROJECTOR
    assert choose_screen([LAPTOP, PROJECTOR], LAPTOP, LAPTOP.name) == PROJECTOR


def test_without_a_known_primary_a_lone_screen_is_not_filled() -> None:
    """No primary reported (a platform quirk): fill only when there are two screens."""
    assert choose_screen([LAPTOP], None) is None
    assert choose_screen([LAPTOP, PROJECTOR], None) == PROJECTOR


def test_on_one_screen_the_window_opens_normal_and_stays_where_the_teacher_put_it(
    qtbot: QtBot,
) -> None:
    """Offscreen has one screen: a normal window, centred; screen signals leave it alone."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = ProjectorWindow()
    qtbot.addWidget(window)
    window.place_on_best_screen()
    qtbot.waitExposed(window)
    assert not window.isFullScreen()
    available = app.primaryScreen().availableGeometry()
    assert abs(window.width() - available.width() * WINDOWED_SHARE) <= 2
    assert window.geometry().center() == available.center() or (
        (window.geometry().center() - available.center()).manhattanLength() <= 2
    )

    window.move(window.x() + 40, window.y() + 30)  # the teacher moves it
    moved = window.geometry()
    app.screenAdded.emit(app.primaryScreen())
    app.primaryScreenChanged.emit(app.primaryScreen())
    assert window.geometry() == moved
    assert not window.isFullScreen()


def test_the_window_follows_a_projector_plugged_out_and_in(tmp_path: Path) -> None:
    """Two screens: full-screen on the projector; unplugged: a window on the laptop;
    plugged in again: back full-screen on it; closed: it stays closed."""
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800},
                    {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080},
                ]
            }
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run(
        [sys.executable, str(WORKER)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    steps = {
        line["step"]: line
        for line in map(json.loads, result.stdout.splitlines())
        if line.get("step")
    }
    assert steps["start"]["screen"] == "projector"
    assert steps["start"]["full_screen"] is True
    assert steps["start"]["geometry"] == [1280, 0, 1920, 1080]

    unplugged = steps["unplugged"]
    assert unplugged["full_screen"] is False and unplugged["visible"] is True
    x, y, width, height = unplugged["geometry"]
    assert x >= 0 and y >= 0 and x + width <= 1280 and y + height <= 800

    assert steps["plugged-in"]["full_screen"] is True
    assert steps["plugged-in"]["geometry"] == [1280, 0, 1920, 1080]
    assert steps["closed"]["visible"] is False


def test_a_closed_and_deleted_projector_ignores_later_screen_changes(qtbot: QtBot) -> None:
    """The panel closes and deletes the projector; plugging a screen in later is harmless."""
    from PySide6.QtCore import QEvent

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = ProjectorWindow()
    window.place_on_best_screen()
    qtbot.waitExposed(window)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.screenAdded.emit(app.primaryScreen())
    app.screenRemoved.emit(app.primaryScreen())
