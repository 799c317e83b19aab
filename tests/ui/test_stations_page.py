"""A teacher sets up the stations of a room on the Stations page (real widgets, real file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.core.stations import StationKind
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.models.ordered_model import OrderedListModel
from station_rotation.ui.pages.stations_page import StationsPage
from tests.docs_images import docs_image


def open_page(qtbot: QtBot, services: AppServices, class_id: str) -> StationsPage:
    page = StationsPage(services)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def names(services: AppServices, class_id: str, archived: bool = False) -> list[str]:
    return [s.name for s in services.stations.list_for(class_id, include_archived=archived)]


def add_station(
    qtbot: QtBot, page: StationsPage, name: str, kind: StationKind, capacity: int
) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.details.title() == "New station"
    qtbot.keyClicks(page.name_edit, name)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind.value))
    page.capacity_spin.setValue(capacity)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status_label.text() == f"Saved “{name}”."


def drag_row_onto_row(page: StationsPage, source: int, target: int) -> None:
    """Send the events of a drag of row ``source`` released just above row ``target``."""
    model = page.model
    data = model.mimeData([model.index(source, 0)])
    rect = page.table.visualRect(model.index(target, 0))
    pos = QPointF(rect.center().x(), rect.top() + 1)
    viewport = page.table.viewport()
    buttons, no_keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    for event in (
        # Drag enter/move take a whole-pixel QPoint (PySide6 < 6.12), the drop a QPointF.
        QDragEnterEvent(pos.toPoint(), move, data, buttons, no_keys),
        QDragMoveEvent(pos.toPoint(), move, data, buttons, no_keys),
    ):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    drop = QDropEvent(pos, move, data, buttons, no_keys)
    QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()


def selected_name(page: StationsPage) -> str:
    rows = page.table.selectionModel().selectedRows()
    assert len(rows) == 1
    return str(page.model.data(rows[0]))


def test_add_four_stations_and_reorder_them(qtbot: QtBot, services: AppServices) -> None:
    """Four stations typed in appear in order; keyboard, model drop and a view drop reorder them."""
    section = services.classes.create_class(name="Science 7")
    page = open_page(qtbot, services, section.id)
    assert "no stations yet" in page.empty_label.text()

    add_station(qtbot, page, "Lab bench", StationKind.TEACHER_LED, 6)
    add_station(qtbot, page, "Chromebooks", StationKind.ONLINE, 10)
    add_station(qtbot, page, "Poster", StationKind.COLLABORATIVE, 8)
    add_station(qtbot, page, "Worksheet", StationKind.INDEPENDENT, 12)
    stored = services.stations.list_for(section.id)
    assert [s.name for s in stored] == ["Lab bench", "Chromebooks", "Poster", "Worksheet"]
    assert [s.kind for s in stored] == ["teacher-led", "online", "collaborative", "independent"]
    assert [s.capacity for s in stored] == [6, 10, 8, 12]
    assert page.model.rowCount() == 4 and not page.empty_label.isVisible()
    assert selected_name(page) == "Worksheet"

    # Keyboard: Ctrl+Up twice, then Alt+Down once; the selection follows the row.
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert names(services, section.id) == ["Lab bench", "Worksheet", "Chromebooks", "Poster"]
    assert selected_name(page) == "Worksheet"
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(services, section.id) == ["Lab bench", "Chromebooks", "Worksheet", "Poster"]
    assert selected_name(page) == "Worksheet"
    qtbot.wait(10)  # the change relay redraws; the selection must survive it
    assert selected_name(page) == "Worksheet"

    # A drop as a view makes it: "Lab bench" dragged between "Worksheet" and "Poster".
    model = page.model
    data = model.mimeData([model.index(0, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert names(services, section.id) == ["Chromebooks", "Worksheet", "Lab bench", "Poster"]

    # Real drag events on the table's viewport (enter, move, drop) onto the first row's
    # upper edge, as Qt's drag manager sends them while the teacher drags "Poster".
    drag_row_onto_row(page, 3, 0)
    assert names(services, section.id) == ["Poster", "Chromebooks", "Worksheet", "Lab bench"]
    assert [model.data(model.index(r, 0)) for r in range(4)] == names(services, section.id)


def test_edit_instructions_and_link_and_refuse_bad_input(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Edits are saved on Save; a bad link or capacity is refused, shown, and nothing changes."""
    section = create_sample_class(services, students=4)
    page = open_page(qtbot, services, section.id)
    page.table.select_row(2)
    assert page.name_edit.text() == "Collaborative task"
    assert page.status_label.text() == "All changes saved."

    page.instructions_edit.setPlainText("")
    qtbot.keyClicks(page.instructions_edit, "Build the tallest tower. Sketch it first.")
    page.link_edit.clear()
    qtbot.keyClicks(page.link_edit, "https://example.org/towers")
    assert "Unsaved changes" in page.status_label.text()
    stored = services.stations.list_for(section.id)[2]
    assert stored.content_url == ""  # not saved until the teacher saves
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    stored = services.stations.get(stored.id)
    assert stored.instructions == "Build the tallest tower. Sketch it first."
    assert stored.content_url == "https://example.org/towers"
    assert page.status_label.text() == "Saved “Collaborative task”."
    assert page.model.data(page.model.index(2, 4)) == "example.org/towers"

    # A link without http(s): refused with a reason beside the form, nothing written.
    before = services.stations.get(stored.id)
    page.link_edit.setText("example.org/towers")
    page.name_edit.setText("Tower challenge")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.error_label.isVisible()
    assert "http://" in page.error_label.text() and "Not saved" in page.error_label.text()
    assert services.stations.get(stored.id) == before
    page.grab().save(str(artifacts_dir / "stations-refused-link.png"))
    # Moving to another row does not lose the edit: the page stays on the form to fix.
    page.table.select_row(0)
    qtbot.waitUntil(lambda: selected_name(page) == "Collaborative task")
    assert page.name_edit.text() == "Tower challenge"
    assert services.stations.get(stored.id) == before

    # The capacity box refuses 0 and 500; an empty name is refused by the service.
    page.link_edit.setText("https://example.org/towers")
    page.capacity_spin.lineEdit().selectAll()
    qtbot.keyClicks(page.capacity_spin, "0")
    assert page.capacity_spin.value() >= 1
    page.capacity_spin.lineEdit().selectAll()
    qtbot.keyClicks(page.capacity_spin, "500")
    assert page.capacity_spin.value() <= 60
    page.name_edit.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Name: cannot be empty" in page.error_label.text()
    assert services.stations.get(stored.id) == before

    # Discard brings back what is saved.
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.name_edit.text() == "Collaborative task"
    assert not page.error_label.isVisible()
    assert not page.dirty


