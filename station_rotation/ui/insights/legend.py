"""The heat map's key: each scale's levels with their colours, "not checked" and the flag."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter

from station_rotation.core.scales import Scale
from station_rotation.services.checks.insights import TargetColumn
from station_rotation.ui.checks.level_colours import level_colour
from station_rotation.ui.insights import paint

SWATCH = 14
MAX_SCALES = 2  # beyond that the key names "other scales" instead of crowding the page


def paint_legend(painter: QPainter, rect: QRectF, targets: list[TargetColumn]) -> None:
    """Draw one line per scale in use (most used first), then the markers' meaning."""
    scales: dict[str, tuple[Scale, int]] = {}
    for target in targets:
        scale, count = scales.get(target.scale.spec, (target.scale, 0))
        scales[target.scale.spec] = (scale, count + 1)
    ordered = sorted(scales.values(), key=lambda pair: -pair[1])
    metrics = QFontMetrics(painter.font())
    line = SWATCH + 6
    y = rect.top()
    painter.save()
    for scale, _count in ordered[:MAX_SCALES]:
        x = rect.left()
        for position, label in enumerate(scale.levels):
            colour = level_colour(position, len(scale.levels))
            painter.fillRect(QRectF(x, y, SWATCH, SWATCH), QColor(colour.background))
            painter.setPen(paint.INK)
            painter.drawText(QRectF(x + SWATCH + 4, y - 2, 400, SWATCH + 4),
                             Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
            x += SWATCH + 14 + metrics.horizontalAdvance(label)
        y += line
    x = rect.left()
    paint.paint_empty(painter, QRectF(x, y, SWATCH, SWATCH))
    painter.setPen(paint.MUTED)
    text = "not checked yet"
    painter.drawText(QRectF(x + SWATCH + 4, y - 2, 400, SWATCH + 4),
                     Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
    x += SWATCH + 20 + metrics.horizontalAdvance(text)
    painter.fillRect(QRectF(x + 4, y + 1, 6, SWATCH - 2), paint.FLAG)
    text = "flagged: needs support"
    painter.drawText(QRectF(x + 16, y - 2, 400, SWATCH + 4), Qt.AlignmentFlag.AlignVCenter, text)
    if len(ordered) > MAX_SCALES:
        x += 30 + metrics.horizontalAdvance(text)
        painter.drawText(QRectF(x, y - 2, 400, SWATCH + 4), Qt.AlignmentFlag.AlignVCenter,
                         f"(+{len(ordered) - MAX_SCALES} other scales: hover a cell)")  # fmt: skip
    painter.restore()
