"""A group's colour with its shape on it, drawn the same way everywhere in the app.

The paper cards, the projector, the Rotation page and the plan's timetable all draw a
group's :class:`~station_rotation.core.scheduling.symbols.Symbol` through
:func:`paint_symbol` / :func:`paint_badge`, so a group's shape looks the same on paper
and on screen, and a group is never told apart by its colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from station_rotation.core.scheduling.symbols import Symbol
from station_rotation.ui.plan.colours import text_on

BADGE_EDGE = QColor("#000000")


def paint_symbol(
    painter: QPainter, symbol: Symbol, rect: QRectF, fill: QColor, edge: QColor | None = None
) -> None:
    """``symbol`` filled with ``fill`` in the largest square centred in ``rect``."""
    side = min(rect.width(), rect.height())
    x = rect.x() + (rect.width() - side) / 2
    y = rect.y() + (rect.height() - side) / 2
    polygon = QPolygonF([QPointF(px, py) for px, py in symbol.scaled(x, y, side)])
    if edge is None:
        painter.setPen(Qt.PenStyle.NoPen)
    else:
        pen = QPen(edge)
        pen.setWidthF(side * 0.04)
        painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawPolygon(polygon)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def paint_badge(
    painter: QPainter, rect: QRectF, colour: str, symbol: Symbol, edge_width: float
) -> None:
    """A rounded square of the group's colour with its shape on it in black or white
    (whichever reads on the colour), so the shape reads without the colour."""
    fill = QColor(colour)
    pen = QPen(BADGE_EDGE)
    pen.setWidthF(edge_width)
    painter.setPen(pen)
    painter.setBrush(fill)
    radius = rect.width() * 0.12
    painter.drawRoundedRect(rect, radius, radius)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = rect.width() * 0.17
    paint_symbol(painter, symbol, rect.adjusted(inset, inset, -inset, -inset), text_on(fill))


def badge_pixmap(colour: str, symbol: Symbol, side: int = 16, ratio: float = 1.0) -> QPixmap:
    """The badge as a ``side``×``side`` pixmap (``ratio``: the screen's pixel ratio)."""
    pixels = max(1, round(side * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    edge = max(1.0, pixels / 16)
    paint_badge(
        painter, QRectF(edge / 2, edge / 2, pixels - edge, pixels - edge), colour, symbol, edge
    )
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def badge_icon(colour: str, symbol: Symbol, side: int = 16) -> QIcon:
    """The badge as an icon for tables, headers and lists (crisp at 1× and 2×)."""
    icon = QIcon()
    for ratio in (1.0, 2.0):
        icon.addPixmap(badge_pixmap(colour, symbol, side, ratio))
    return icon
