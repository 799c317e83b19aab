"""Lock the main window behind the teacher's PIN, on Ctrl+L or when left alone.

Locked, the main window shows only the lock screen: its pages stay where they were,
under it (a stacked widget, so nothing is rebuilt and the same page comes back), the
menu bar and status bar are hidden and every action is off. Every other window the app
has open (a dialog, a check-in window, a message) is hidden, and so is any window that
opens while locked; they come back on unlock with what was typed in them. Ctrl+L works
from those windows too (an application-wide event filter: a window-modal dialog blocks
the main window's own shortcut).

What keeps going: the projector window (it shows the clock, groups and stations, never
scores or notes) and the rotation's ticker and chimes, which never depended on the page
being shown. The companion keeps serving too: the teacher's phone is paired by her and
carries on (blank the projector, check-ins), and students' devices show only their own
station. This lock guards the laptop's screen, not the phones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QStackedWidget, QWidget
from shiboken6 import isValid

from station_rotation import APP_NAME
from station_rotation.core.pin import pin_matches, wait_after
from station_rotation.ui.lock import settings
from station_rotation.ui.lock.idle import IdleWatch
from station_rotation.ui.lock.lock_screen import LockScreen
from station_rotation.ui.main_window import MainWindow

if TYPE_CHECKING:  # the settings dialog loads when first opened
    from station_rotation.ui.lock.pin_dialog import LockSettingsDialog

PROJECTOR_NAME = "projector-window"
"""The projector's object name: the one window that stays up while locked."""
NO_PIN_TEXT = (
    "Set a PIN first (File → Lock and PIN…). Until you have one, the app does not lock, "
    "by Ctrl+L or when left alone."
)


def install_lock(window: MainWindow) -> ScreenLock:
    """Give ``window`` its lock: the actions, the lock screen and the idle watch."""
    return ScreenLock(window)


