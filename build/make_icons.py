"""Draw the app icon with QPainter and write the PNG, ICO and SVG files.

The icon is four coloured stations on a rotating ring, on a rounded square. Drawing it
in code keeps it reproducible without an image editor; the outputs are committed under
``resources/icons`` and only need regenerating when this script changes:

    .venv/bin/python build/make_icons.py
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen
from PySide6.QtSvg import QSvgGenerator

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "station-rotation"
BACKGROUND = QColor("#1f5f7a")
RING = QColor("#ffffff")
STATIONS = (QColor("#f2b134"), QColor("#ed6a5a"), QColor("#6cc6a0"), QColor("#9bc1f5"))
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(painter: QPainter, size: float) -> None:
    """Draw the icon into a ``size`` x ``size`` square."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.04
    square = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BACKGROUND)
    painter.drawRoundedRect(square, size * 0.2, size * 0.2)

    centre = QPointF(size / 2, size / 2)
    radius = size * 0.29
    pen = QPen(RING, size * 0.06, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    ring = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    # Four arcs between the stations, each ending in an arrow head: the rotation.
    for quarter in range(4):
        start = 90 * quarter + 22
        painter.drawArc(ring, int(start * 16), 46 * 16)
        tip_angle = math.radians(start + 46)
        tip = QPointF(
            centre.x() + radius * math.cos(tip_angle), centre.y() - radius * math.sin(tip_angle)
        )
        head = QPainterPath()
        length = size * 0.07
        for side in (-1, 1):
            back = tip_angle - math.radians(10)
            spread = math.radians(35) * side
            direction = back + math.pi / 2 + math.pi + spread
            head.moveTo(tip)
            head.lineTo(
                tip.x() + length * math.cos(direction), tip.y() - length * math.sin(direction)
            )
        painter.drawPath(head)

    painter.setPen(Qt.PenStyle.NoPen)
    dot = size * 0.105
    for quarter, colour in enumerate(STATIONS):
        angle = math.radians(90 * quarter)
        point = QPointF(
            centre.x() + radius * math.cos(angle), centre.y() - radius * math.sin(angle)
        )
        painter.setBrush(colour)
        painter.drawEllipse(point, dot, dot)


def render_png(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw(painter, size)
    painter.end()
    return image


def write_svg(path: Path, size: int = 256) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(size, size))
    generator.setViewBox(QRectF(0, 0, size, size))
    generator.setTitle("Station Rotation")
    painter = QPainter(generator)
    draw(painter, size)
    painter.end()


def write_ico(path: Path) -> None:
    """A multi-size Windows icon: PNG-compressed entries (Vista and later read them)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs = []
    for size in ICO_SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        render_png(size).save(buffer, "PNG")
        blobs.append((size, bytes(data.data())))
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little")
    header += len(blobs).to_bytes(2, "little")
    offset = 6 + 16 * len(blobs)
    entries = b""
    for size, blob in blobs:
        edge = 0 if size >= 256 else size
        entries += bytes([edge, edge, 0, 0]) + (1).to_bytes(2, "little")
        entries += (32).to_bytes(2, "little") + len(blob).to_bytes(4, "little")
        entries += offset.to_bytes(4, "little")
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blob for _, blob in blobs))


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    render_png(256).save(str(ICONS / f"{NAME}.png"))
    render_png(512).save(str(ICONS / f"{NAME}-512.png"))
    write_ico(ICONS / f"{NAME}.ico")
    write_svg(ICONS / f"{NAME}.svg")
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
