"""Shared set-up for the rotation panel stories: a fake time line and an open panel."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.timesource import Anchor
from station_rotation.services.app import AppServices
from station_rotation.services.rotation import RotationService
from station_rotation.ui.rotation.rotation_page import RotationPage


class FakeTime:
    """A controllable time source: wall and monotonic clocks of one boot."""

    def __init__(self) -> None:
        self.wall, self.mono, self.boot = 1_800_000_000.0, 5_000.0, "boot-1"

    def __call__(self) -> Anchor:
        return Anchor(self.wall, self.mono, self.boot)

    def pass_seconds(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


def use_fake_time(services: AppServices) -> FakeTime:
    """Give the app's rotation service a clock the test moves by hand."""
    clock = FakeTime()
    services.rotation = RotationService(services.store, now=clock)
    return clock


def open_panel(qtbot: QtBot, services: AppServices, class_id: str) -> RotationPage:
    page = RotationPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def forget_rotation_settings() -> None:
    """Start from the defaults: Qt keeps one settings file per process across tests."""
    from PySide6.QtCore import QSettings

    settings = QSettings()
    for group in ("rotation", "projector"):
        settings.remove(group)
