"""The band along the projector's foot that lets students join from their own devices.

Shown only when the teacher ticks "Show the join code on the projector": a QR code of
the join address and the class code, large enough to read from the back of the room.
It sits under the groups' cards, never over the countdown. It holds only what a
:class:`JoinCard` carries, so the teacher's pairing code cannot reach the projector.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from station_rotation.ui.projector import theme
from station_rotation.ui.projector.qr import QrCache

HEADING = "Join on your device"


@dataclass(frozen=True)
class JoinCard:
    """What the projector may show so students can join: never the pairing code."""

    url: str  # {server}/#join={secret}: what the QR code holds
    code: str  # the class code as typed ("ABC123")
    address: str  # the address to type


def spaced(code: str) -> str:
    """A six-character code in two halves ("ABC 123"), easier to read out and type."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}" if len(code) == 6 else code


class JoinBand(QWidget):
    """A QR code and the class code, painted; hidden while there is no card."""

    def __init__(self, qr: QrCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projector-join")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._qr = qr
        self.card: JoinCard | None = None
        self.hide()

    def set_card(self, card: JoinCard | None) -> None:
        if card == self.card:
            return
        self.card = card
        self.setVisible(card is not None)
        self.update()

    def drawn_texts(self) -> list[str]:
        """Every text in the band as the class reads it."""
        card = self.card
        if card is None:
            return []
        return [HEADING, f"Class code  {spaced(card.code)}", f"or go to {card.address}"]

    def qr_rect(self) -> QRect:
        side = self.height()
        return QRect(0, 0, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        card = self.card
        if card is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self.height()
        radius = height * 0.08
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.PANEL)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        spot = self.qr_rect()
        pixmap = self._qr.pixmap(card.url, spot.width())
        painter.setBrush(Qt.GlobalColor.white)  # the quiet zone reaches the band's edge
        painter.drawRoundedRect(QRectF(spot), radius, radius)
        painter.drawPixmap(
            spot.left() + (spot.width() - pixmap.width()) // 2,
            spot.top() + (spot.height() - pixmap.height()) // 2,
            pixmap,
        )
        heading, code, address = self.drawn_texts()
        left = spot.right() + round(height * 0.2)
        width = self.width() - left - round(height * 0.15)
        lines = (
            (heading, 0.06, 0.22, theme.MUTED, False),
            (code, 0.3, 0.4, theme.TEXT, True),
            (address, 0.74, 0.2, theme.TEXT, False),
        )
        for text, top, share, colour, bold in lines:
            box = QRect(left, round(height * top), width, round(height * share))
            painter.setPen(colour)
            painter.setFont(
                theme.fitted_font(text, box.width(), box.height(), box.height(), bold=bold)
            )
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.end()
