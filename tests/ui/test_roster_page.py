"""The Roster page: a teacher adds, edits, finds, archives and restores students."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.dialogs.student_dialog import StudentDialog
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.models.roster_model import RosterModel, display_name
from station_rotation.ui.pages.roster_page import RosterPage
from tests.docs_images import docs_image


def _roster_page(window: MainWindow, services: AppServices, name: str = "Math 6") -> RosterPage:
    section = services.classes.create_class(name=name)
    window.select_class(section.id)
    page = window.show_page("Roster")
    assert isinstance(page, RosterPage)
    return page


def _focus(widget: QWidget, qtbot: QtBot) -> None:
    """Give ``widget`` the keyboard, as a click into the window would."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus()


def _open_add_dialog(page: RosterPage, qtbot: QtBot) -> StudentDialog:
    _focus(page.table, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.given_name)
    return dialog


def _type_student(dialog: StudentDialog, qtbot: QtBot, given: str, family: str) -> None:
    """Type the names with the keyboard only: Tab between fields, Enter to save."""
    qtbot.keyClicks(QApplication.focusWidget(), given)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), family)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def _names(services: AppServices, class_id: str, archived: bool = False) -> list[str]:
    return [
        display_name(e.student) for e in services.roster.roster(class_id, include_archived=archived)
    ]


