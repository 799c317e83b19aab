"""Colours for the timeline: a light tint per station, readable text on any colour.

Groups keep their strong Okabe-Ito colours (the projector shows them); stations get
light tints of the same palette, so black text on a cell always reads, and a group's
colour and a station's tint are never confused.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from station_rotation.core.scheduling.palette import OKABE_ITO

FREE_TINT = QColor("#eeeeee")
_TINT_STRENGTH = 0.38  # share of the strong colour in the tint; the rest is white


def station_tint(index: int) -> QColor:
    """A light background for the ``index``-th station of the room."""
    strong = QColor(OKABE_ITO[index % len(OKABE_ITO)].hex)
    if index % len(OKABE_ITO) == 7:  # black would tint to grey, the free-choice colour
        strong = QColor("#8e6bb8")
    mix = _TINT_STRENGTH

    def channel(value: int) -> int:
        return round(value * mix + 255 * (1 - mix))

    return QColor(channel(strong.red()), channel(strong.green()), channel(strong.blue()))


def relative_luminance(colour: QColor) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 .. 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    black, white = QColor("#000000"), QColor("#ffffff")
    if contrast_ratio(background, black) >= contrast_ratio(background, white):
        return black
    return white
