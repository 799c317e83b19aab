"""Opening the app on a teacher's data: the first screen is painted from plain sqlite3, the
full services load right after, and nothing the teacher does in between is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station_rotation.core.errors import DataFileCorruptError, DataFileTooNewError
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.first_screen_stand_in import FirstScreenStandIn
from station_rotation.services.roster.students import RosterEntry
from station_rotation.store.first_screen_rows import QuickClass
from station_rotation.store.models import ClassSection
from station_rotation.ui.app import make_application, open_main_window
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.models.roster_model import display_name
from station_rotation.ui.pages.classes_page import ClassesPage
from station_rotation.ui.pages.roster_page import RosterPage
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.warm_up import UNPAINTED_START_MS, ServicesWarmUp
from tests.ui.rotation_helpers import forget_rotation_settings


@pytest.fixture
def opened(qtbot: QtBot, data_dir: Path) -> Iterator[list[MainWindow]]:
    """Windows opened by a test, whose services are closed afterwards."""
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.close()
        window.services.close()


def _open(qtbot: QtBot, data_dir: Path, opened: list[MainWindow]) -> MainWindow:
    """Open the app's window on ``data_dir`` as ``run_gui`` does (not yet shown)."""
    make_application([])
    window, _warm_up = open_main_window(data_dir)
    qtbot.addWidget(window)
    opened.append(window)
    return window


def _warm_up(window: MainWindow) -> ServicesWarmUp:
    warm_up = window.findChild(ServicesWarmUp)
    assert isinstance(warm_up, ServicesWarmUp)
    return warm_up


def _early(window: MainWindow) -> FirstScreenStandIn:
    services = window.services
    assert isinstance(services, FirstScreenStandIn)
    return services


def _sample(data_dir: Path) -> tuple[str, list[str]]:
    """A teacher's data folder: the sample class; returns its id and roster names."""
    services = AppServices.open(data_dir)
    try:
        section = create_sample_class(services)
        names = [display_name(e.student) for e in services.roster.roster(section.id)]
    finally:
        services.close()
    return section.id, names


def _roster(window: MainWindow) -> RosterPage:
    """Click "Roster" in the navigation, as a teacher would."""
    item = window.nav.findItems("Roster", Qt.MatchFlag.MatchExactly)[0]
    centre = window.nav.visualItemRect(item).center()
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    page = window.stack.currentWidget()
    assert isinstance(page, RosterPage)
    return page


def _roster_names(page: RosterPage) -> list[str]:
    return [display_name(page.model.entry(row).student) for row in range(page.model.rowCount())]


def test_the_classes_are_painted_from_the_file_then_the_services_take_over(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow], artifacts_dir: Path
) -> None:
    """The app opens on the real Classes list before the data layer loads, and it looks the
    same once the full services have replaced the quick reader."""
    class_id, _names = _sample(data_dir)
    services = AppServices.open(data_dir)
    services.classes.create_class(name="Art 3", subject="Art")
    services.close()
    make_application([])
    QSettings().setValue("ui/lastClassId", class_id)  # the class she worked on last
    window = _open(qtbot, data_dir, opened)
    early = _early(window)
    assert early.loaded is None  # nothing but plain sqlite3 so far
    page = window.stack.currentWidget()
    assert isinstance(page, ClassesPage)
    assert window.nav.currentItem().text() == "Classes"
    assert window.current_class_id == class_id
    rows = [page.model.index(row, 0).data() for row in range(page.model.rowCount())]
    assert rows == ["Art 3", "Sample: Math 6, period 2"]
    assert page.model.index(1, 4).data() == "28"  # students, counted from the file
    assert isinstance(page.model.section(0), QuickClass)
    QApplication.sendPostedEvents()  # the readable font and layouts, as the first paint has
    window.grab().save(str(artifacts_dir / "first-paint-early.png"))
    first = cast(QWidget, window.centralWidget()).grab().toImage()
    assert early.loaded is None
    window.show()

    qtbot.waitUntil(lambda: _warm_up(window).done, timeout=10000)

    real = early.loaded
    assert real is not None
    assert early.classes is real.classes  # the real services answer directly from now on
    assert window.stack.currentWidget() is page
    assert isinstance(page.model.section(0), ClassSection)  # the full models now
    window.grab().save(str(artifacts_dir / "first-paint-loaded.png"))
    assert window.centralWidget().grab().toImage() == first  # the swap changes no pixel


def test_archiving_a_class_on_the_first_screen_waits_for_the_services(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """A teacher quick enough to archive a class before the data layer is in: the click
    waits for it, the class is archived in the file, and the list says so."""
    class_id, _names = _sample(data_dir)
    window = _open(qtbot, data_dir, opened)
    window.show()
    page = window.stack.currentWidget()
    assert isinstance(page, ClassesPage)
    assert page.selected_class_id() == class_id
    assert _early(window).loaded is None
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)

    assert _early(window).loaded is not None  # the click waited for the services
    assert page.last_message.startswith("Archived Sample: Math 6")
    qtbot.waitUntil(lambda: _warm_up(window).done)
    assert page.model.rowCount() == 0  # archived classes are hidden unless asked for
    check = AppServices.open(data_dir)
    try:
        assert [c.archived for c in check.classes.list_classes(include_archived=True)] == [True]
    finally:
        check.close()


