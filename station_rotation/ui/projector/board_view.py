"""Where every group is: one card per group, painted, in one to three columns.

The cards' texts are placed by ``cards.lay_out`` and fitted to the card, so the same
code fills a 1280×720 window and a 4K screen. The layout is worked out on the first
paint after the scene or the size changed, and nothing is repainted in between: the
seconds live in ``CountdownView``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from station_rotation.core.scheduling.symbols import symbol_named
from station_rotation.ui.group_badge import paint_symbol
from station_rotation.ui.projector import cards, theme
from station_rotation.ui.projector.qr import QrCache
from station_rotation.ui.projector.scene import Mode, Row


class BoardView(QWidget):
    """The groups' cards for one scene (or a message, when there are none)."""

    def __init__(self, qr: QrCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projector-board")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._qr = qr
        self._mode = Mode.WAITING
        self._rows: tuple[Row, ...] = ()
        self._message = ""
        self._cards: cards.CardsLayout | None = None  # laid out on the next paint
        self.layouts = 0  # how often the cards were laid out (only on scene or size change)

    @property
    def rows(self) -> tuple[Row, ...]:
        return self._rows

    @property
    def message(self) -> str:
        return self._message

    def set_scene(self, mode: Mode, rows: tuple[Row, ...], message: str = "") -> None:
        if (mode, rows, message) == (self._mode, self._rows, self._message):
            return
        self._mode, self._rows, self._message = mode, rows, message
        self._cards = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cards = None
        super().resizeEvent(event)

    # --- layout ---------------------------------------------------------------------

    def card_rects(self) -> list[QRect]:
        """One rectangle per row, filled column by column (groups read top to bottom)."""
        count = len(self._rows)
        if not count:
            return []
        columns = 1 if count <= 3 else 2 if count <= 8 else 3
        lines = math.ceil(count / columns)
        gap = max(6, round(min(self.width(), self.height()) * 0.035))
        width = (self.width() - gap * (columns - 1)) / columns
        height = (self.height() - gap * (lines - 1)) / lines
        height = min(height, width * 0.45)
        rects = []
        for index in range(count):
            column, line = divmod(index, lines)
            x = column * (width + gap)
            y = line * (height + gap)
            rects.append(QRect(round(x), round(y), round(width), round(height)))
        return rects

    # --- painting -------------------------------------------------------------------

    def drawn_texts(self) -> list[str]:
        """Every text on the board as the class sees it (tests read the screen with it)."""
        texts = [t.text for t in self._layout().texts]
        return [self._message, *texts] if self._message else texts

    @property
    def qr_drawn(self) -> dict[str, QRect]:
        """Where each station's code is drawn (link -> rectangle), as laid out now."""
        return dict(self._layout().qr)

    @property
    def symbols_drawn(self) -> list[tuple[str, QRect]]:
        """Each card's group shape as drawn (shape name, rectangle), in card order."""
        return [(name, rect) for rect, _ink, name in self._layout().symbols]

    def _layout(self) -> cards.CardsLayout:
        if self._cards is None:
            layout = cards.lay_out(self._mode, self._rows, self.card_rects(), self._qr_side)
            layout.texts = [cards.elided(t, layout.fonts[t.role]) for t in layout.texts]
            self._cards = layout
            self.layouts += 1
        return self._cards

    def _qr_side(self, url: str, most: int) -> int:
        return self._qr.pixmap(url, most).width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._message:
            self._paint_message(painter)
        layout = self._layout()
        for card, band, colour in layout.cards:
            radius = card.height() * 0.08
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.PANEL)
            painter.drawRoundedRect(QRectF(card), radius, radius)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(band), radius, radius)
            painter.drawRect(QRectF(band.adjusted(0, band.height() // 2, 0, 0)))  # square foot
        for rect, ink, name in layout.symbols:
            symbol = symbol_named(name)
            if symbol is not None:
                paint_symbol(painter, symbol, QRectF(rect), ink)
        for url, spot in layout.qr.items():
            painter.drawPixmap(spot, self._qr.pixmap(url, spot.width()))
        for text in layout.texts:
            painter.setPen(text.colour)
            painter.setFont(layout.fonts[text.role])
            if text.wrap:
                painter.save()
                painter.setClipRect(text.rect)
            painter.drawText(text.rect, text.flags, text.text)
            if text.wrap:
                painter.restore()
        painter.end()

    def _paint_message(self, painter: QPainter) -> None:
        area = self.rect().adjusted(0, 0, 0, -self.height() // 5)
        painter.setPen(theme.TEXT)
        painter.setFont(
            theme.fitted_font(
                self._message,
                area.width(),
                area.height(),
                area.height() * 0.3,
                bold=True,
                wrap=True,
            )
        )
        flags = int(Qt.AlignmentFlag.AlignCenter) | cards.WRAP
        painter.drawText(area, flags, self._message)
