"""Lock settings: set or change the teacher's PIN and the idle time.

Changing anything once a PIN is set asks for the current one first, so a student who
finds the laptop unlocked cannot quietly change it or turn the idle lock off.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.pin import MAX_DIGITS, MIN_DIGITS, hash_pin, pin_matches, pin_problem
from station_rotation.ui.lock import settings
from station_rotation.ui.widgets import ERROR_STYLE, named


def _pin_field(name: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(rf"\d{{0,{MAX_DIGITS}}}"))
    return field


class LockSettingsDialog(QDialog):
    """Saves a new PIN (as its hash) and the idle minutes; emits :attr:`saved`."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lock and PIN")
        self.setObjectName("lockSettingsDialog")
        self.had_pin = settings.has_pin()
        self.current_pin = _pin_field("currentPin")
        self.new_pin = _pin_field("newPin")
        self.repeat_pin = _pin_field("repeatPin")
        self.idle_spin = named(QSpinBox(), "idleMinutes")
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSuffix(" min")
        self.idle_spin.setSpecialValueText("never")
        self.idle_spin.setValue(settings.IDLE_MINUTES.get())
        self.error_label = named(QLabel(""), "errorLabel")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        intro = QLabel(
            f"Ctrl+L locks the app; it also locks by itself when left alone. Your PIN "
            f"({MIN_DIGITS} to {MAX_DIGITS} digits) unlocks it. The projector and the "
            "rotation keep running while it is locked."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        if self.had_pin:
            form.addRow("&Current PIN:", self.current_pin)
        else:
            self.current_pin.hide()
        form.addRow("&New PIN:" if self.had_pin else "&PIN:", self.new_pin)
        form.addRow("PIN &again:", self.repeat_pin)
        form.addRow("Lock when left &alone for:", self.idle_spin)
        if self.had_pin:
            keep = QLabel("Leave the new PIN empty to keep the one you have.")
            keep.setWordWrap(True)
            form.addRow(keep)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def save(self) -> None:
        """Check what was typed, then keep the hash and the idle time, or say what is wrong."""
        problem = self._problem()
        if problem is not None:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        if self.new_pin.text():
            settings.PIN_HASH.set(hash_pin(self.new_pin.text()))
        settings.IDLE_MINUTES.set(self.idle_spin.value())
        self.saved.emit()
        self.accept()

    def _problem(self) -> str | None:
        if self.had_pin and not pin_matches(self.current_pin.text(), settings.PIN_HASH.get()):
            return "That is not your current PIN; nothing was changed."
        new = self.new_pin.text()
        if not new and self.had_pin:
            return None
        problem = pin_problem(new)
        if problem is not None:
            return problem
        if new != self.repeat_pin.text():
            return "The two PINs are not the same."
        return None
