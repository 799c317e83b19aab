"""The lock screen: what the main window shows instead of its pages while locked.

Nothing of the class is on it (no class, no names, no scores): only that the app is
locked, that the projector and the rotation keep going, and a PIN field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station_rotation.core.pin import MAX_DIGITS
from station_rotation.ui.widgets import ERROR_STYLE, named

LOCKED_TITLE = "Station Rotation is locked"
LOCKED_NOTE = (
    "The projector and the rotation keep running.\nType your PIN to see your classes again."
)


class LockScreen(QWidget):
    """A PIN field and an Unlock button; :attr:`pin_entered` carries what was typed."""

    pin_entered = Signal(str)
    ms_per_second = 1000
    """How long a second of waiting is (tests shorten it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        title = named(QLabel(LOCKED_TITLE), "lockTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        note = named(QLabel(LOCKED_NOTE), "lockNote")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_field = named(QLineEdit(), "lockPin")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_field.setValidator(QRegularExpressionValidator(rf"\d{{0,{MAX_DIGITS}}}"))
        self.pin_field.setPlaceholderText("PIN")
        self.pin_field.setAccessibleName("PIN")
        self.pin_field.setFixedWidth(220)
        self.pin_field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_field.returnPressed.connect(self._submit)
        self.unlock_button = named(QPushButton("Unlock"), "unlockButton")
        self.unlock_button.setFixedWidth(220)
        self.unlock_button.setMinimumHeight(36)
        self.unlock_button.clicked.connect(self._submit)
        self.message = named(QLabel(""), "lockMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setFixedWidth(480)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2 + 4)
        self.message.setStyleSheet(ERROR_STYLE)
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.timeout.connect(self._end_wait)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (title, note, self.pin_field, self.unlock_button, self.message):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.setSpacing(14)
        layout.addStretch(3)

    @property
    def waiting(self) -> bool:
        """True while wrong tries make the teacher wait before the next one."""
        return self._wait.isActive()

    def reset(self) -> None:
        """Ready for a PIN: empty field, no message, focus in the field."""
        self._wait.stop()
        self._set_typing(True)
        self.pin_field.clear()
        self.message.clear()
        self.pin_field.setFocus()

    def refuse(self, message: str, wait_s: int) -> None:
        """Say the PIN was wrong; with ``wait_s`` no try is taken until it has passed."""
        self.pin_field.clear()
        self.message.setText(message)
        if wait_s > 0:
            self._set_typing(False)
            self._wait.start(wait_s * self.ms_per_second)
        else:
            self.pin_field.setFocus()

    def _submit(self) -> None:
        if self.waiting or not self.pin_field.text():
            return
        self.pin_entered.emit(self.pin_field.text())

    def _end_wait(self) -> None:
        self._set_typing(True)
        self.message.setText("You can try your PIN again now.")
        self.pin_field.setFocus()

    def _set_typing(self, on: bool) -> None:
        self.pin_field.setEnabled(on)
        self.unlock_button.setEnabled(on)
