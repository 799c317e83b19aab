"""Show a failed action to the teacher in plain words, without blocking a coroutine."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from station_rotation.core.errors import StationRotationError


def show_error(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """Open (non-modally blocking: ``open()``, not ``exec()``) a message for ``error``."""
    if isinstance(error, StationRotationError):
        text = str(error)
    else:
        text = f"Something went wrong: {error}. Nothing was changed."
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