def test_archive_and_restore_a_station(qtbot: QtBot, services: AppServices) -> None:
    """An archived station leaves the list, shows greyed under Show archived, and comes back."""
    section = create_sample_class(services, students=4)
    page = open_page(qtbot, services, section.id)
    page.table.select_row(1)
    assert page.archive_button.text() == "Archive"
    page.minutes_spin.setValue(20)  # an edit not yet saved is saved before archiving
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    archived = services.stations.list_for(section.id, include_archived=True)[-1]
    assert (archived.name, archived.default_minutes, archived.archived) == (
        "Online practice",
        20,
        True,
    )
    assert names(services, section.id) == [
        "Teacher table",
        "Collaborative task",
        "Independent practice",
    ]
    assert page.model.rowCount() == 3
    assert page.status_label.text() == "Archived “Online practice”."

    page.show_archived.setChecked(True)
    assert page.model.rowCount() == 4
    assert page.model.data(page.model.index(3, 0)) == "Online practice (archived)"
    assert not page.model.flags(page.model.index(3, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    page.table.select_row(3)
    assert page.archive_button.text() == "Restore"
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert names(services, section.id) == [
        "Teacher table",
        "Online practice",
        "Collaborative task",
        "Independent practice",
    ]
    assert selected_name(page) == "Online practice"


def test_the_ordered_model_follows_qt_rules(
    qtbot: QtBot, qtmodeltester: ModelTester, services: AppServices
) -> None:
    """The shared ordered-list model passes Qt's model checks, including after a move."""
    section = create_sample_class(services, students=2)
    page = open_page(qtbot, services, section.id)
    model: OrderedListModel = page.model  # type: ignore[type-arg]
    qtmodeltester.check(model)
    assert model.move_row(0, 3)
    assert model.moveRows(QModelIndex(), 3, 1, QModelIndex(), 0)
    assert names(services, section.id)[0] == "Teacher table"
    qtmodeltester.check(model)


def test_stations_page_in_the_window_with_the_sample_class(
    qtbot: QtBot, main_window: MainWindow, services: AppServices, artifacts_dir: Path
) -> None:
    """The sample class's stations show in the window, first one open in the form (screenshot)."""
    section = create_sample_class(services)
    main_window.select_class(section.id)
    page = main_window.show_page("Stations")
    assert isinstance(page, StationsPage)
    assert main_window.stack.currentWidget() is page
    assert page.model.rowCount() == 4
    assert page.name_edit.text() == "Teacher table"
    qtbot.wait(20)
    image = main_window.grab()
    image.save(str(artifacts_dir / "stations.png"))
    image.save(str(docs_image("stations.png")))


def test_changes_made_elsewhere_show_without_losing_typing(
    qtbot: QtBot, services: AppServices
) -> None:
    """A station added by another part of the app appears; the form being typed in is kept."""
    from station_rotation.ui.relay import ChangeRelay

    section = create_sample_class(services, students=2)
    page = open_page(qtbot, services, section.id)
    relay = ChangeRelay(services.bus, page)
    relay.changed.connect(page.on_changes)
    page.table.select_row(1)
    page.name_edit.setText("Online practice (Chromebooks)")

    services.stations.create(section.id, name="Reading corner")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert page.name_edit.text() == "Online practice (Chromebooks)"
    assert page.dirty and selected_name(page) == "Online practice"

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert names(services, section.id)[1] == "Online practice (Chromebooks)"
    assert selected_name(page) == "Online practice (Chromebooks)"
    relay.detach()
