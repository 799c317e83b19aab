"""The projector blanked: black, with a calm "Eyes on me", while the teacher talks.

An overlay over the whole window, so the countdown underneath keeps its time and shows
again, exactly, the moment the blank lifts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from station_rotation.ui.projector import theme

EYES_ON_ME = "Eyes on me"
BLACK = QColor("#000000")


class BlankOverlay(QWidget):
    """Black over everything, and "Eyes on me" in large, soft type (or nothing: black)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.words = EYES_ON_ME  # "" for plain black (the teacher's choice)
        self.setObjectName("projector-blank")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BLACK)
        if not self.words:
            painter.end()
            return
        unit = min(self.height(), self.width() * 9 / 16)
        painter.setPen(theme.MUTED)
        painter.setFont(
            theme.fitted_font(
                self.words, round(self.width() * 0.8), round(unit * 0.3), unit * 0.14, bold=True
            )
        )
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.words)
        painter.end()
