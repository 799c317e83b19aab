"""Small painting helpers the Insights plots share: level colours, sparklines, dates.

Level colours are the entry grid's ordered, colour-blind-safe ramp (PuOr, see
``ui/checks/level_colours.py``), so a level looks the same on every screen.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF

from station_rotation.services.checks.insights import Level
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


MAX_SPARK_POINTS = 48  # more than a sparkline's width can show, and slower to draw


def level_fill(level: Level) -> QColor:
    return _colours(level.position, level.count)[0]


def level_ink(level: Level) -> QColor:
    return _colours(level.position, level.count)[1]


def fraction_fill(value: float) -> QColor:
    """The ramp's colour at ``value`` (0..1), for means that fall between levels."""
    return _colours(round(max(0.0, min(1.0, value)) * 100), 101)[0]


@lru_cache(maxsize=512)
def _colours(position: int, count: int) -> tuple[QColor, QColor]:
    """Fill and text colour of a level; cached, as a repaint asks for hundreds."""
    colour = level_colour(position, count)
    return QColor(colour.background), QColor(colour.text)


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
    smooth = _buckets(_rolling(values, 5), MAX_SPARK_POINTS)
    step = rect.width() / max(1, len(smooth) - 1)
    points = [
        QPointF(rect.left() + index * step, rect.bottom() - value * rect.height())
        for index, value in enumerate(smooth)
    ]
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(TREND, 1.6))
    painter.drawPolyline(QPolygonF(points))
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


def _buckets(values: list[float], most: int) -> list[float]:
    """At most ``most`` points: the means of equal runs of ``values`` (keeps the last)."""
    if len(values) <= most:
        return values
    size = len(values) / most
    out = []
    for index in range(most):
        run = values[int(index * size) : max(int((index + 1) * size), int(index * size) + 1)]
        out.append(sum(run) / len(run))
    out[-1] = values[-1]
    return out


def _rolling(values: list[float], width: int) -> list[float]:
    out = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= width:
            total -= values[index - width]
        out.append(total / min(index + 1, width))
    return out
