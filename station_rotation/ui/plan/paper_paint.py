"""Drawing on paper in millimetres: text that fits, group badges, vector QR codes.

The paper documents draw in tenths of a millimetre of the printable area (:class:`Frame`),
whatever the device (a 1200 dpi printer, a PDF, a preview image), so a size written
here is a size on the paper. :class:`Canvas` wraps the painter and keeps every text it
drew, in order: the tests read what a page says from it, as from the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from station_rotation.core.scheduling.symbols import Symbol
from station_rotation.ui.group_badge import paint_badge, paint_symbol
from station_rotation.ui.projector.qr import qr_image

MM = 10.0  # units per millimetre
PT = 0.3528 * MM  # units per typographic point
INK = QColor("#000000")
GREY = QColor("#555555")
RULE = QColor("#9a9a9a")

Align = Qt.AlignmentFlag


@dataclass(frozen=True)
class Frame:
    """The printable area of one page, in units (tenths of a millimetre)."""

    width: float
    height: float

    @classmethod
    def from_mm(cls, width: float, height: float) -> Frame:
        return cls(width * MM, height * MM)


def font(points: float, bold: bool = False) -> QFont:
    made = QFont()
    made.setPixelSize(max(1, round(points * PT)))
    made.setBold(bold)
    return made


@dataclass
class Canvas:
    """A painter already scaled to units, and the texts drawn through it."""

    painter: QPainter
    frame: Frame
    texts: list[str] = field(default_factory=list)

    def text(
        self,
        rect: QRectF,
        text: str,
        points: float,
        *,
        bold: bool = False,
        flags: int = int(Align.AlignLeft | Align.AlignTop),
        colour: QColor = INK,
    ) -> QRectF:
        """Draw ``text`` in ``rect``; return the rectangle it took."""
        if not text:
            return QRectF(rect.topLeft(), rect.topLeft())
        self.painter.setFont(font(points, bold))
        self.painter.setPen(colour)
        used = self.painter.boundingRect(rect, flags, text)
        self.painter.drawText(rect, flags, text)
        self.texts.append(text)
        return used

    def measure(self, rect: QRectF, text: str, points: float, *, bold: bool, flags: int) -> QRectF:
        self.painter.setFont(font(points, bold))
        return self.painter.boundingRect(rect, flags, text)

    def fitting(
        self,
        rect: QRectF,
        text: str,
        largest: float,
        smallest: float,
        *,
        bold: bool = False,
        flags: int = int(Align.AlignLeft | Align.AlignTop | Qt.TextFlag.TextWordWrap),
    ) -> float:
        """The largest point size (down to ``smallest``) at which ``text`` fits ``rect``."""
        size = largest
        while size > smallest:
            used = self.measure(
                QRectF(rect.x(), rect.y(), rect.width(), 1e6), text, size, bold=bold, flags=flags
            )
            if used.width() <= rect.width() + 0.5 and used.height() <= rect.height() + 0.5:
                return size
            size -= 1
        return smallest

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        colour: QColor = RULE,
        width: float = 0.3 * MM,
        dashed: bool = False,
    ) -> None:
        pen = QPen(colour)
        pen.setWidthF(width)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.painter.setPen(pen)
        self.painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))

    def box(
        self,
        rect: QRectF,
        *,
        fill: QColor | None = None,
        colour: QColor = INK,
        width: float = 0.3 * MM,
        radius: float = 0.0,
    ) -> None:
        pen = QPen(colour)
        pen.setWidthF(width)
        self.painter.setPen(pen)
        self.painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        if radius:
            self.painter.drawRoundedRect(rect, radius, radius)
        else:
            self.painter.drawRect(rect)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)

    def symbol(
        self, symbol: Symbol, rect: QRectF, fill: QColor, edge: QColor | None = None
    ) -> None:
        paint_symbol(self.painter, symbol, rect, fill, edge)

    def badge(self, rect: QRectF, colour: str, symbol: Symbol) -> None:
        """A group's colour as a square with its shape on it (the shape reads without colour)."""
        paint_badge(self.painter, rect, colour, symbol, 0.4 * MM)

    def qr(self, url: str, rect: QRectF) -> None:
        """The link's QR code as vector squares (crisp on any printer), quiet zone included."""
        image = qr_image(url)
        modules = image.width()
        side = min(rect.width(), rect.height()) / modules
        self.painter.save()
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # no seams
        self.painter.fillRect(
            QRectF(rect.x(), rect.y(), side * modules, side * modules), QColor("#ffffff")
        )
        for row in range(modules):
            column = 0
            while column < modules:
                if image.pixelColor(column, row).lightness() < 128:
                    start = column
                    while column < modules and image.pixelColor(column, row).lightness() < 128:
                        column += 1
                    self.painter.fillRect(
                        QRectF(
                            rect.x() + start * side,
                            rect.y() + row * side,
                            (column - start) * side + 0.05,
                            side + 0.05,
                        ),
                        INK,
                    )
                else:
                    column += 1
        self.painter.restore()