def test_a_new_class_typed_on_the_first_screen_is_saved(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """Ctrl+N and a name at once: the class is created once and becomes the window's class."""
    _sample(data_dir)
    window = _open(qtbot, data_dir, opened)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.new_class_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Reading 3")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.class_picker.currentText() == "Reading 3")
    qtbot.waitUntil(lambda: _warm_up(window).done)
    names = [c.name for c in window.services.classes.list_classes()]
    assert names == ["Reading 3", "Sample: Math 6, period 2"]
    assert window.class_picker.currentText() == "Reading 3"


def test_archiving_a_student_at_once_is_saved(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """Straight to the Roster and Delete on the first student, before the window has
    settled: the student is archived in the file and leaves the roster."""
    class_id, names = _sample(data_dir)
    window = _open(qtbot, data_dir, opened)
    window.show()
    page = _roster(window)
    assert _roster_names(page) == names
    index = page.proxy.index(0, 0)
    page.table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)

    assert page.last_message.startswith(f"Archived {names[0]}")
    assert _roster_names(page) == names[1:]
    qtbot.waitUntil(lambda: _warm_up(window).done)
    assert isinstance(page.model.entry(0), RosterEntry)  # the full models now
    assert _roster_names(page) == names[1:]
    check = AppServices.open(data_dir)
    try:
        archived = [e for e in check.roster.roster(class_id, include_archived=True) if e.archived]
        assert [display_name(e.student) for e in archived] == [names[0]]
    finally:
        check.close()


def test_trying_the_sample_on_the_first_screen_waits_for_the_services(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """A teacher who opened the app once before, with no class yet: the welcome screen comes
    from the file, and "Try a sample class" clicked at once creates the class."""
    AppServices.open(data_dir).close()  # created and migrated by an earlier start
    window = _open(qtbot, data_dir, opened)
    assert window.stack.currentWidget() is window.welcome
    window.show()
    assert _early(window).loaded is None
    qtbot.mouseClick(window.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert window.current_class_id is not None
    page = window.stack.currentWidget()
    assert isinstance(page, RosterPage)
    assert page.model.rowCount() == 28
    qtbot.waitUntil(lambda: _warm_up(window).done)
    assert len(window.services.classes.list_classes()) == 1  # created once, not twice


def test_a_rotation_left_going_loads_the_services_before_the_window_shows(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """After a power cut mid-rotation the app opens on the Rotation page and its offer."""
    forget_rotation_settings()
    services = AppServices.open(data_dir)
    try:
        section = services.classes.create_class(name="Math 6")
        services.rotation.start(section.id, RunSpec((600.0, 600.0), 60.0), title="Tuesday")
    finally:
        services.close()
    window = _open(qtbot, data_dir, opened)
    assert _early(window).loaded is not None
    page = cast(RotationPage, window.stack.currentWidget())
    assert getattr(page, "title", "") == "Rotation"
    assert "“Tuesday” was running" in page.banner.text_label.text()
    window.show()
    qtbot.waitUntil(lambda: _warm_up(window).done)
    assert window.stack.currentWidget() is page


def test_a_file_that_needs_a_migration_is_migrated_before_anything_is_shown(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """An older file is backed up and upgraded first; the window gets the full services."""
    from alembic import command
    from alembic.config import Config

    from station_rotation.store.migrate import MIGRATIONS_DIR, inspect_data_file
    from station_rotation.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS

    db = data_dir / DB_FILENAME
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    command.upgrade(config, KNOWN_REVISIONS[-2])
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO class_section (id, hlc, deleted, name, subject, grade, period,"
        " school_year, archived) VALUES ('c1', '', 0, 'Old class', '', '', '', '', 0)"
    )
    conn.commit()
    conn.close()

    window = _open(qtbot, data_dir, opened)

    assert isinstance(window.services, AppServices)
    assert window.findChild(ServicesWarmUp) is None
    assert inspect_data_file(db).revision == HEAD_REVISION
    assert list((data_dir / "backups").iterdir())
    assert window.class_picker.currentText() == "Old class"


@pytest.mark.parametrize("kind", ["damaged", "newer"])
def test_a_damaged_or_newer_file_is_refused_with_its_message(
    qtbot: QtBot, data_dir: Path, kind: str
) -> None:
    """The quick start changes nothing about refusals: same message, file untouched."""
    db = data_dir / DB_FILENAME
    if kind == "damaged":
        db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
        error: type[Exception] = DataFileCorruptError
        words = "untouched"
    else:
        AppServices.open(data_dir).close()
        conn = sqlite3.connect(db)
        conn.execute("UPDATE alembic_version SET version_num='9999'")
        conn.commit()
        conn.close()
        error, words = DataFileTooNewError, "newer version"
    before = db.read_bytes()
    make_application([])
    with pytest.raises(error, match=words):
        open_main_window(data_dir)
    assert db.read_bytes() == before


def test_a_file_damaged_after_the_first_paint_gives_its_message(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """If the real store cannot open the file the quick reader painted from, the warm-up
    says why in plain words (the app shows it and quits) instead of a half-working window."""
    _sample(data_dir)
    window = _open(qtbot, data_dir, opened)
    (data_dir / DB_FILENAME).write_bytes(b"not a database any more" * 100)
    with qtbot.waitSignal(_warm_up(window).failed, timeout=10000) as failed:
        window.show()
    assert "untouched" in failed.args[0]
    assert _warm_up(window).error == failed.args[0]
    assert not _warm_up(window).done


def test_a_window_that_is_not_painted_still_gets_its_services(
    qtbot: QtBot, data_dir: Path, opened: list[MainWindow]
) -> None:
    """A window with no paint yet (opened minimised, a locked screen) still loads the
    services soon after, instead of waiting for the teacher's first action."""
    _sample(data_dir)
    window = _open(qtbot, data_dir, opened)  # never shown here: never painted
    qtbot.wait(UNPAINTED_START_MS // 2)
    assert _early(window).loaded is None
    qtbot.waitUntil(lambda: _warm_up(window).done, timeout=10000)
    assert _early(window).loaded is not None
