"""The main window on a new data folder and after trying the sample class."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_rotation import APP_NAME
from station_rotation.services.app import AppServices
from station_rotation.ui.main_window import READABLE_POINT_SIZE, MainWindow
from station_rotation.ui.pages.roster_page import RosterPage


def test_empty_app_offers_the_sample_class(
    main_window: MainWindow, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """A newcomer sees the welcome screen; one click gives a working class and its roster."""
    main_window.resize(1100, 720)
    assert main_window.stack.currentWidget() is main_window.welcome
    assert main_window.windowTitle() == APP_NAME
    assert main_window.welcome.sample_button.isVisible()
    assert main_window.welcome.sample_button.height() >= 40  # the obvious first step
    main_window.grab().save(str(artifacts_dir / "welcome.png"))
    qtbot.mouseClick(main_window.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.current_class_id is not None)
    assert main_window.class_picker.currentText().startswith("Sample")
    assert main_window.windowTitle() == f"{main_window.class_picker.currentText()} — {APP_NAME}"
    assert isinstance(main_window.stack.currentWidget(), RosterPage)
    nav = main_window.nav
    assert [nav.item(row).text() for row in range(nav.count())][:2] == ["Classes", "Roster"]


def test_text_is_readable(main_window: MainWindow) -> None:
    """The window's text is at least the readable size, whatever the desktop's default."""
    assert main_window.font().pointSizeF() >= READABLE_POINT_SIZE


def test_ctrl_n_creates_and_opens_a_class(
    main_window: MainWindow, services: AppServices, qtbot: QtBot
) -> None:
    """From the welcome screen, Ctrl+N, a name and Enter give a new class, opened."""
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.new_class_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    qtbot.keyClicks(dialog.name, "Reading 3")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main_window.current_class_id is not None)
    assert [c.name for c in services.classes.list_classes()] == ["Reading 3"]
    assert main_window.windowTitle().startswith("Reading 3")
