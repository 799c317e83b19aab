"""One student's levels over time: a small plot per learning target on a shared time axis.

Each check is a dot in its level's colour on that target's level lines (lowest at the
bottom, each line labelled with the level's words), joined in time order so progress
reads at a glance; an absence is a hollow grey ring under the lowest line. Targets not
checked yet are listed in one line rather than drawn as empty plots.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from station_rotation.services.checks.insights import Timeline
from station_rotation.ui.insights import paint

BAND_H = 86
LABEL_W = 120
LEVEL_W = 96  # the level words left of each plot
TITLE_H = 34
AXIS_H = 26
PAD = 12


class TimelineView(QWidget):
    """Paints a student's :class:`Timeline` per target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.student_name = ""
        self.timelines: list[Timeline] = []
        self.setAccessibleName("Student timeline")
        self.setMinimumWidth(420)

    def set_data(self, student_name: str, timelines: list[Timeline]) -> None:
        self.student_name = student_name
        self.timelines = timelines
        self.updateGeometry()
        self.update()

    @property
    def shown(self) -> list[Timeline]:
        return [t for t in self.timelines if t.points]

    def sizeHint(self) -> QSize:
        return QSize(640, PAD * 2 + TITLE_H + BAND_H * max(1, len(self.shown)) + AXIS_H + 24)

    def minimumSizeHint(self) -> QSize:
        return QSize(420, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        title = QFont(self.font())
        title.setPointSizeF(title.pointSizeF() * 1.25)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(paint.INK)
        heading = self.student_name or "Pick a student in the heat map"
        painter.drawText(QRectF(PAD, PAD, self.width(), TITLE_H - 8),
                         Qt.AlignmentFlag.AlignVCenter, heading)  # fmt: skip
        painter.setFont(self.font())
        shown = self.shown
        if not shown:
            if self.student_name:
                painter.setPen(paint.MUTED)
                painter.drawText(QRectF(PAD, PAD + TITLE_H, self.width(), 24),
                                 Qt.AlignmentFlag.AlignVCenter, "No quick checks yet.")  # fmt: skip
            painter.end()
            return
        moments = [p.observed_at for t in shown for p in t.points]
        first, last = min(moments), max(moments)
        if last - first < timedelta(days=1):
            first, last = first - timedelta(hours=12), last + timedelta(hours=12)
        plot_left = PAD + LABEL_W + LEVEL_W
        plot_w = max(60.0, self.width() - plot_left - PAD - 8)
        for index, timeline in enumerate(shown):
            band = QRectF(plot_left, PAD + TITLE_H + index * BAND_H, plot_w, BAND_H - 14)
            self._paint_band(painter, band, timeline, first, last)
        axis_top = PAD + TITLE_H + len(shown) * BAND_H
        self._paint_axis(painter, QRectF(plot_left, axis_top, plot_w, AXIS_H), first, last)
        missing = [t.target.short for t in self.timelines if not t.points]
        if missing:
            painter.setPen(paint.MUTED)
            painter.drawText(QRectF(PAD, axis_top + AXIS_H, self.width() - 2 * PAD, 20),
                             Qt.AlignmentFlag.AlignVCenter,
                             "Not checked yet: " + ", ".join(missing))  # fmt: skip
        painter.end()

    def _paint_band(
        self, painter: QPainter, band: QRectF, timeline: Timeline, first: datetime, last: datetime
    ) -> None:
        levels = timeline.target.scale.levels
        count = len(levels)
        span = (last - first).total_seconds()

        def y_of(position: int) -> float:
            usable = band.height() - 14
            return band.bottom() - 14 - (position / max(1, count - 1)) * usable

        def x_of(moment: datetime) -> float:
            return band.left() + (moment - first).total_seconds() / span * band.width()

        painter.setPen(paint.INK)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        label = QRectF(PAD, band.top(), LABEL_W - 12, 20)
        painter.drawText(label, Qt.AlignmentFlag.AlignLeft, timeline.target.short)
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        latest = next((p.level for p in reversed(timeline.points) if p.level), None)
        if latest is not None:  # where the student stands now: a swatch and the words
            painter.fillRect(QRectF(PAD, band.top() + 25, 10, 10), paint.level_fill(latest))
            painter.setPen(paint.MUTED)
            text = metrics.elidedText(latest.label, Qt.TextElideMode.ElideRight, LABEL_W - 28)
            painter.drawText(QRectF(PAD + 15, band.top() + 20, LABEL_W - 28, 20),
                             Qt.AlignmentFlag.AlignLeft, text)  # fmt: skip
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        lines = range(count) if count <= 6 else (0, count // 2, count - 1)
        for position in lines:
            y = y_of(position)
            painter.setPen(QPen(QColor("#e6e6e6"), 1))
            painter.drawLine(QPointF(band.left(), y), QPointF(band.right(), y))
            painter.setPen(paint.MUTED)
            words = QFontMetrics(small).elidedText(
                levels[position], Qt.TextElideMode.ElideRight, LEVEL_W - 8
            )
            painter.drawText(QRectF(band.left() - LEVEL_W, y - 8, LEVEL_W - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             words)  # fmt: skip
        painter.setFont(self.font())
        dots = [
            (QPointF(x_of(p.observed_at), y_of(p.level.position)), p.level)
            for p in timeline.points
            if p.level is not None
        ]
        if len(dots) > 1:
            painter.setPen(QPen(QColor("#9a9a9a"), 1.4))
            for (a, _), (b, _) in itertools.pairwise(dots):
                painter.drawLine(a, b)
        for point, level in dots:
            painter.setPen(QPen(QColor("#333333"), 0.8))
            painter.setBrush(paint.level_fill(level))
            painter.drawEllipse(point, 5.5, 5.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#9a9a9a"), 1.4))
        for p in timeline.points:
            if p.absent:
                painter.drawEllipse(QPointF(x_of(p.observed_at), band.bottom() - 4), 3.5, 3.5)

    def _paint_axis(self, painter: QPainter, rect: QRectF, first: datetime, last: datetime) -> None:
        painter.setPen(paint.MUTED)
        painter.drawLine(rect.topLeft(), rect.topRight())
        span = (last - first).total_seconds()
        ticks = 6 if rect.width() > 500 else 4
        fmt = "%d %b" if span > 2 * 86400 else "%d %b %H:%M"
        for index in range(ticks + 1):
            moment = first + timedelta(seconds=span * index / ticks)
            x = rect.left() + rect.width() * index / ticks
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.top() + 4))
            text = moment.astimezone().strftime(fmt)
            width = QFontMetrics(painter.font()).horizontalAdvance(text)
            left = min(max(rect.left() - 20, x - width / 2), rect.right() - width)
            painter.drawText(QPointF(left, rect.top() + 18), text)
