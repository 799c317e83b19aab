"""A short note on one quick check ("counted on fingers", "used the table")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from station_rotation.services.checks.quick_checks import MAX_NOTE
from station_rotation.ui.widgets import named


class NoteEdit(QPlainTextEdit):
    """Plain text where Ctrl+Enter means "save" (Enter alone starts a new line)."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class NoteDialog(QDialog):
    """Read :meth:`note` when it is accepted. Ctrl+Enter saves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickCheckNote")
        self.setWindowTitle("Note on this check")
        self.edit = named(NoteEdit(), "noteText")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("What you noticed (private to you)")
        self.edit.submitted.connect(self.accept)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)
        layout.addWidget(self.edit)
        hint = QLabel("Ctrl+Enter saves · Esc cancels")
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(420, 220)

    def show_for(self, about: str, note: str) -> None:
        """Open (``open()``, not ``exec()``) for one check's current note."""
        self.heading.setText(about)
        self.edit.setPlainText(note)
        self.edit.moveCursor(QTextCursor.MoveOperation.End)
        self.open()
        self.edit.setFocus()

    def note(self) -> str:
        return self.edit.toPlainText().strip()[:MAX_NOTE]
