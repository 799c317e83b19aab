"""Where each text of the groups' cards goes, and at what size.

A card is a band in the group's colour with its shape and name (and first names when allowed) and,
in a round, the next station; under it, in a round, the station in large type, its
instructions and its QR code; in a transition, only where to go ("→ Library") and from
where. Each role (group name, station, instructions...) gets one size on every card,
the largest at which it fits on all of them: a board of equal sizes reads calmly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics

from station_rotation.ui.projector import theme
from station_rotation.ui.projector.scene import Mode, Row

LEFT_TOP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT_MIDDLE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
WRAP = int(Qt.TextFlag.TextWordWrap)
BAND_SHARE = 0.3  # of a card's height: the coloured band with the group's name
SYMBOL_GAP = 0.3  # of the band's inner height: between the group's shape and its name
QR_SHARE = 1.12  # of the body's inner height (it may use the padding): the QR code


@dataclass(frozen=True)
class Text:
    """One text on a card; its role sets its size, shared by all cards."""

    role: str
    text: str
    rect: QRect
    colour: QColor
    flags: int
    most: float  # largest size in pixels
    bold: bool = False
    wrap: bool = False
    least: float = 8


@dataclass
class CardsLayout:
    cards: list[tuple[QRect, QRect, QColor]] = field(default_factory=list)  # card, band
    texts: list[Text] = field(default_factory=list)
    fonts: dict[str, QFont] = field(default_factory=dict)
    qr: dict[str, QRect] = field(default_factory=dict)  # link -> where its code goes
    # One per card whose group has a shape: where it goes, its ink, the shape's name.
    symbols: list[tuple[QRect, QColor, str]] = field(default_factory=list)


def lay_out(
    mode: Mode, rows: tuple[Row, ...], rects: list[QRect], qr_side: Callable[[str, int], int]
) -> CardsLayout:
    """Place every card's texts and codes. ``qr_side(url, most)`` is the side the code
    really takes (whole pixels per module) when given at most ``most`` pixels."""
    out = CardsLayout()
    bands: list[tuple[Row, QRect, QRect]] = []  # row, card, band's inner rectangle
    for row, card in zip(rows, rects, strict=True):
        colour = QColor(row.colour) if QColor.isValidColorName(row.colour) else theme.MUTED
        band = QRect(card.left(), card.top(), card.width(), round(card.height() * BAND_SHARE))
        out.cards.append((card, band, colour))
        side, top = round(card.height() * 0.08), round(band.height() * 0.1)
        bands.append((row, card, band.adjusted(side, top, -side, -top)))
    inks = [theme.text_on(colour) for _card, _band, colour in out.cards]
    # The group's shape leads the band, in the band's ink: the group reads without colour.
    named = []
    for (row, card, inner), ink in zip(bands, inks, strict=True):
        if row.symbol:
            side = inner.height()
            out.symbols.append((QRect(inner.left(), inner.top(), side, side), ink, row.symbol))
            inner = inner.adjusted(side + round(side * SYMBOL_GAP), 0, 0, 0)
        named.append((row, card, inner))
    bands = named
    # The band holds the group's name, then its first names; "Next: ..." at its right end.
    # Names and next stations are sized first, the first names take the room between.
    names = [
        Text("group", row.group, inner, ink, LEFT_MIDDLE, inner.height(), True)
        for (row, _card, inner), ink in zip(bands, inks, strict=True)
    ]
    nexts = [
        Text(
            "next",
            f"Next: {row.next_station}",
            inner.adjusted(inner.width() // 2, 0, 0, 0),
            ink,
            RIGHT_MIDDLE,
            inner.height() * 0.55,
        )
        for (row, _card, inner), ink in zip(bands, inks, strict=True)
        if row.next_station and mode is not Mode.TRANSITION
    ]
    _fit_roles(out, names + nexts)
    out.texts.extend(names + nexts)
    name_metrics = QFontMetrics(out.fonts.get("group", theme.font(10, bold=True)))
    next_metrics = QFontMetrics(out.fonts.get("next", theme.font(10)))
    rest = []
    for (row, card, inner), name in zip(bands, names, strict=True):
        if row.members:
            gap = round(inner.height() * 0.4)
            right = inner.right()
            if row.next_station and mode is not Mode.TRANSITION:
                right -= next_metrics.horizontalAdvance(f"Next: {row.next_station}") + gap
            left = inner.left() + name_metrics.horizontalAdvance(row.group) + gap
            rect = QRect(left, inner.top(), max(0, right - left), inner.height())
            rest.append(
                Text(
                    "members",
                    row.members,
                    rect,
                    name.colour,
                    LEFT_MIDDLE | WRAP,
                    inner.height() * 0.5,
                    wrap=True,
                )
            )
        band_bottom = card.top() + round(card.height() * BAND_SHARE)
        body = QRect(card.left(), band_bottom, card.width(), card.bottom() + 1 - band_bottom)
        rest.extend(_body_texts(out, mode, row, _inner(body, card.height()), qr_side))
    _fit_roles(out, rest)
    out.texts.extend(rest)
    return out


def _inner(rect: QRect, card_height: int) -> QRect:
    side, top = round(card_height * 0.08), round(card_height * 0.06)
    return rect.adjusted(side, top, -side, -top)


def _body_texts(
    out: CardsLayout, mode: Mode, row: Row, area: QRect, qr_side: Callable[[str, int], int]
) -> list[Text]:
    h = area.height()
    if mode is Mode.TRANSITION:
        main_h = round(h * 0.66) if row.from_station else h
        target = QRect(area.left(), area.top(), area.width(), main_h)
        texts = [
            Text("target", f"→ {row.station}", target, theme.TEXT, LEFT_MIDDLE, h * 0.55, True)
        ]
        if row.from_station:
            rest = QRect(area.left(), area.top() + main_h, area.width(), h - main_h)
            texts.append(
                Text("from", f"from {row.from_station}", rest, theme.MUTED, LEFT_TOP, h * 0.26)
            )
        return texts
    if row.content_url:
        side = qr_side(row.content_url, round(h * QR_SHARE))
        spot = QRect(area.right() - side, area.top() + (h - side) // 2, side, side)
        out.qr[row.content_url] = spot
        area = area.adjusted(0, 0, -(side + round(h * 0.12)), 0)
    station_h = round(h * 0.45) if row.instructions else h
    texts = [
        Text(
            "station",
            row.station,
            QRect(area.left(), area.top(), area.width(), station_h),
            theme.TEXT,
            LEFT_MIDDLE,
            h * 0.4,
            True,
            least=h * 0.18,
        ),
    ]
    if row.instructions:
        middle = QRect(area.left(), area.top() + station_h, area.width(), h - station_h)
        texts.append(
            Text(
                "instructions",
                row.instructions,
                middle,
                theme.MUTED,
                LEFT_TOP | WRAP,
                h * 0.26,
                wrap=True,
            )
        )
    return texts


def _fit_roles(out: CardsLayout, texts: list[Text]) -> None:
    """Give each role of ``texts`` the largest size at which it fits on every card."""
    sizes: dict[str, int] = {}
    bold: dict[str, bool] = {}
    for text in texts:
        rect = text.rect
        fitted = theme.fitted_font(
            text.text,
            rect.width(),
            rect.height(),
            text.most,
            bold=text.bold,
            wrap=text.wrap,
            least=text.least,
        ).pixelSize()
        sizes[text.role] = min(sizes.get(text.role, fitted), fitted)
        bold[text.role] = text.bold
    for role, pixels in sizes.items():
        out.fonts[role] = theme.font(pixels, bold=bold[role])


def elided(text: Text, font: QFont) -> Text:
    """``text`` cut with "…" where it still does not fit at the smallest allowed size."""
    if text.wrap:
        return text
    metrics = QFontMetrics(font)
    short = metrics.elidedText(text.text, Qt.TextElideMode.ElideRight, text.rect.width())
    return text if short == text.text else replace(text, text=short)
