"""Show a failed action to the teacher in plain words, without blocking a coroutine."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from station_rotation.core.errors import StationRotationError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong; the details are in the app's log. Nothing was changed."
)
"""For anything but our own errors: an exception's text (a database message, a path) is
no help to a teacher and may name a student; it goes to the log instead."""


def show_error(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """Open (non-modally blocking: ``open()``, not ``exec()``) a message for ``error``."""
    if isinstance(error, StationRotationError):
        text = str(error)
    else:
        log.error("%s failed", title, exc_info=error)
        text = UNEXPECTED
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
