"""Stories: class starts in three actions from a fresh data folder; the last plan again in
one; rounds that start by themselves, or wait for the teacher's Space."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.clock import Phase
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.projector.scene import WAITING_STATUS
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation import launch
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.rotation.shortcuts import Command
from tests.ui.rotation_helpers import forget_rotation_settings, open_panel, use_fake_time

WORKER = Path(__file__).with_name("start_in_three_worker.py")
MIN = 60.0


@pytest.fixture(autouse=True)
def _default_settings() -> None:
    forget_rotation_settings()


def rotation_page(main_window: MainWindow) -> RotationPage:
    page = main_window.show_page("Rotation")
    assert isinstance(page, RotationPage)
    return page


def test_from_a_fresh_data_folder_the_projector_shows_round_1_in_three_actions(
    tmp_path: Path,
) -> None:
    """A new teacher with a projector plugged in: "Try a sample class", the Rotation page,
    "Start today's plan"; the projector is full screen on the second screen at round 1,
    the laptop's window stays on the laptop (TARGETS.md: <= 3 actions, counted here)."""
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
    data = tmp_path / "fresh"
    data.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run(
        [sys.executable, str(WORKER), str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [report] = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert report["actions"] == [
        "Try a sample class",
        "the Rotation page",
        "Start today's plan  [Space]",
    ]
    assert len(report["actions"]) <= 3
    assert report["projector_visible"] and report["projector_full_screen"]
    assert report["projector_screen"] == "projector"
    assert report["main_window_screen"] == "laptop"
    assert report["round"] == "Round 1 of 4"
    assert report["phase"] == "Round 1 of 4"
    assert "second screen (projector)" in report["status"]


def test_with_only_the_laptop_screen_the_projector_does_not_cover_it(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """One screen: today's plan starts, no window is put over the teacher's page, and the
    page says where the projector is and how to show it anyway."""
    section = create_sample_class(services, todays_plan=date.today())
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    assert page.start_button.text().startswith("Start today's plan")
    assert page.again_button.isHidden()  # there is a plan for today
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.run is not None and page.run.board is not None
    assert not page.projector.is_open
    assert page.status_label.text() == launch.NO_SECOND_SCREEN
    assert "Open projector" in page.status_label.text()


def test_the_last_plan_again_starts_in_one_action_and_says_who_moved(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """No plan for today: one click copies yesterday's plan, regroups it from the latest
    quick checks, starts it and lists who moved."""
    section = create_sample_class(services)
    services.plans.create(section.id, "Ratios", date.today() - timedelta(days=1))
    [target, *_] = services.targets.list_for(section.id)
    for index, entry in enumerate(services.roster.roster(section.id)):
        services.quick_checks.record(
            class_id=section.id,
            student_id=entry.student.id,
            target_id=target.id,
            score=1 + index % 4,
        )
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    assert page.again_button.isVisible()
    assert not page.start_button.text().startswith("Start today's plan")

    qtbot.mouseClick(page.again_button, Qt.MouseButton.LeftButton)

    today = services.plans.plan_for_day(section.id, date.today())
    assert today is not None and today.name == "Ratios"
    assert page.run is not None and page.run.board is not None
    assert page.run.board.plan_id == today.id
    assert page.countdown.phase_label.text() == "Round 1 of 4"
    assert page.again_label.isVisible()
    assert "students moved: " in page.again_label.text() and " → " in page.again_label.text()
    assert page.again_button.isHidden()  # today has its plan now


def test_rounds_start_by_themselves_by_default(qtbot: QtBot, services: AppServices) -> None:
    """Auto-advance on (the default): the move ends and round 2 is running, no key."""
    clock = use_fake_time(services)
    section = create_sample_class(services, todays_plan=date.today())
    page = open_panel(qtbot, services, section.id)
    assert page.advance_box.isChecked()
    page.start_selected()
    assert page.advance_label.text() == "Each round starts by itself after the move."
    clock.pass_seconds(15 * MIN + 2 * MIN + 5)
    page.ticker.tick_now()
    assert page.last_view is not None
    assert (page.last_view.phase, page.last_view.round_number) == (Phase.ROUND, 2)
    assert page.countdown.phase_label.text() == "Round 2 of 4"


def test_a_plan_that_waits_for_the_teacher_says_so_on_the_page_and_the_projector(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Auto-advance off (saved in the plan): after the move the page says "Ready: press
    Space to start round 2", the projector says the next round starts when the teacher
    says; Space starts round 2 with its full 15 minutes."""
    clock = use_fake_time(services)
    section = create_sample_class(services, todays_plan=date.today())
    page = open_panel(qtbot, services, section.id)
    plan_id = str(page.plan_picker.currentData())
    page.advance_box.setChecked(False)
    assert services.plans.get(plan_id).body.pace.auto_advance is False
    page.start_selected()
    assert not page.advance_box.isEnabled()  # the run keeps what it started with
    assert page.advance_label.text() == "Each round waits for you: press Space to start it."
    page.open_projector()
    projector = page.projector.window
    assert isinstance(projector, ProjectorWindow)
    qtbot.addWidget(projector)
    projector.resize(1280, 720)

    clock.pass_seconds(15 * MIN + 2 * MIN + 40)  # round 1 and the move are over
    page.ticker.tick_now()
    view = page.last_view
    assert view is not None and view.waiting and view.round_number == 2
    assert page.countdown.phase_label.text() == "Ready: press Space to start round 2 of 4"
    assert page.countdown.time_label.text() == "15:00"
    assert page.buttons[Command.START_PAUSE].text().startswith("Start ")
    assert projector.status_label.text() == WAITING_STATUS
    assert projector.round_label.text() == "Next: round 2 of 4"
    assert projector.countdown.text == "15:00"
    qtbot.waitUntil(lambda: not projector.flashing and not page.countdown.flashing, timeout=5000)
    page.grab().save(str(artifacts_dir / "rotation-page-waiting.png"))
    projector.grab().save(str(artifacts_dir / "projector-waiting.png"))

    clock.pass_seconds(10 * MIN)  # however long the teacher takes: still waiting
    page.ticker.tick_now()
    assert page.last_view is not None and page.last_view.waiting
    page.activateWindow()  # the teacher is back at the laptop (the projector had focus)
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    clock.pass_seconds(30)
    page.ticker.tick_now()
    view = page.last_view
    assert view is not None and (view.phase, view.round_number) == (Phase.ROUND, 2)
    assert page.countdown.time_label.text() == "14:30"
    assert projector.status_label.text() == ""
    projector.close()


def test_the_quick_timer_can_wait_for_the_teacher_too(qtbot: QtBot, services: AppServices) -> None:
    """The choice applies to a quick timer run as well (not saved in any plan)."""
    clock = use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.advance_box.setChecked(False)
    page.rounds_spin.setValue(2)
    page.minutes_spin.setValue(5)
    page.transition_spin.setValue(0)
    page.start_selected()
    clock.pass_seconds(5 * MIN + 1)
    page.ticker.tick_now()
    assert page.last_view is not None and page.last_view.waiting
    page.run_command(Command.START_PAUSE)
    assert page.last_view is not None and page.last_view.phase is Phase.ROUND
