"""The countdown: huge digits and a thin bar of the time gone, painted, never laid out.

``set_state`` is called on every tick and repaints only when the text, the colour or the
bar's pixel length changed, so most ticks cost a comparison. Each digit is drawn in a
cell of the widest digit's width, so the clock never shifts sideways as it counts down,
whatever font the system has. The digit size follows the widget's size.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from station_rotation.ui.projector import theme
from station_rotation.ui.projector.scene import Tone

BAR_SHARE = 0.05  # of the widget's height, for the progress bar and the gap above it


class CountdownView(QWidget):
    """Shows ``m:ss`` as large as the widget allows, and a bar of the segment gone by."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projector-countdown")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._text = ""
        self._tone = Tone.IDLE
        self._fraction = 0.0
        self._bar_pixels = -1
        self._font = theme.font(10, bold=True)
        self._font_for: tuple[int, int, int] = (0, 0, 0)
        self.repaints = 0  # paint events so far (the tick benchmark and tests read it)

    @property
    def text(self) -> str:
        return self._text

    @property
    def tone(self) -> Tone:
        return self._tone

    def digit_height(self) -> int:
        """Height in pixels of the digits as drawn at the widget's current size."""
        self._fit()
        return QFontMetrics(self._font).tightBoundingRect("0123456789").height()

    def set_state(self, text: str, tone: Tone, fraction: float) -> None:
        """Show ``text`` in ``tone``; ``fraction`` (0..1) of the segment has gone by."""
        fraction = min(1.0, max(0.0, fraction))
        bar_pixels = round(fraction * self._bar_rect().width())
        if text == self._text and tone is self._tone and bar_pixels == self._bar_pixels:
            return
        only_bar = text == self._text and tone is self._tone
        self._text, self._tone, self._fraction = text, tone, fraction
        self._bar_pixels = bar_pixels
        if only_bar:
            self.update(self._bar_rect())  # the digits stay as they are
        else:
            self.update()

    # --- painting -------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._font_for = (0, 0, 0)
        self._bar_pixels = round(self._fraction * self._bar_rect().width())
        super().resizeEvent(event)

    def _bar_rect(self) -> QRect:
        thickness = max(4, round(self.height() * BAR_SHARE * 0.4))
        return QRect(0, self.height() - thickness, self.width(), thickness)

    def _digits_rect(self) -> QRect:
        return QRect(0, 0, self.width(), round(self.height() * (1 - BAR_SHARE)))

    def _fit(self) -> None:
        """Largest digits for which the text's cells fit the digits' area."""
        area = self._digits_rect()
        key = (area.width(), area.height(), len(self._text))
        if key == self._font_for:
            return
        # Size for at least "88:88", so the digits do not grow when 10:00 becomes 9:59.
        sample = "".join("8" if ch.isdigit() else ch for ch in self._text)
        if len(sample) < 5:
            sample = "88:88"
        reference = 200  # measure once at this size; glyphs scale in proportion
        metrics = QFontMetrics(theme.font(reference, bold=True))
        width = self._cells_width(metrics, sample)
        height = metrics.tightBoundingRect("0123456789").height()
        size = reference * min(
            area.width() * 0.96 / max(1, width), area.height() * 0.9 / max(1, height)
        )
        self._font = theme.font(size, bold=True)
        self._font_for = key

    @staticmethod
    def _cells_width(metrics: QFontMetrics, text: str) -> int:
        cell = max(metrics.horizontalAdvance(d) for d in "0123456789")
        return sum(cell if ch.isdigit() else metrics.horizontalAdvance(ch) for ch in text)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.repaints += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = theme.TONE_COLOURS[self._tone]
        if self._text:
            self._fit()
            painter.setFont(self._font)
            painter.setPen(colour)
            metrics = QFontMetrics(self._font)
            cell = max(metrics.horizontalAdvance(d) for d in "0123456789")
            area = self._digits_rect()
            digits = metrics.tightBoundingRect("0123456789")
            baseline = area.top() + (area.height() - digits.height()) / 2 - digits.top()
            x = area.left() + (area.width() - self._cells_width(metrics, self._text)) / 2
            for ch in self._text:
                width = cell if ch.isdigit() else metrics.horizontalAdvance(ch)
                painter.drawText(
                    QRectF(x, baseline - metrics.ascent(), width, metrics.height()),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    ch,
                )
                x += width
        bar = self._bar_rect()
        radius = bar.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.PANEL)
        painter.drawRoundedRect(QRectF(bar), radius, radius)
        if self._bar_pixels > 0:
            painter.setBrush(colour)
            filled = QRectF(bar.left(), bar.top(), self._bar_pixels, bar.height())
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()
