"""The projector's few colours and its type, sized from the window, never in points.

Dark background, one light text colour, one muted, and one colour per countdown state:
a projector washes out pale backgrounds, and a calm screen keeps eyes on the work.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics

from station_rotation.ui.projector.scene import Tone

BACKGROUND = QColor("#0F1217")
PANEL = QColor("#1B2029")
TEXT = QColor("#F5F7FA")
MUTED = QColor("#A7B0BC")
AMBER = QColor("#FFB23F")
FLASH = QColor("#FFB23F")
PAUSED_PILL = QColor("#D5DBE3")

TONE_COLOURS = {
    Tone.CALM: TEXT,
    Tone.LAST_MINUTE: AMBER,
    Tone.PAUSED: QColor("#8B949E"),
    Tone.TRANSITION: QColor("#7CC7FF"),
    Tone.IDLE: MUTED,
}


_FONTS: dict[tuple[int, bool], QFont] = {}


def font(pixels: float, *, bold: bool = False) -> QFont:
    """A font of ``pixels`` height: sizes follow the window, not the screen's DPI.

    Fonts are made once per size and reused: fitting a text tries many sizes, and a tick
    should not build fonts.
    """
    key = (max(1, int(pixels)), bold)
    cached = _FONTS.get(key)
    if cached is None:
        cached = QFont()
        cached.setPixelSize(key[0])
        cached.setBold(bold)
        _FONTS[key] = cached
    return QFont(cached)


def fitted_font(
    text: str,
    width: int,
    height: int,
    most: float,
    *,
    bold: bool = False,
    wrap: bool = False,
    least: float = 8,
) -> QFont:
    """The largest font up to ``most`` pixels at which ``text`` fits ``width`` × ``height``."""
    flags = int(Qt.TextFlag.TextWordWrap) if wrap else 0
    low, high = int(least), max(int(least), int(most))
    while low < high:
        mid = (low + high + 1) // 2
        rect = QFontMetrics(font(mid, bold=bold)).boundingRect(
            QRect(0, 0, width, 100_000), flags, text
        )
        if rect.width() <= width and rect.height() <= height:
            low = mid
        else:
            high = mid - 1
    return font(low, bold=bold)


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )
    # Contrast with white (1.05 / (L + 0.05)) against black ((L + 0.05) / 0.05).
    return QColor("#000000") if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else TEXT
