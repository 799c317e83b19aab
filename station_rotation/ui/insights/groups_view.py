"""Groups × targets: where each group of the latest plan stands, to regroup for tomorrow.

A cell's colour is the group's mean level (on the same ramp as the heat map) and its
number the mean on the target's own scale; the bar under it splits the group's students
by level, so a group with one student far behind does not hide behind a good mean.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from station_rotation.services.checks.insights import GroupSummary, TargetColumn
from station_rotation.ui.checks.level_colours import level_colour, readable_text_on
from station_rotation.ui.insights import paint

CELL_W = 58
CELL_H = 44
NAME_W = 190
HEADER_H = 40
PAD = 12


class GroupsView(QWidget):
    """Paints a list of :class:`GroupSummary` against the class's targets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[GroupSummary] = []
        self.targets: list[TargetColumn] = []
        self.setAccessibleName("Groups by learning target")

    def set_data(self, groups: list[GroupSummary], targets: list[TargetColumn]) -> None:
        self.groups = groups
        self.targets = targets
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def sizeHint(self) -> QSize:
        width = PAD * 2 + NAME_W + CELL_W * len(self.targets)
        return QSize(max(width, 400), PAD * 2 + HEADER_H + CELL_H * max(1, len(self.groups)))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(paint.INK)
        if not self.groups:
            painter.drawText(QRectF(PAD, PAD, self.width(), 30), Qt.AlignmentFlag.AlignVCenter,
                             "No groups yet: make a plan with groups first.")  # fmt: skip
            painter.end()
            return
        for column, target in enumerate(self.targets):
            rect = QRectF(PAD + NAME_W + column * CELL_W, PAD, CELL_W, HEADER_H - 6)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignBottom,
                             target.short[:8])  # fmt: skip
        for row, group in enumerate(self.groups):
            top = PAD + HEADER_H + row * CELL_H
            painter.setFont(bold)
            painter.setPen(paint.INK)
            painter.drawText(QRectF(PAD, top, NAME_W - 8, CELL_H / 2 + 4),
                             Qt.AlignmentFlag.AlignBottom, group.name)  # fmt: skip
            painter.setFont(self.font())
            painter.setPen(paint.MUTED)
            painter.drawText(QRectF(PAD, top + CELL_H / 2 + 2, NAME_W - 8, CELL_H / 2),
                             Qt.AlignmentFlag.AlignTop,
                             f"{len(group.student_ids)} students")  # fmt: skip
            for column, target in enumerate(self.targets):
                rect = QRectF(PAD + NAME_W + column * CELL_W, top, CELL_W, CELL_H)
                self._paint_cell(painter, rect.adjusted(1, 1, -1, -1), group, target)
        painter.end()

    def _paint_cell(
        self, painter: QPainter, rect: QRectF, group: GroupSummary, target: TargetColumn
    ) -> None:
        mean = group.means.get(target.id)
        top = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - 9)
        if mean is None:
            paint.paint_empty(painter, rect)
            return
        fill = paint.fraction_fill(mean)
        painter.fillRect(top, fill)
        painter.setPen(QColor(readable_text_on(fill.name())))
        scale = target.scale
        value = scale.first_value + mean * (len(scale.levels) - 1)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, f"{value:.1f}")
        counts = group.counts.get(target.id, [])
        total = sum(counts)
        x = rect.left()
        for position, count in enumerate(counts):
            if not count:
                continue
            width = rect.width() * count / total
            colour = level_colour(position, len(counts)).background
            painter.fillRect(QRectF(x, rect.bottom() - 7, width, 7), QColor(colour))
            x += width
