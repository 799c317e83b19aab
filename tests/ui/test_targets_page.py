"""A teacher defines the learning targets of a class and the scale each is scored on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.pages.targets_page import TargetsPage


def open_page(qtbot: QtBot, services: AppServices, class_id: str) -> TargetsPage:
    page = TargetsPage(services)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def stored(services: AppServices, class_id: str) -> list[tuple[str, str]]:
    return [(t.code, t.scale) for t in services.targets.list_for(class_id)]


def start_target(qtbot: QtBot, page: TargetsPage, code: str, statement: str) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.statement_edit.toPlainText() == "I can "  # the sentence starter
    qtbot.keyClicks(page.code_edit, code)
    page.statement_edit.clear()
    qtbot.keyClicks(page.statement_edit, statement)


def choose_scale(page: TargetsPage, kind: str) -> None:
    combo = page.scale_editor.kind_combo
    combo.setCurrentIndex(combo.findData(kind))


def test_define_targets_with_every_kind_of_scale(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Mastery, three-level, points and custom scales are saved as the teacher chose them."""
    section = services.classes.create_class(name="ELA 4")
    page = open_page(qtbot, services, section.id)

    start_target(qtbot, page, "RL.4.1", "I can quote the text to explain what it says.")
    assert page.scale_editor.preview.text().startswith("Levels: 1 Beginning")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert stored(services, section.id) == [("RL.4.1", "mastery4")]

    start_target(qtbot, page, "RL.4.2", "I can find the theme of a story.")
    choose_scale(page, "three-level")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    start_target(qtbot, page, "RL.4.3", "I can describe a character in depth.")
    choose_scale(page, "points")
    assert page.scale_editor.points_spin.isVisible()
    assert not page.scale_editor.custom_edit.isVisible()
    page.scale_editor.points_spin.setValue(5)
    assert page.scale_editor.preview.text() == "Levels: 0 to 5"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    start_target(qtbot, page, "W.4.1", "I can write an opinion piece.")
    choose_scale(page, "custom")
    assert page.scale_editor.custom_edit.isVisible()
    qtbot.keyClicks(page.scale_editor.custom_edit, "Not yet, With help, On my own")
    assert page.scale_editor.preview.text() == "Levels: 1 Not yet · 2 With help · 3 On my own"
    page.grab().save(str(artifacts_dir / "targets-new-custom-scale.png"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert stored(services, section.id) == [
        ("RL.4.1", "mastery4"),
        ("RL.4.2", "three-level"),
        ("RL.4.3", "points:5"),
        ("W.4.1", "custom:Not yet|With help|On my own"),
    ]
    assert [page.model.data(page.model.index(r, 2)) for r in range(4)] == [
        "1-4 mastery",
        "Got it / almost / not yet",
        "Points 0-5",
        "Custom: Not yet / With help / On my own",
    ]

    # Selecting a saved target shows its scale as it was chosen.
    page.table.select_row(2)
    assert page.scale_editor.kind_combo.currentData() == "points"
    assert page.scale_editor.points_spin.value() == 5
    page.table.select_row(3)
    assert page.scale_editor.custom_edit.text() == "Not yet, With help, On my own"
    assert not page.dirty


def test_a_bad_custom_scale_or_empty_statement_saves_nothing(
    qtbot: QtBot, services: AppServices
) -> None:
    """Repeated custom labels or an empty statement are refused, with a reason; nothing saved."""
    section = create_sample_class(services, students=2)
    page = open_page(qtbot, services, section.id)
    before = services.targets.list_for(section.id)

    start_target(qtbot, page, "6.RP.4", "I can compare ratios.")
    choose_scale(page, "custom")
    qtbot.keyClicks(page.scale_editor.custom_edit, "Yes, Yes")
    assert "must all be different" in page.scale_editor.preview.text()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "must all be different" in page.error_label.text()
    assert services.targets.list_for(section.id) == before

    page.table.select_row(0)  # moving away tries to save: refused, the form stays
    assert page.details.title() == "New learning target"
    qtbot.waitUntil(lambda: not page.table.selectionModel().hasSelection())
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.code_edit.text() == "6.RP.1"
    page.statement_edit.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Statement: cannot be empty" in page.error_label.text()
    assert services.targets.list_for(section.id) == before


def test_reorder_archive_and_restore_targets(qtbot: QtBot, services: AppServices) -> None:
    """Targets reorder by keyboard and by drop, and archive/restore like stations."""
    section = create_sample_class(services, students=2)
    page = open_page(qtbot, services, section.id)
    codes: Callable[[], list[str]] = lambda: [t.code for t in services.targets.list_for(section.id)]  # noqa: E731
    assert codes() == ["6.RP.1", "6.RP.2", "6.RP.3a", "6.RP.3c"]

    page.table.select_row(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert codes() == ["6.RP.2", "6.RP.1", "6.RP.3a", "6.RP.3c"]
    assert page.code_edit.text() == "6.RP.1"  # the form stays on the moved target

    model = page.model
    model.dropMimeData(
        model.mimeData([model.index(3, 0)]), Qt.DropAction.MoveAction, -1, -1, model.index(0, 0)
    )
    assert codes() == ["6.RP.3c", "6.RP.2", "6.RP.1", "6.RP.3a"]

    page.table.select_row(2)
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert codes() == ["6.RP.3c", "6.RP.2", "6.RP.3a"]
    page.show_archived.setChecked(True)
    page.table.select_row(
        model.row_of(services.targets.list_for(section.id, include_archived=True)[-1].id)
    )
    assert page.archive_button.text() == "Restore"
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert codes() == ["6.RP.3c", "6.RP.2", "6.RP.1", "6.RP.3a"]


def test_targets_page_in_the_window_with_the_sample_class(
    qtbot: QtBot, main_window: MainWindow, services: AppServices, artifacts_dir: Path
) -> None:
    """The sample class's targets show in the window with their scale (screenshot)."""
    section = create_sample_class(services)
    main_window.select_class(section.id)
    page = main_window.show_page("Learning targets")
    assert isinstance(page, TargetsPage)
    assert page.model.rowCount() == 4
    assert page.code_edit.text() == "6.RP.1"
    qtbot.wait(20)
    main_window.grab().save(str(artifacts_dir / "targets.png"))
