"""Colours for the levels of a scale that colour-blind readers can tell apart.

The levels are ordinal, so their colours come from ColorBrewer's diverging PuOr ramp
(orange, light orange, light purple, purple; marked colour-blind safe): the hue runs
along the orange/purple axis, which the common colour-vision deficiencies keep, and each
level has a lightness of its own; red against green is never used. A cell also always
shows the level's words, so colour is never the only cue. The text colour is picked per
colour for the higher WCAG contrast. No Qt here, so any screen (a heat map too) can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Lowest level first.
RAMP = ("#e66101", "#fdb863", "#b2abd2", "#5e3c99")
ABSENT_BACKGROUND = "#e3e3e3"
ABSENT_TEXT = "#303030"
DARK_TEXT = "#000000"
LIGHT_TEXT = "#ffffff"


@dataclass(frozen=True)
class LevelColour:
    """The fill of a level and the text colour readable on it ("#rrggbb")."""

    background: str
    text: str


@cache
def level_colour(position: int, count: int) -> LevelColour:
    """The colour of level ``position`` (0 = lowest) on a scale of ``count`` levels."""
    fill = RAMP[-1] if count <= 1 else _along_ramp(max(0, min(position, count - 1)) / (count - 1))
    return LevelColour(fill, readable_text_on(fill))


def absent_colour() -> LevelColour:
    return LevelColour(ABSENT_BACKGROUND, ABSENT_TEXT)


def readable_text_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    dark = contrast_ratio(background, DARK_TEXT)
    light = contrast_ratio(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; body text wants at least 4.5)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _along_ramp(fraction: float) -> str:
    scaled = fraction * (len(RAMP) - 1)
    index = min(int(scaled), len(RAMP) - 2)
    local = scaled - index
    start, end = _rgb(RAMP[index]), _rgb(RAMP[index + 1])
    mixed = (round(a + (b - a) * local) for a, b in zip(start, end, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
