"""A teacher imports the district's roster through the wizard and lands on the new class."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from benchmarks.oneroster_gen import write_roster
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import ImportOptions
from station_rotation.ui.import_wizard import ImportWizard, PreviewPage
from station_rotation.ui.main_window import MainWindow


def _open_wizard(main_window: MainWindow, qtbot: QtBot) -> ImportWizard:
    main_window.findChild(object, "importRosterAction").trigger()  # type: ignore[type-var, attr-defined]  # PySide6 stubs: findChild wants a QObject type
    wizard = main_window.findChild(ImportWizard, "importWizard")
    assert isinstance(wizard, ImportWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _plain_csv_preview(wizard: ImportWizard, qtbot: QtBot, path: Path) -> PreviewPage:
    """Choose a plain CSV whose columns are guessed, pass the mapping, wait for the preview."""
    wizard.choose.set_path(path)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.preview.isComplete)
    return wizard.preview


def test_import_a_oneroster_folder(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Choose the export folder, see the preview, import: the new class is selected."""
    folder = write_roster(tmp_path / "export", students=24, classes=2)
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(folder)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.grab().save(str(artifacts_dir / "import_wizard_1_choose.png"))
    wizard.next()
    assert wizard.currentPage() is wizard.preview
    qtbot.waitUntil(wizard.preview.isComplete)
    assert wizard.preview.model.rowCount() == 2 + 24 + 24 + 2 + 2  # with 2 teachers
    assert "2 new classes, 24 new students" in wizard.preview.summary.text()
    wizard.grab().save(str(artifacts_dir / "import_wizard_3_preview.png"))
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(ImportWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: main_window.class_picker.currentText() == "Math 6 - 1")
    roster = main_window.services.roster.roster(str(main_window.current_class_id))
    assert len(roster) == 12


def test_plain_csv_with_mapping_into_the_current_class(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    """A spreadsheet whose name column is not recognised: the teacher picks it, then imports."""
    section = cast(AppServices, main_window.services).classes.create_class(name="Science 7")
    main_window.select_class(section.id)
    path = tmp_path / "science.csv"
    path.write_text("Pupil,Surname,Student ID\nRobert,Ng,17\nAna,Lopez,18\n")
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(path)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping and not wizard.mapping.isComplete()
    combo = wizard.mapping.combos["given_name"]
    combo.setCurrentIndex(combo.findData("Pupil"))
    assert "e.g. Robert, Ana" in combo.currentText()
    assert wizard.mapping.into.currentData() == section.id
    wizard.grab().save(str(artifacts_dir / "import_wizard_2_mapping.png"))
    wizard.next()
    qtbot.waitUntil(wizard.preview.isComplete)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(ImportWizard.WizardButton.FinishButton).click()
    names = [e.student.display_name for e in main_window.services.roster.roster(section.id)]
    assert names == ["Ana Lopez", "Robert Ng"]


def test_broken_file_shows_the_error(main_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    """An empty file is explained in a message; the wizard stays on the first page."""
    path = tmp_path / "empty.csv"
    path.write_text("")
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(path)
    qtbot.waitUntil(lambda: "empty" in wizard.choose.status.text())
    assert not wizard.choose.isComplete()


def test_preview_of_an_updated_roster(
    main_window: MainWindow,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    """Re-importing a changed export previews the rename and the leaver before saving."""
    cast(AppServices, main_window.services).roster_import.import_roster(
        write_roster(tmp_path / "a", students=6)
    )
    updated = write_roster(tmp_path / "b", students=6, renamed={"s2": "Charlotte"}, omit={"s4"})
    wizard = _open_wizard(main_window, qtbot)
    wizard.choose.set_path(updated)
    qtbot.waitUntil(wizard.choose.isComplete)
    wizard.next()
    qtbot.waitUntil(wizard.preview.isComplete)
    model = wizard.preview.model
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows[0][:3] == ["Archive", "Student", "Emeka Adams"]
    assert ["Change", "Student", "Charlotte Adams", "Given name: 'Chloé' → 'Charlotte'"] in rows
    wizard.grab().save(str(artifacts_dir / "import_wizard_4_changes.png"))
    wizard.reject()


def test_plain_csv_asks_what_to_do_with_students_it_leaves_out(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Ana is not in the new spreadsheet: kept by default; "Archive them" archives her."""
    services = cast(AppServices, main_window.services)
    section = services.classes.create_class(name="Science 7")
    main_window.select_class(section.id)
    path = tmp_path / "science.csv"
    path.write_text("First Name,Surname,Student ID\nRobert,Ng,17\nAna,Lopez,18\nKim,Park,19\n")
    wizard = _open_wizard(main_window, qtbot)
    _plain_csv_preview(wizard, qtbot, path)
    assert wizard.preview.missing.isHidden()  # a first import leaves nobody out
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(ImportWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: main_window.findChild(ImportWizard, "importWizard") is None)

    path.write_text("First Name,Surname,Student ID\nRobert,Ng,17\nKim,Park,19\n")
    wizard = _open_wizard(main_window, qtbot)
    preview = _plain_csv_preview(wizard, qtbot, path)
    assert preview.missing.isVisible()
    assert "1 student is not in this file" in preview.missing_label.text()
    assert "Ana Lopez" in preview.missing_label.text()
    assert preview.keep_missing.isChecked() and preview.model.rowCount() == 0

    preview.archive_missing.click()
    qtbot.waitUntil(lambda: preview.isComplete() and preview.model.rowCount() == 1)
    row = [preview.model.index(0, c).data() for c in range(4)]
    assert row[:3] == ["Archive", "Class membership", "Ana Lopez in Science 7"]
    wizard.grab().save(str(artifacts_dir / "import_wizard_5_not_in_file.png"))
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(ImportWizard.WizardButton.FinishButton).click()
    everyone = services.roster.roster(section.id, include_archived=True)
    assert [(e.student.display_name, e.archived) for e in everyone] == [
        ("Ana Lopez", True),
        ("Robert Ng", False),
        ("Kim Park", False),
    ]


def test_a_choice_changed_back_quickly_never_offers_the_plan_of_the_first(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """ "Archive them", then straight back to "Keep them": the import never offers (nor
    applies) the archiving plan while the radio says keep, however the previews return."""
    services = cast(AppServices, main_window.services)
    section = services.classes.create_class(name="Science 7")
    main_window.select_class(section.id)
    path = tmp_path / "science.csv"
    path.write_text("First Name,Surname,Student ID\nRobert,Ng,17\nAna,Lopez,18\n")
    services.roster_import.apply(
        services.roster_import.preview(path, ImportOptions(into_class_id=section.id))
    )
    path.write_text("First Name,Surname,Student ID\nRobert,Ng,17\n")
    wizard = _open_wizard(main_window, qtbot)
    preview = _plain_csv_preview(wizard, qtbot, path)
    offered: list[tuple[bool, bool]] = []  # (the plan archives, the radio says archive)
    preview.completeChanged.connect(
        lambda: (
            offered.append((preview.plan.archive_missing, preview.archive_missing.isChecked()))
            if preview.isComplete() and preview.plan is not None
            else None
        )
    )

    preview.archive_missing.click()
    preview.keep_missing.click()  # both previews are queued before either returns
    qtbot.waitUntil(lambda: not wizard.runner.busy and preview.isComplete())
    assert offered and all(plan == shown for plan, shown in offered)
    assert preview.plan is not None and not preview.plan.archive_missing
