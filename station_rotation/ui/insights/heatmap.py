"""The class heat map: students down, learning targets across, each student's latest level.

Painted with QPainter (hundreds of cells, no item widgets). Each cell holds its level's
number as well as its colour, so colour is never the only cue; a trend sparkline closes
each row, and a flag marks students the teacher flagged as needing support. Hovering a
cell tells the level's words and the day of the check; clicking a row picks the student.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from station_rotation.services.checks.insights import Heatmap, StudentRow, TargetColumn
from station_rotation.ui.insights import paint
from station_rotation.ui.insights.legend import paint_legend

CELL_W = 42
CELL_H = 26
SPARK_W = 120
HEADER_H = 92
LEGEND_H = 80
PAD = 12


class HeatmapView(QWidget):
    """Paints a :class:`Heatmap`; emits ``student_picked(id)`` when a row is clicked."""

    student_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.heatmap = Heatmap([], [], {})
        self.trends: dict[str, list[float]] = {}
        self.selected: str | None = None
        self._name_w = 160
        self._font = QFont(self.font())
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self.setAccessibleName("Class heat map")

    def set_data(self, heatmap: Heatmap, trends: dict[str, list[float]]) -> None:
        self.heatmap = heatmap
        self.trends = trends
        metrics = QFontMetrics(self._bold)
        widest = max((metrics.horizontalAdvance(s.name) for s in heatmap.students), default=80)
        self._name_w = min(240, widest + 34)
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def select(self, student_id: str | None) -> None:
        self.selected = student_id
        self.update()

    # --- geometry -------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        width = PAD * 2 + self._name_w + CELL_W * len(self.heatmap.targets) + SPARK_W + 16
        height = PAD * 2 + HEADER_H + CELL_H * len(self.heatmap.students) + LEGEND_H
        return QSize(max(width, 520), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, row: int, column: int) -> QRectF:
        left = PAD + self._name_w + column * CELL_W
        top = PAD + HEADER_H + row * CELL_H
        return QRectF(left, top, CELL_W, CELL_H)

    def hit(self, point: QPoint | QPointF) -> tuple[int, int | None] | None:
        """(row, column) under ``point``; column None on the name or the trend."""
        row = int((point.y() - PAD - HEADER_H) // CELL_H)
        if not 0 <= row < len(self.heatmap.students) or point.y() < PAD + HEADER_H:
            return None
        column = int((point.x() - PAD - self._name_w) // CELL_W)
        if point.x() < PAD + self._name_w or column >= len(self.heatmap.targets):
            return row, None
        return row, column

    # --- painting -------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        self._paint_header(painter)
        for row, student in enumerate(self.heatmap.students):
            self._paint_row(painter, row, student)
        top = PAD + HEADER_H + CELL_H * len(self.heatmap.students) + 14
        paint_legend(painter, QRectF(PAD, top, self.width() - 2 * PAD, LEGEND_H - 14),
                     self.heatmap.targets)  # fmt: skip
        painter.end()

    def _paint_header(self, painter: QPainter) -> None:
        painter.setFont(self._bold)
        painter.setPen(paint.INK)
        for column, target in enumerate(self.heatmap.targets):
            rect = self.cell_rect(0, column)
            painter.save()
            painter.translate(rect.center().x() + 4, PAD + HEADER_H - 8)
            painter.rotate(-55)
            painter.drawText(QPointF(0, 0), _elide(target.short, 14))
            painter.restore()
        spark_left = PAD + self._name_w + CELL_W * len(self.heatmap.targets) + 16
        painter.setPen(paint.MUTED)
        painter.setFont(self._font)
        painter.drawText(QPointF(spark_left, PAD + HEADER_H - 8), "Trend")
        painter.drawText(QPointF(PAD, PAD + HEADER_H - 8), "Student")

    def _paint_row(self, painter: QPainter, row: int, student: StudentRow) -> None:
        top = PAD + HEADER_H + row * CELL_H
        name_rect = QRectF(PAD, top, self._name_w - 8, CELL_H)
        if student.id == self.selected:
            width = self._name_w + CELL_W * len(self.heatmap.targets) + SPARK_W + 16
            painter.fillRect(QRectF(PAD - 4, top, width + 8, CELL_H), paint.SELECTED)
        elif row % 2:
            painter.fillRect(name_rect, paint.ZEBRA)
        if student.needs_support:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paint.FLAG)
            painter.drawRoundedRect(QRectF(PAD, top + 6, 6, CELL_H - 12), 2, 2)
        painter.setPen(paint.INK)
        painter.setFont(self._bold if student.id == self.selected else self._font)
        text_rect = name_rect.adjusted(12, 0, 0, 0)
        metrics = QFontMetrics(painter.font())
        name = metrics.elidedText(student.name, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, name)
        painter.setFont(self._bold)
        for column, target in enumerate(self.heatmap.targets):
            self._paint_cell(painter, self.cell_rect(row, column), student, target)
        spark_left = PAD + self._name_w + CELL_W * len(self.heatmap.targets) + 16
        spark = QRectF(spark_left, top + 4, SPARK_W - 8, CELL_H - 8)
        paint.paint_sparkline(painter, spark, self.trends.get(student.id, []))

    def _paint_cell(
        self, painter: QPainter, rect: QRectF, student: StudentRow, target: TargetColumn
    ) -> None:
        inner = rect.adjusted(1, 1, -1, -1)
        level = self.heatmap.cell(student.id, target.id)
        if level is None:
            paint.paint_empty(painter, inner)
            return
        painter.fillRect(inner, paint.level_fill(level))
        painter.setPen(paint.level_ink(level))
        painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, str(level.score))

    # --- interaction ----------------------------------------------------------------

    def tooltip_at(self, point: QPoint | QPointF) -> str:
        """What hovering ``point`` tells (empty when nothing is under it)."""
        where = self.hit(point)
        if where is None:
            return ""
        row, column = where
        student = self.heatmap.students[row]
        if column is None:
            trend = paint.trend_word(self.trends.get(student.id, []))
            flag = "\nFlagged: needs support" if student.needs_support else ""
            return f"{student.name}\nTrend: {trend}{flag}"
        target = self.heatmap.targets[column]
        level = self.heatmap.cell(student.id, target.id)
        head = f"{student.name} · {target.short}\n{target.statement}\n"
        if level is None:
            return head + "Not checked yet"
        return head + f"Level: {level.label}\nChecked {paint.local_day(level.observed_at)}"

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        where = self.hit(event.position())
        if where is not None and event.button() == Qt.MouseButton.LeftButton:
            student = self.heatmap.students[where[0]]
            self.select(student.id)
            self.student_picked.emit(student.id)
        super().mousePressEvent(event)


def _elide(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"
