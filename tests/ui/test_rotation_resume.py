"""After a crash or a restart, the panel offers to pick the run up where the clock says."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices
from station_rotation.services.rotation import RotationService
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.rotation.shortcuts import Command
from tests.ui.rotation_helpers import FakeTime, forget_rotation_settings, open_panel

SPEC = RunSpec((600.0, 600.0), 60.0)


@pytest.fixture(autouse=True)
def _default_settings() -> None:
    forget_rotation_settings()


def restarted(data_dir: Path, clock: FakeTime) -> AppServices:
    services = AppServices.open(data_dir)
    services.rotation = RotationService(services.store, now=clock)
    return services


def test_resume_paused_holds_the_clock_until_the_teacher_says_go(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Killed 4 min into round 1, back 1 min later: offered 5:00 left; paused, it stays."""
    clock = FakeTime()
    first = restarted(data_dir, clock)
    section = first.classes.create_class(name="Math 6")
    first.rotation.start(section.id, SPEC, title="Tuesday")
    clock.pass_seconds(240)
    first.close()
    clock.pass_seconds(60)

    services = restarted(data_dir, clock)
    try:
        page = open_panel(qtbot, services, section.id)
        assert page.banner.isVisible()
        assert "“Tuesday” was running" in page.banner.text_label.text()
        assert "5:00 left" in page.banner.text_label.text()
        qtbot.mouseClick(page.banner.resume_paused_button, Qt.MouseButton.LeftButton)
        assert not page.banner.isVisible()
        assert page.run is not None and page.last_view is not None
        assert page.last_view.paused and page.countdown.time_label.text() == "5:00"
        clock.pass_seconds(30)
        page.ticker.tick_now()
        assert page.countdown.time_label.text() == "5:00"
        page.run_command(Command.START_PAUSE)  # resume
        clock.pass_seconds(30)
        page.ticker.tick_now()
        assert page.countdown.time_label.text() == "4:30"
    finally:
        services.close()


def test_resume_goes_on_counting(qtbot: QtBot, data_dir: Path) -> None:
    """Resume: the time the app was closed counted, and the ticker runs at once."""
    clock = FakeTime()
    first = restarted(data_dir, clock)
    section = first.classes.create_class(name="Math 6")
    first.rotation.start(section.id, SPEC)
    first.close()
    clock.pass_seconds(100)

    services = restarted(data_dir, clock)
    try:
        page = open_panel(qtbot, services, section.id)
        qtbot.mouseClick(page.banner.resume_button, Qt.MouseButton.LeftButton)
        assert page.countdown.time_label.text() == "8:20"
        assert page.ticker.active
        page.ticker.stop()
    finally:
        services.close()


def test_a_run_that_ran_out_while_closed_is_not_offered(qtbot: QtBot, data_dir: Path) -> None:
    """Back after the lesson is over: nothing to resume, and the run is closed for good."""
    clock = FakeTime()
    first = restarted(data_dir, clock)
    section = first.classes.create_class(name="Math 6")
    first.rotation.start(section.id, SPEC)
    first.close()
    clock.pass_seconds(3600)

    services = restarted(data_dir, clock)
    try:
        page = open_panel(qtbot, services, section.id)
        assert not page.banner.isVisible()
        assert services.rotation.unfinished_runs(section.id) == []
    finally:
        services.close()


def test_the_app_opens_on_a_rotation_that_was_left_going(qtbot: QtBot, data_dir: Path) -> None:
    """A power cut mid-rotation: the restarted app shows the Rotation page and its offer."""
    from station_rotation.ui.app import build_main_window

    clock = FakeTime()
    first = restarted(data_dir, clock)
    section = first.classes.create_class(name="Math 6")
    first.rotation.start(section.id, SPEC, title="Tuesday")
    clock.pass_seconds(120)
    first.close()

    services = restarted(data_dir, clock)
    try:
        window = build_main_window(services)  # opens on the only class
        qtbot.addWidget(window)
        assert window.current_class_id == section.id
        page = cast(RotationPage, window.stack.currentWidget())
        assert getattr(page, "title", "") == "Rotation"
        assert not page.banner.isHidden()
        assert "“Tuesday” was running" in page.banner.text_label.text()
    finally:
        services.close()
