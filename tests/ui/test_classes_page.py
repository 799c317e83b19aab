"""The Classes page: a teacher creates, renames, opens, archives and restores classes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.dialogs.class_dialog import ClassDialog
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.models.class_model import ClassListModel
from station_rotation.ui.pages.classes_page import ClassesPage
from station_rotation.ui.pages.roster_page import RosterPage


def _focus(widget: QWidget, qtbot: QtBot) -> None:
    """Give ``widget`` the keyboard, as a click into the window would."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus()


def _classes_page(window: MainWindow, services: AppServices) -> ClassesPage:
    sample = create_sample_class(services)
    window.select_class(sample.id)
    page = window.show_page("Classes")
    assert isinstance(page, ClassesPage)
    return page


def _dialog(page: ClassesPage, qtbot: QtBot) -> ClassDialog:
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    return dialog


def test_teacher_creates_a_class_and_opens_it(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """New class... saves the details; Enter on it makes it the window's class."""
    page = _classes_page(main_window, services)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(page, qtbot)
    qtbot.keyClicks(dialog.name, "Science 7, period 4")
    dialog.subject.setText("Science")
    dialog.grade.setText("7")
    dialog.period.setText("4")
    dialog.grab().save(str(artifacts_dir / "class-dialog.png"))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is None)

    created = [c for c in services.classes.list_classes() if c.name == "Science 7, period 4"]
    assert [(c.subject, c.grade, c.period) for c in created] == [("Science", "7", "4")]
    assert page.selected_class_id() == created[0].id
    row = page.model.row_of(created[0].id)
    assert page.model.index(row, 4).data() == "0"
    sample_row = 1 - row
    assert page.model.index(sample_row, 4).data() == "28"
    page.grab().save(str(artifacts_dir / "classes-page.png"))

    _focus(page.table, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert main_window.current_class_id == created[0].id
    assert (
        page.model.index(page.model.row_of(created[0].id), 0).data(Qt.ItemDataRole.FontRole).bold()
    )
    assert main_window.windowTitle().startswith("Science 7, period 4")
    assert isinstance(main_window.stack.currentWidget(), RosterPage)


def test_teacher_renames_a_class(
    main_window: MainWindow, services: AppServices, qtbot: QtBot
) -> None:
    """Edit details renames the class in the file, the picker and the window title."""
    page = _classes_page(main_window, services)
    class_id = main_window.current_class_id
    assert class_id is not None and page.select_row_of(class_id)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(page, qtbot)
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Math 6 (blue)")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert services.classes.get_class(class_id).name == "Math 6 (blue)"
    qtbot.waitUntil(lambda: main_window.class_picker.currentText() == "Math 6 (blue)")
    assert main_window.windowTitle().startswith("Math 6 (blue)")


def test_an_empty_name_is_refused_in_the_dialog(
    main_window: MainWindow, services: AppServices, qtbot: QtBot
) -> None:
    """A class needs a name: the dialog says so and stays open; nothing is created."""
    page = _classes_page(main_window, services)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(page, qtbot)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Name: cannot be empty" in dialog.error_label.text()
    assert len(services.classes.list_classes(include_archived=True)) == 1


def test_archive_and_restore_a_class(
    main_window: MainWindow, services: AppServices, qtbot: QtBot
) -> None:
    """Archiving hides a class (nothing deleted); Show archived and Restore bring it back."""
    page = _classes_page(main_window, services)
    other = services.classes.create_class(name="Art 8")
    qtbot.waitUntil(lambda: page.select_row_of(other.id))
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert services.classes.get_class(other.id).archived
    assert "Show archived" in main_window.statusBar().currentMessage()
    assert page.model.row_of(other.id) == -1
    qtbot.waitUntil(lambda: main_window.class_picker.findData(other.id) == -1)

    page.show_archived.setChecked(True)
    assert page.select_row_of(other.id)
    assert page.model.index(page.model.row_of(other.id), 5).data() == "Archived"
    assert not page.open_button.isEnabled()
    assert page.archive_button.text() == "Restore"
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert not services.classes.get_class(other.id).archived
    qtbot.waitUntil(lambda: main_window.class_picker.findData(other.id) >= 0)


def test_class_model_passes_the_model_tester(
    services: AppServices,
    qtmodeltester: ModelTester,
) -> None:
    """The class list model keeps Qt's item-model contract, with an archived class shown."""
    create_sample_class(services)
    archived = services.classes.create_class(name="Old class")
    services.classes.set_archived(archived.id, True)
    model = ClassListModel(services)
    model.include_archived = True
    model.reload()
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_the_last_class_archived_can_be_restored(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """With every class archived the welcome screen offers them back; Restore reopens one."""
    only = services.classes.create_class(name="Math 6")
    main_window.select_class(only.id)
    services.classes.set_archived(only.id, True)
    qtbot.waitUntil(lambda: main_window.stack.currentWidget() is main_window.welcome)
    assert main_window.current_class_id is None
    assert main_window.welcome.archived_button.isVisible()
    main_window.grab().save(str(artifacts_dir / "welcome-all-archived.png"))

    qtbot.mouseClick(main_window.welcome.archived_button, Qt.MouseButton.LeftButton)
    page = main_window.stack.currentWidget()
    assert isinstance(page, ClassesPage)
    assert page.select_row_of(only.id)
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert not services.classes.get_class(only.id).archived
    qtbot.waitUntil(lambda: main_window.current_class_id == only.id)
    assert main_window.nav.isVisible()