class ScreenLock(QObject):
    """The main window's lock: :meth:`lock`, :meth:`try_pin`, and the idle time."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.wrong_tries = 0
        self.notice: QMessageBox | None = None
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self._focus: QWidget | None = None

        self.screen = LockScreen()
        self.screen.pin_entered.connect(self.try_pin)
        self.frame = QStackedWidget()
        self.frame.setObjectName("lockFrame")
        content = window.takeCentralWidget()
        assert content is not None
        self.content = content
        self.frame.addWidget(content)
        self.frame.addWidget(self.screen)
        window.setCentralWidget(self.frame)

        self.lock_action = QAction("&Lock now", window, shortcut=QKeySequence("Ctrl+L"))
        self.lock_action.setObjectName("lockAction")
        self.lock_action.triggered.connect(self.lock)
        self.settings_action = QAction("Lock and &PIN…", window)
        self.settings_action.setObjectName("lockSettingsAction")
        self.settings_action.triggered.connect(self.open_settings)
        window.file_menu.insertActions(window.file_end, [self.lock_action, self.settings_action])
        window.file_menu.insertSeparator(self.lock_action)
        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:  # Ctrl+L from the app's other windows; windows opening locked
            app.installEventFilter(self)

        self.idle = IdleWatch(self)
        self.idle.idle.connect(self.lock)
        self.settings_dialog: LockSettingsDialog | None = None
        if settings.LEFT_LOCKED.get() and settings.has_pin():
            self.lock()  # ended while locked (closed by force): opens locked
        else:
            settings.LEFT_LOCKED.set(False)
            self.watch_idle()

    # --- locking ------------------------------------------------------------------

    def watch_idle(self) -> None:
        """Arm the idle lock from the settings: only with a PIN, and not while locked."""
        minutes = settings.IDLE_MINUTES.get()
        if self.locked or minutes <= 0 or not settings.has_pin():
            self.idle.stop()
        else:
            self.idle.start(minutes * 60_000)

    def lock(self) -> bool:
        """Lock now; with no PIN set, say one is needed first (and stay unlocked)."""
        if self.locked:
            return True
        if not settings.has_pin():
            self._say_pin_needed()
            return False
        self.locked = True
        settings.LEFT_LOCKED.set(True)
        self.idle.stop()
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and focus.window() is self.window else None
        self._hide_other_windows()
        self._disabled = [a for a in self.window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)
        self.window.menuBar().hide()
        self.window.statusBar().hide()
        self.frame.setCurrentWidget(self.screen)
        self.window.setWindowTitle(f"Locked — {APP_NAME}")
        self.screen.reset()
        return True

    def try_pin(self, pin: str) -> bool:
        """Unlock with the right PIN; a wrong one is refused, with a wait after three."""
        if not self.locked:
            return True
        if pin_matches(pin, settings.PIN_HASH.get()):
            self.unlock()
            return True
        self.wrong_tries += 1
        wait = wait_after(self.wrong_tries)
        self.screen.refuse(wrong_pin_text(self.wrong_tries, wait), wait)
        return False

    def unlock(self) -> None:
        self.locked = False
        self.wrong_tries = 0
        settings.LEFT_LOCKED.set(False)
        self.frame.setCurrentWidget(self.content)
        self.window.menuBar().show()
        self.window.statusBar().show()
        for action in self._disabled:
            if isValid(action):
                action.setEnabled(True)
        self._disabled = []
        self.window._update_title()
        for widget in self._hidden:
            if isValid(widget):
                widget.show()
        self._hidden = []
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()
        self._focus = None
        self.watch_idle()

    # --- settings -----------------------------------------------------------------

    def open_settings(self) -> None:
        from station_rotation.ui.lock.pin_dialog import LockSettingsDialog

        dialog = LockSettingsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.watch_idle)
        dialog.finished.connect(self._forget_settings)
        self.settings_dialog = dialog
        dialog.open()

    def _forget_settings(self, _result: int = 0) -> None:
        self.settings_dialog = None

    def _say_pin_needed(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Set a PIN first", NO_PIN_TEXT, parent=self.window
        )
        box.setObjectName("noPinNotice")
        set_pin = box.addButton("Set a PIN…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        set_pin.clicked.connect(self.open_settings)
        box.finished.connect(self._forget_notice)
        self.notice = box
        box.open()

    def _forget_notice(self, _result: int = 0) -> None:
        self.notice = None

    # --- other windows ------------------------------------------------------------

    def _keeps_showing(self, widget: QWidget) -> bool:
        kind = widget.windowType()
        return (
            widget is self.window
            or widget.objectName() == PROJECTOR_NAME
            or kind == Qt.WindowType.ToolTip
        )

    def _hide_other_windows(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not self._keeps_showing(widget):
                self._hide(widget)

    def _hide(self, widget: QWidget) -> None:
        widget.hide()
        if widget.windowType() != Qt.WindowType.Popup and widget not in self._hidden:
            self._hidden.append(widget)  # a menu or a list's popup is not shown again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Close and self.locked:
            event.ignore()  # a student closing the window would stop the projector
            self.screen.message.setText("Unlock first to quit.")
            return True
        if (
            kind == QEvent.Type.KeyPress
            and not self.locked
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and watched.window() is not self.window  # there the action has the key
            and QKeySequence(event.keyCombination()) == self.lock_action.shortcut()
        ):
            self.lock()  # a dialog or the projector has the focus: Ctrl+L locks from there
            return True
        if (
            self.locked
            and kind == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not self._keeps_showing(watched)
        ):
            QTimer.singleShot(0, lambda w=watched: self._hide_if_locked(w))
        return False

    def _hide_if_locked(self, widget: QWidget) -> None:
        if self.locked and isValid(widget) and widget.isVisible():
            self._hide(widget)


def wrong_pin_text(wrong_tries: int, wait_s: int) -> str:
    """What the lock screen says after a wrong PIN (and how long to wait, in words)."""
    if wait_s <= 0:
        return "That PIN is not right. Try again."
    return (
        f"That PIN is not right ({wrong_tries} wrong tries in a row). "
        f"Wait {_duration(wait_s)} before trying again."
    )


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