def test_teacher_adds_students_with_the_keyboard(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """Insert opens the form; typing names and Enter saves them to the file."""
    page = _roster_page(main_window, services)
    assert page.empty_hint.isVisible() and "Insert" in page.empty_hint.text()
    page.grab().save(str(artifacts_dir / "roster-empty.png"))
    for given, family in (("Ana", "Lopez"), ("Ben", "Okafor")):
        dialog = _open_add_dialog(page, qtbot)
        _type_student(dialog, qtbot, given, family)
        qtbot.waitUntil(lambda: page.dialog is None)
    assert main_window.current_class_id is not None
    assert _names(services, main_window.current_class_id) == ["Ana Lopez", "Ben Okafor"]
    assert page.model.rowCount() == 2
    assert page.count_label.text() == "2 students"
    assert "Saved Ben Okafor" in main_window.statusBar().currentMessage()
    assert not page.empty_hint.isVisible()


def test_a_refused_student_is_explained_in_the_dialog(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """Saving with no given name keeps the dialog open with the reason; nothing is saved."""
    page = _roster_page(main_window, services)
    dialog = _open_add_dialog(page, qtbot)
    dialog.family_name.setText("Nameless")
    dialog.notes.setPlainText("Sits near the door.")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "Given name" in dialog.error_label.text()
    assert "Private: never shown on the projector" in dialog.private_label.text()
    dialog.grab().save(str(artifacts_dir / "student-dialog-refused.png"))
    assert main_window.current_class_id is not None
    assert _names(services, main_window.current_class_id, archived=True) == []


def test_teacher_edits_a_preferred_name(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """Enter on a selected student opens the form; the preferred name shows on the roster."""
    page = _roster_page(main_window, services)
    assert page.class_id is not None
    student = services.roster.add_student(
        page.class_id, given_name="Alexander", family_name="Petrov", source_id="district-77"
    )
    qtbot.waitUntil(lambda: page.select_student(student.id))  # the page heard of the change
    _focus(page.table, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog is not None
    assert dialog.source_id.isReadOnly()  # the district's id links the student
    assert dialog.source_hint.isVisible()
    _focus(dialog.preferred_name, qtbot)
    qtbot.keyClicks(dialog.preferred_name, "Sasha")
    dialog.iep.setChecked(True)
    dialog.grab().save(str(artifacts_dir / "student-dialog-edit.png"))
    qtbot.keyClick(dialog.preferred_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is None)
    stored = services.roster.get_student(student.id)
    assert (stored.preferred_name, stored.iep, stored.source_id) == ("Sasha", True, "district-77")
    assert page.model.index(0, 0).data() == "Sasha (Alexander) Petrov"
    assert page.model.index(0, 3).data() == "IEP"


def test_search_archive_and_restore(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """Ctrl+F finds a student; Delete archives (kept in the file); Restore brings them back."""
    section = create_sample_class(services)
    main_window.select_class(section.id)
    page = main_window.show_page("Roster")
    assert isinstance(page, RosterPage)
    total = page.model.rowCount()
    assert total == 28
    _focus(page.table, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    target = page.model.entry(5).student
    qtbot.keyClicks(page.search, "zzz")
    assert page.model.rowCount() == 0 and "zzz" in page.empty_hint.text()
    page.search.clear()
    qtbot.keyClicks(page.search, target.family_name)
    assert 1 <= page.model.rowCount() < total
    assert page.select_student(target.id)

    _focus(page.table, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    archived = [e for e in services.roster.roster(section.id, include_archived=True) if e.archived]
    assert [e.student.id for e in archived] == [target.id]
    assert services.roster.get_student(target.id).given_name == target.given_name  # not deleted
    assert "Show archived" in main_window.statusBar().currentMessage()

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert len(services.roster.roster(section.id)) == total
    assert page.selected_student_id() == target.id
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # and archive again

    page.search.clear()
    assert page.model.rowCount() == total - 1
    assert page.table.isColumnHidden(5)
    assert page.count_label.text() == f"{total - 1} students, 1 archived"
    page.show_archived.setChecked(True)
    assert page.model.rowCount() == total
    assert not page.table.isColumnHidden(5)
    assert page.select_student(target.id)
    row = page.model.row_of(target.id)
    assert page.model.index(row, 5).data() == "Archived"
    assert page.model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert page.archive_button.text() == "Restore"
    QApplication.processEvents()  # let the layout settle, as the event loop would
    main_window.grab().save(str(artifacts_dir / "roster-archived.png"))
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert len(services.roster.roster(section.id)) == total
    assert page.count_label.text() == f"{total} students"


def test_header_click_sorts_the_roster(
    main_window: MainWindow, services: AppServices, qtbot: QtBot
) -> None:
    """Sorting by student ID puts the lowest ID first; the store's order is untouched."""
    section = create_sample_class(services)
    main_window.select_class(section.id)
    page = main_window.show_page("Roster")
    assert isinstance(page, RosterPage)
    ids = sorted(e.student.identifier for e in services.roster.roster(section.id))
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [page.proxy.index(r, 2).data() for r in range(3)] == ids[:3]
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert page.proxy.index(0, 2).data() == ids[-1]


def test_roster_model_passes_the_model_tester(
    services: AppServices,
    qtmodeltester: ModelTester,
) -> None:
    """The roster model keeps Qt's item-model contract, with archived rows shown."""
    section = create_sample_class(services)
    first = services.roster.roster(section.id)[0]
    services.roster.set_archived(section.id, first.student.id, True)
    model = RosterModel(services.roster)
    model.include_archived = True
    model.set_class(section.id)
    assert model.rowCount() == 28
    qtmodeltester.check(model)


def test_sample_roster_screenshot(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """The README's picture: the sample class's roster at 1100x720."""
    qtbot.mouseClick(main_window.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.current_class_id is not None)
    page = main_window.stack.currentWidget()
    assert isinstance(page, RosterPage)
    assert page.count_label.text() == "28 students"
    main_window.resize(1100, 720)
    page.select_student(page.model.entry(2).student.id)
    page.table.setFocus()
    image = main_window.grab()
    image.save(str(artifacts_dir / "roster.png"))
    image.save(str(docs_image("roster.png")))


def test_the_roster_says_who_teaches_the_class(
    main_window: MainWindow, services: AppServices, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """A class from the district's OneRoster export shows its teacher over the roster."""
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "oneroster" / "quirky-1.2"
    summary = services.roster_import.import_roster(fixture)
    main_window.select_class(summary.class_ids[0])
    page = main_window.show_page("Roster")
    assert isinstance(page, RosterPage)
    qtbot.waitUntil(lambda: page.teachers_label.isVisible())
    assert page.teachers_label.text() == "Taught by Pat Teacher0"
    page.grab().save(str(artifacts_dir / "roster_teachers.png"))
    own = services.classes.create_class(name="Art club")  # made here: no teacher to name
    main_window.select_class(own.id)
    qtbot.waitUntil(lambda: page.teachers_label.isHidden())


def test_the_teacher_line_shows_on_the_first_screen_without_the_data_layer(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Opened straight on the Roster, the teacher line comes from the quick reader (the
    data layer is not loaded for it) and stays the same once the services have loaded."""
    from station_rotation.services.first_screen_stand_in import FirstScreenStandIn
    from station_rotation.ui.app import (  # type: ignore[attr-defined]  # ui.app does not re-export ServicesWarmUp
        ServicesWarmUp,
        make_application,
        open_main_window,
    )

    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "oneroster" / "quirky-1.2"
    services = AppServices.open(data_dir)
    try:
        class_id = services.roster_import.import_roster(fixture).class_ids[0]
    finally:
        services.close()
    make_application([])
    window, _warm = open_main_window(data_dir)
    qtbot.addWidget(window)
    early = window.services
    assert isinstance(early, FirstScreenStandIn)
    try:
        window.select_class(class_id)
        page = window.show_page("Roster")
        assert isinstance(page, RosterPage)
        assert early.loaded is None
        assert page.teachers_label.text() == "Taught by Pat Teacher0"
        window.show()
        warm_up = window.findChild(ServicesWarmUp)
        assert isinstance(warm_up, ServicesWarmUp)
        qtbot.waitUntil(lambda: warm_up.done, timeout=10000)
        assert page.teachers_label.text() == "Taught by Pat Teacher0"
    finally:
        window.close()
        window.services.close()
