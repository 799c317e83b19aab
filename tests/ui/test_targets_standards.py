"""A teacher takes learning targets from her state's standards on the Targets page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.ui.dialogs.standards_dialog import StandardsImportDialog
from station_rotation.ui.pages.targets_page import TargetsPage

PACKAGE = Path(__file__).resolve().parent.parent / "fixtures" / "case" / "grade6-math.json"


def open_dialog(
    qtbot: QtBot, services: AppServices, class_id: str
) -> tuple[TargetsPage, StandardsImportDialog]:
    page = TargetsPage(services)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    assert page.standards_button.isEnabled()
    qtbot.mouseClick(page.standards_button, Qt.MouseButton.LeftButton)
    dialog = page.standards_dialog
    assert dialog is not None and dialog.isVisible()
    return page, dialog


def choose_file(qtbot: QtBot, dialog: StandardsImportDialog, path: Path) -> None:
    """Through the non-blocking file dialog, as the teacher would."""
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    picker = dialog.findChild(QFileDialog)
    assert picker is not None and picker.isVisible()
    picker.fileSelected.emit(str(path))
    picker.reject()


def shown_codes(dialog: StandardsImportDialog) -> list[str]:
    return [item.text(0) for item in dialog.shown_standards()]


def test_pick_two_standards_by_filter_and_import_them(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """The filter narrows by code or by words; the ticked standards become targets with
    their codes; importing them again adds nothing."""
    section = services.classes.create_class(name="Math 6")
    page, dialog = open_dialog(qtbot, services, section.id)
    assert not dialog.import_button.isEnabled()
    choose_file(qtbot, dialog, PACKAGE)
    assert not dialog.error_label.isVisible()
    assert dialog.tree.topLevelItemCount() == 2  # the two domains, the rest beneath them
    assert dialog.import_button.text() == "Import 0 standards"

    qtbot.keyClicks(dialog.filter_edit, "6.RP.A.1")
    assert shown_codes(dialog) == ["6.RP.A.1"]
    qtbot.mouseClick(dialog.select_shown_button, Qt.MouseButton.LeftButton)
    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "evaluate expressions")  # words of the statement
    assert shown_codes(dialog) == ["6.EE.A.1"]  # the headings above it are not ticked
    qtbot.mouseClick(dialog.select_shown_button, Qt.MouseButton.LeftButton)
    assert dialog.import_button.text() == "Import 2 standards"
    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "6.RP")
    dialog.grab().save(str(artifacts_dir / "targets-standards-dialog.png"))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "2 added, 0 updated, 0 already there."
    assert not dialog.error_label.isVisible()
    targets = services.targets.list_for(section.id)
    assert [t.code for t in targets] == ["6.RP.A.1", "6.EE.A.1"]
    assert targets[0].statement.startswith("Describe how two quantities relate")
    assert page.model.rowCount() == 2  # the page redrew
    dialog.grab().save(str(artifacts_dir / "targets-standards-imported.png"))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "0 added, 0 updated, 2 already there."
    assert [t.code for t in services.targets.list_for(section.id)] == ["6.RP.A.1", "6.EE.A.1"]

    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.import_button.text() == "Import 0 standards"
    assert not dialog.import_button.isEnabled()


def test_a_broken_file_shows_the_plain_reason(
    qtbot: QtBot, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Not JSON, or JSON that is not CASE: the service's reason, and nothing to tick."""
    section = services.classes.create_class(name="Math 6")
    _page, dialog = open_dialog(qtbot, services, section.id)
    broken = tmp_path / "standards.json"
    broken.write_text('{"CFDocument": {"identifier": "x", ', encoding="utf-8")
    choose_file(qtbot, dialog, broken)
    assert dialog.error_label.isVisible()
    assert "standards.json, line 1" in dialog.error_label.text()
    assert "not readable JSON" in dialog.error_label.text()
    assert dialog.tree.topLevelItemCount() == 0
    assert not dialog.import_button.isEnabled()
    dialog.grab().save(str(artifacts_dir / "targets-standards-broken.png"))

    broken.write_text('{"CFItems": []}', encoding="utf-8")
    dialog.set_path(broken)
    assert "is not a CASE package" in dialog.error_label.text()

    dialog.set_path(PACKAGE)  # the right file next: the reason goes away
    assert not dialog.error_label.isVisible()
    assert dialog.tree.topLevelItemCount() == 2
    assert services.targets.list_for(section.id) == []


def test_no_class_no_import(qtbot: QtBot, services: AppServices) -> None:
    page = TargetsPage(services)
    qtbot.addWidget(page)
    page.set_class(None)
    assert not page.standards_button.isEnabled()
    assert page.open_standards_import() is None
