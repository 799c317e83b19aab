"""Stories of the lock: the teacher steps away, the room sees the projector, not the class."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station_rotation.core.pin import hash_pin
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.lock import settings
from station_rotation.ui.lock.idle import IdleWatch
from station_rotation.ui.lock.lock_screen import LOCKED_TITLE, LockScreen
from station_rotation.ui.lock.pin_dialog import LockSettingsDialog
from station_rotation.ui.lock.screen_lock import NO_PIN_TEXT, ScreenLock
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation.rotation_page import RotationPage
from tests.ui.rotation_helpers import forget_rotation_settings, use_fake_time

PIN = "73915284"


@pytest.fixture(autouse=True)
def _no_lock_settings() -> Iterator[None]:
    """Each story starts with no PIN (Qt keeps one settings file per process)."""
    forget_rotation_settings()
    QSettings().remove("lock")
    yield
    for window in QApplication.topLevelWidgets():
        for lock in window.findChildren(ScreenLock):
            if lock.locked:
                lock.unlock()  # a locked window refuses to close
    QSettings().remove("lock")


def screen_lock(window: MainWindow) -> ScreenLock:
    lock = window.findChild(ScreenLock)
    assert lock is not None
    return lock


def shown_texts(window: QWidget) -> str:
    """Every text a visible label, field, button or table cell in ``window`` shows."""
    texts: list[str] = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root = widget.rootIndex()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
            for row in range(model.rowCount(root)):
                for column in range(columns):
                    texts.append(str(model.index(row, column, root).data() or ""))
    return "\n".join(texts)


def set_pin_in_the_dialog(qtbot: QtBot, window: MainWindow, pin: str) -> None:
    lock = screen_lock(window)
    lock.settings_action.trigger()
    dialog = lock.settings_dialog
    assert isinstance(dialog, LockSettingsDialog)
    qtbot.keyClicks(dialog.new_pin, pin)
    qtbot.keyClicks(dialog.repeat_pin, pin)
    dialog.save()
    assert settings.has_pin()


def type_pin(qtbot: QtBot, screen: LockScreen, pin: str) -> None:
    qtbot.keyClicks(screen.pin_field, pin)
    qtbot.keyClick(screen.pin_field, Qt.Key.Key_Return)


def test_ctrl_l_hides_every_page_while_the_projector_keeps_counting(
    qtbot: QtBot, main_window: MainWindow, services: AppServices, artifacts_dir: Path
) -> None:
    """A rotation is running and the roster is open; the teacher sets a PIN and presses
    Ctrl+L: no student's name is on the laptop's screen, the projector still counts down;
    a wrong PIN keeps it locked and says so; her PIN brings back the roster."""
    clock = use_fake_time(services)
    section = create_sample_class(services, todays_plan=date.today())
    names = [entry.student.display_name for entry in services.roster.roster(section.id)]
    main_window.select_class(section.id)
    rotation = main_window.show_page("Rotation")
    assert isinstance(rotation, RotationPage)
    rotation.start_selected()
    rotation.open_projector()
    projector = rotation.projector.window
    assert isinstance(projector, ProjectorWindow)
    qtbot.addWidget(projector)
    roster = main_window.show_page("Roster")
    assert any(name in shown_texts(main_window) for name in names)  # the check can see them
    set_pin_in_the_dialog(qtbot, main_window, PIN)

    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    lock = screen_lock(main_window)
    assert lock.locked
    visible = shown_texts(main_window)
    assert LOCKED_TITLE in visible
    assert not any(name in visible for name in names)
    assert not roster.isVisible() and not main_window.nav.isVisible()
    assert not main_window.menuBar().isVisible()
    assert {w for w in QApplication.topLevelWidgets() if w.isVisible()} == {main_window, projector}
    main_window.grab().save(str(artifacts_dir / "lock-screen.png"))

    assert projector.isVisible() and rotation.ticker.active
    before = projector.countdown.text
    clock.pass_seconds(30)
    qtbot.waitUntil(lambda: projector.countdown.text != before, timeout=3000)  # by its ticker

    type_pin(qtbot, lock.screen, "0000")
    assert lock.locked
    assert lock.screen.message.text() == "That PIN is not right. Try again."
    assert not any(name in shown_texts(main_window) for name in names)

    type_pin(qtbot, lock.screen, PIN)
    assert not lock.locked
    assert main_window.stack.currentWidget() is roster and roster.isVisible()
    assert any(name in shown_texts(main_window) for name in names)
    assert main_window.menuBar().isVisible()
    projector.close()


def test_three_wrong_pins_make_the_next_try_wait_and_say_how_long(
    qtbot: QtBot, main_window: MainWindow, artifacts_dir: Path
) -> None:
    """After three wrong PINs the field is off for 5 seconds, said in words; then it takes
    a try again, and the right PIN still works."""
    settings.PIN_HASH.set(hash_pin(PIN))
    lock = screen_lock(main_window)
    assert lock.lock()
    lock.screen.ms_per_second = 20
    for _ in range(2):
        type_pin(qtbot, lock.screen, "1111")
        assert not lock.screen.waiting
    type_pin(qtbot, lock.screen, "1111")
    assert lock.screen.waiting and not lock.screen.pin_field.isEnabled()
    assert lock.screen.message.text() == (
        "That PIN is not right (3 wrong tries in a row). Wait 5 seconds before trying again."
    )
    main_window.grab().save(str(artifacts_dir / "lock-screen-wait.png"))
    type_pin(qtbot, lock.screen, PIN)  # typed while waiting: not taken
    assert lock.locked
    qtbot.waitUntil(lambda: lock.screen.pin_field.isEnabled(), timeout=2000)
    assert lock.screen.message.text() == "You can try your PIN again now."
    type_pin(qtbot, lock.screen, "2222")
    assert "(4 wrong tries in a row). Wait 10 seconds" in lock.screen.message.text()
    qtbot.waitUntil(lambda: lock.screen.pin_field.isEnabled(), timeout=2000)
    type_pin(qtbot, lock.screen, PIN)
    assert not lock.locked and lock.wrong_tries == 0


def test_left_alone_the_app_locks_by_itself_and_hides_the_open_dialog(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """The teacher walks away from a half-filled dialog: after the idle time the window
    locks and the dialog is hidden; her PIN brings it back with what she typed."""
    settings.PIN_HASH.set(hash_pin(PIN))
    lock = screen_lock(main_window)
    lock.watch_idle()
    assert lock.idle.active and lock.idle.interval_ms == 5 * 60_000  # the default: 5 minutes
    main_window.ask_new_class()
    dialog = main_window.new_class_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Reading 3")
    lock.idle.start(50)
    qtbot.waitUntil(lambda: lock.locked, timeout=2000)
    assert not dialog.isVisible()
    assert not lock.idle.active  # no idle lock while locked
    type_pin(qtbot, lock.screen, PIN)
    assert not lock.locked and lock.idle.active
    assert dialog.isVisible() and dialog.name.text() == "Reading 3"
    dialog.reject()


def test_input_puts_the_idle_lock_off(qtbot: QtBot) -> None:
    """A key or a mouse move to any window starts the idle time again (no polling)."""
    now = [100.0]
    watch = IdleWatch(monotonic=lambda: now[0])
    fired: list[bool] = []
    watch.idle.connect(lambda: fired.append(True))
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    watch.start(60)
    now[0] += 0.05
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A)  # input at 100.05 s
    now[0] += 0.04  # 40 ms since the key: less than the 60 ms idle time
    qtbot.wait(150)
    assert not fired and watch.active
    now[0] += 0.03
    qtbot.wait(150)
    assert fired


def test_with_no_pin_the_lock_says_to_set_one_and_the_idle_lock_is_off(
    qtbot: QtBot, main_window: MainWindow, artifacts_dir: Path
) -> None:
    """No PIN yet: Ctrl+L says a PIN is needed first (and how), nothing locks."""
    lock = screen_lock(main_window)
    assert not lock.idle.active
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not lock.locked
    notice = lock.notice
    assert notice is not None and notice.isVisible() and notice.text() == NO_PIN_TEXT
    notice.grab().save(str(artifacts_dir / "lock-no-pin.png"))
    notice.reject()


def test_the_pin_is_kept_only_as_a_salted_hash(qtbot: QtBot, main_window: MainWindow) -> None:
    """After setting the PIN, the settings file holds its scrypt hash, not its digits."""
    set_pin_in_the_dialog(qtbot, main_window, PIN)
    store = QSettings()
    store.sync()
    values = " ".join(str(store.value(key)) for key in store.allKeys())
    assert PIN not in values
    assert str(store.value("lock/pinHash")).startswith("scrypt$")
    assert PIN.encode() not in Path(store.fileName()).read_bytes()


def test_changing_the_pin_asks_for_the_current_one(
    qtbot: QtBot, main_window: MainWindow, artifacts_dir: Path
) -> None:
    """Once a PIN is set, a new one or a new idle time needs the current PIN first."""
    set_pin_in_the_dialog(qtbot, main_window, PIN)
    kept = settings.PIN_HASH.get()
    lock = screen_lock(main_window)
    lock.open_settings()
    dialog = lock.settings_dialog
    assert isinstance(dialog, LockSettingsDialog) and dialog.current_pin.isVisible()
    qtbot.keyClicks(dialog.current_pin, "1234")
    qtbot.keyClicks(dialog.new_pin, "4321")
    qtbot.keyClicks(dialog.repeat_pin, "4321")
    dialog.idle_spin.setValue(0)
    dialog.save()
    assert dialog.error_label.text() == "That is not your current PIN; nothing was changed."
    assert settings.PIN_HASH.get() == kept and settings.IDLE_MINUTES.get() == 5
    dialog.grab().save(str(artifacts_dir / "lock-settings.png"))
    dialog.current_pin.setText(PIN)
    dialog.save()
    assert settings.PIN_HASH.get() != kept and settings.IDLE_MINUTES.get() == 0
    assert not lock.idle.active  # 0 = never


def test_a_window_that_opens_while_locked_waits_for_the_pin(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """Something opens a dialog while the app is locked: it is hidden until unlocked."""
    settings.PIN_HASH.set(hash_pin(PIN))
    lock = screen_lock(main_window)
    assert lock.lock()
    main_window.ask_new_class()
    dialog = main_window.new_class_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.isVisible())
    type_pin(qtbot, lock.screen, PIN)
    assert dialog.isVisible()
    dialog.reject()


def test_ctrl_l_in_an_open_dialog_locks_too(qtbot: QtBot, main_window: MainWindow) -> None:
    """The teacher is in the middle of a form and has to step away: Ctrl+L there locks."""
    settings.PIN_HASH.set(hash_pin(PIN))
    lock = screen_lock(main_window)
    main_window.ask_new_class()
    dialog = main_window.new_class_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    qtbot.keyClick(dialog.name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.locked and not dialog.isVisible()
    assert dialog.name.text() == ""  # the key was the lock's, not typed
    type_pin(qtbot, lock.screen, PIN)
    assert dialog.isVisible()
    dialog.reject()


def test_closing_a_locked_window_is_refused_and_a_forced_end_opens_locked(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """A student cannot close the locked window (the projector would stop with it), and
    if the app is ended by force anyway it opens locked the next time."""
    settings.PIN_HASH.set(hash_pin(PIN))
    lock = screen_lock(main_window)
    assert lock.lock()
    main_window.close()
    assert main_window.isVisible() and lock.locked
    assert lock.screen.message.text() == "Unlock first to quit."
    from station_rotation.ui.app import build_main_window

    reopened = build_main_window(services)  # what the next start builds
    qtbot.addWidget(reopened)
    assert screen_lock(reopened).locked
    screen_lock(reopened).unlock()
    assert not settings.LEFT_LOCKED.get()
