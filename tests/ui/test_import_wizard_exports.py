"""A teacher imports other systems' exports through the wizard: understood, or told why not."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_rotation.ui.import_wizard import ImportWizard
from station_rotation.ui.main_window import MainWindow
from tests.plain_exports import EXPORTS, PLAIN, Export


def _open_wizard(main_window: MainWindow, qtbot: QtBot) -> ImportWizard:
    main_window.findChild(object, "importRosterAction").trigger()  # type: ignore[type-var, attr-defined]  # PySide6 stubs: findChild wants a QObject type
    wizard = main_window.findChild(ImportWizard, "importWizard")
    assert isinstance(wizard, ImportWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _next_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(ImportWizard.WizardButton.NextButton).isEnabled()


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.file)
def test_an_export_is_understood_without_a_mapping(
    export: Export, main_window: MainWindow, qtbot: QtBot
) -> None:
    """The columns are guessed, the preview says how the file was read, Import adds them."""
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(export.path)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping and wizard.mapping.isComplete()
    assert wizard.mapping.why.isHidden()
    wizard.next()
    qtbot.waitUntil(wizard.preview.isComplete)
    notes = wizard.preview.notes.text()
    for note in export.notes:
        assert note.replace("`", "").replace("'", "&#x27;") in notes
    model = wizard.preview.model
    added = [
        model.index(r, 2).data()
        for r in range(model.rowCount())
        if model.index(r, 1).data() == "Student"
    ]
    assert sorted(added) == sorted(export.students)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(ImportWizard.WizardButton.FinishButton).click()
    roster = main_window.services.roster.roster(str(main_window.current_class_id))
    assert len(roster) == len(export.students)  # shown by preferred name where there is one


def test_the_preview_of_a_lastfirst_file(
    main_window: MainWindow, qtbot: QtBot, artifacts_dir: Path
) -> None:
    """A PowerSchool export: the preview names it and shows how LastFirst was split."""
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(PLAIN / "powerschool_students.csv")
    qtbot.waitUntil(wizard.choose.isComplete)
    assert "Looks like a PowerSchool student export." in wizard.choose.status.text()
    wizard.next()
    assert wizard.mapping.combos["full_name"].currentData() == "LastFirst"
    wizard.next()
    qtbot.waitUntil(wizard.preview.isComplete)
    assert "LastFirst → family name, given name" in wizard.preview.notes.text()
    assert wizard.preview.why.isHidden()
    wizard.grab().save(str(artifacts_dir / "import_wizard_lastfirst_preview.png"))
    wizard.reject()


def test_every_greyed_out_step_says_why(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Nothing chosen, a file that cannot be read, no name column, a preview that failed:
    each time Next or Import is greyed out, the page says why and what to do."""
    wizard = _open_wizard(main_window, qtbot)
    assert not _next_enabled(wizard)
    assert "To go on, choose the roster" in wizard.choose.why.text()
    assert wizard.choose.why.isVisible()

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    wizard.choose.set_path(empty)
    qtbot.waitUntil(lambda: "empty" in wizard.choose.status.text())
    assert "this file cannot be imported" in wizard.choose.why.text()

    unnamed = tmp_path / "pupils.csv"
    unnamed.write_text("Pupil,Surname,Student ID\nRobert,Ng,17\nAna,Lopez,18\n")
    wizard.choose.set_path(unnamed)
    qtbot.waitUntil(wizard.choose.isComplete)
    assert wizard.choose.why.isHidden()
    wizard.next()
    assert not _next_enabled(wizard) and wizard.mapping.why.isVisible()
    assert "no column is chosen for the students' names" in wizard.mapping.why.text()
    wizard.grab().save(str(artifacts_dir / "import_wizard_why_not_next.png"))
    combo = wizard.mapping.combos["given_name"]
    combo.setCurrentIndex(combo.findData("Pupil"))
    assert _next_enabled(wizard) and wizard.mapping.why.isHidden()
    combo.setCurrentIndex(0)  # "(not in the file)" again
    assert not _next_enabled(wizard) and wizard.mapping.why.isVisible()
    wizard.reject()


def test_a_preview_that_fails_says_to_go_back(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A file whose chosen name column is empty on a line: Import is greyed out, and the
    page says nothing was imported and to go Back."""
    path = tmp_path / "gaps.csv"
    path.write_text("First Name,Last Name\nAna,Lopez\n,Ng\n")
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(path)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: "Cannot import" in wizard.preview.summary.text())
    assert not wizard.button(ImportWizard.WizardButton.FinishButton).isEnabled()
    assert "line 3" in wizard.preview.summary.text()
    assert "Press Back to choose other columns" in wizard.preview.why.text()
    assert wizard.preview.why.isVisible()
    wizard.reject()
