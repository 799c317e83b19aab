"""What the record dialogs share: Save/Cancel, an inline refusal banner, and the save flow.

A subclass builds its form, lays out :attr:`error_label` and :attr:`buttons` under it, and
implements :meth:`submit` (call the service, return the saved record's id). A refusal
from the service is shown inline and the teacher's typing is kept; the dialog is opened
with ``open()`` and reports through :attr:`saved`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from station_rotation.core.errors import StationRotationError
from station_rotation.ui.widgets import named

_ERROR_STYLE = (
    "color: #b00020; background: #fdecea; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 6px; font-weight: bold;"
)


class RecordFormDialog(QDialog):
    """A dialog that saves one record through a service."""

    saved = Signal(str)  # the saved record's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> str:
        """Save the form through the service; return the record's id (or raise its refusal)."""
        raise NotImplementedError

    def first_field(self) -> QWidget:
        """Where the cursor goes after a refusal."""
        raise NotImplementedError

    def save(self) -> None:
        """Save through the service; on a refusal, say why and keep the dialog open."""
        try:
            record_id = self.submit()
        except StationRotationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.first_field().setFocus()
            return
        self.error_label.hide()
        self.saved.emit(record_id)
        self.accept()
