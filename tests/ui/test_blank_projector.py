"""Blanking the projector as the teacher set it up: "Eyes on me" or black, the clock
running on or pausing until the screen comes back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.projector.blank import EYES_ON_ME
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation import settings
from station_rotation.ui.rotation.rotation_page import RotationPage
from tests.ui.rotation_helpers import FakeTime, forget_rotation_settings, open_panel, use_fake_time


@pytest.fixture(autouse=True)
def _defaults() -> None:
    forget_rotation_settings()


@pytest.fixture
def clock(services: AppServices) -> FakeTime:
    return use_fake_time(services)


@pytest.fixture
def page(qtbot: QtBot, services: AppServices, clock: FakeTime) -> Iterator[RotationPage]:
    section = create_sample_class(services, students=12)
    services.plans.create(section.id, "Ratios day", date.today())
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    yield page
    page.projector.close()


def projector(qtbot: QtBot, page: RotationPage) -> ProjectorWindow:
    page.open_projector()
    window = page.projector.window
    assert isinstance(window, ProjectorWindow)
    window.resize(1280, 720)
    qtbot.waitExposed(window)
    return window


def test_by_default_the_blank_says_eyes_on_me_and_the_clock_runs_on(
    qtbot: QtBot, page: RotationPage, clock: FakeTime, services: AppServices
) -> None:
    window = projector(qtbot, page)
    assert page.run is not None
    page.set_blank(True)
    assert window.blanked and window._blank.words == EYES_ON_ME
    before = services.rotation.view(page.run.run_id).remaining
    clock.pass_seconds(30)
    view = services.rotation.view(page.run.run_id)
    assert view.running and view.remaining == pytest.approx(before - 30)
    page.set_blank(False)
    assert not window.blanked


def test_black_and_pausing_as_the_teacher_chose(
    qtbot: QtBot, page: RotationPage, clock: FakeTime, services: AppServices, artifacts_dir: Path
) -> None:
    window = projector(qtbot, page)
    assert page.run is not None
    page.blank_settings.style_picker.setCurrentIndex(
        page.blank_settings.style_picker.findData("black")
    )
    page.blank_settings.pause_box.setChecked(True)
    assert settings.BLANK_STYLE.get() == "black" and settings.BLANK_PAUSES.get()

    page.set_blank(True)
    assert window.blanked and window._blank.words == ""
    image = window.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == "#000000"
    window.grab().save(str(artifacts_dir / "projector-blank-black.png"))
    held = services.rotation.view(page.run.run_id)
    assert held.paused
    clock.pass_seconds(120)
    assert services.rotation.view(page.run.run_id).remaining == pytest.approx(held.remaining)

    page.set_blank(False)  # the screen comes back: so does the clock, where it was
    view = services.rotation.view(page.run.run_id)
    assert view.running and view.remaining == pytest.approx(held.remaining)
