"""Small painting helpers the Insights plots share: level colours, sparklines, dates.

Level colours are the entry grid's ordered, colour-blind-safe ramp (PuOr, see
``ui/checks/level_colours.py``), so a level looks the same on every screen.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from station_rotation.services.insights import Level
from station_rotation.ui.checks.level_colours import level_colour

EMPTY_FILL = QColor("#f2f2f2")
EMPTY_HATCH = QColor("#d8d8d8")
GRID_LINE = QColor("#ffffff")
INK = QColor("#222222")
MUTED = QColor("#6b6b6b")
TREND = QColor("#5e3c99")
FLAG = QColor("#e66101")
SELECTED = QColor("#e8e1f3")
ZEBRA = QColor("#f7f7f7")


def level_fill(level: Level) -> QColor:
    return QColor(level_colour(level.position, level.count).background)


def level_ink(level: Level) -> QColor:
    return QColor(level_colour(level.position, level.count).text)


def fraction_fill(value: float) -> QColor:
    """The ramp's colour at ``value`` (0..1), for means that fall between levels."""
    steps = 101
    return QColor(level_colour(round(value * (steps - 1)), steps).background)


def paint_empty(painter: QPainter, rect: QRectF) -> None:
    """A not-yet-checked cell: pale, lightly hatched, so it never reads as a low level."""
    painter.fillRect(rect, EMPTY_FILL)
    painter.fillRect(rect, QBrush(EMPTY_HATCH, Qt.BrushStyle.BDiagPattern))


def paint_sparkline(painter: QPainter, rect: QRectF, values: list[float]) -> None:
    """A trend line (0..1 values) with a band for the middle and the last point marked."""
    if not values:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    band = QRectF(rect.left(), rect.top() + rect.height() * 0.25, rect.width(), rect.height() / 2)
    painter.fillRect(band, QColor("#f3f0f7"))
    smooth = _rolling(values, 5)
    count = len(smooth)
    step = rect.width() / max(1, count - 1)
    path = QPainterPath()
    points = []
    for index, value in enumerate(smooth):
        point = QPointF(rect.left() + index * step, rect.bottom() - value * rect.height())
        points.append(point)
        if index == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(TREND, 1.6))
    painter.drawPath(path)
    last = points[-1]
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fraction_fill(smooth[-1]))
    painter.drawEllipse(last, 3.2, 3.2)
    painter.restore()


def trend_word(values: list[float]) -> str:
    """Rising, falling or steady: the last fortnight against the one before."""
    if len(values) < 6:
        return "too few checks for a trend"
    recent, before = values[-10:], values[-20:-10] or values[:-10]
    delta = sum(recent) / len(recent) - sum(before) / len(before)
    if delta > 0.08:
        return "rising"
    if delta < -0.08:
        return "falling"
    return "steady"


def local_day(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y")


def _rolling(values: list[float], width: int) -> list[float]:
    out = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= width:
            total -= values[index - width]
        out.append(total / min(index + 1, width))
    return out
