"""Shared steps of the quick-check stories: open the page, press keys and count them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.ui.checks.entry_page import QuickCheckPage


def open_checks(qtbot: QtBot, services: AppServices, class_id: str) -> QuickCheckPage:
    page = QuickCheckPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 820)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    page.grid.setFocus()
    return page


class Keyboard:
    """Presses keys on the grid and counts every one of them."""

    def __init__(self, qtbot: QtBot, page: QuickCheckPage) -> None:
        self.qtbot = qtbot
        self.page = page
        self.count = 0

    def press(
        self, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.page.grid, key, modifier)
        self.count += 1

    def type(self, keys: str) -> None:
        for key in keys:
            self.press(key)


def cell_text(page: QuickCheckPage, row: int, column: int) -> str:
    return str(page.model.data(page.model.index(row, column)) or "")
