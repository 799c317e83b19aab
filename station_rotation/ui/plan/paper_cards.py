"""Station cards (one page per table) and group cards (two to a page, cut in half).

Sizes are for reading from a metre or two: a station's name up to 80 pt, instructions
and group names at 20-28 pt. Every group is shown by its colour *and* its shape, and
named, so neither colour vision nor a black-and-white printer is needed to find a table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QRectF, Qt

from station_rotation.services.plans.paper import GroupCard, PlanPaper, StationCard, StationVisit
from station_rotation.ui.plan.colours import FREE_TINT, station_tint
from station_rotation.ui.plan.paper_paint import GREY, MM, Align, Canvas
from station_rotation.ui.plan.plan_list import day_text
from station_rotation.ui.plan.timeline_data import clock

PagePainter = Callable[[Canvas], None]
WRAP = int(Align.AlignLeft | Align.AlignTop | Qt.TextFlag.TextWordWrap)
LEFT_MIDDLE = int(Align.AlignLeft | Align.AlignVCenter)
QR_SIDE = 48 * MM


def _when(paper: PlanPaper) -> str:
    return f"{paper.class_name}  ·  {paper.plan_name}  ·  {day_text(paper.lesson_date)}"


def station_card_pages(paper: PlanPaper) -> list[PagePainter]:
    count = len(paper.station_cards)
    return [
        partial(paint_station_card, paper=paper, card=card, number=n, count=count)
        for n, card in enumerate(paper.station_cards)
    ]


def paint_station_card(
    canvas: Canvas, paper: PlanPaper, card: StationCard, number: int, count: int
) -> None:
    width, height = canvas.frame.width, canvas.frame.height
    pad = 6 * MM
    canvas.text(QRectF(0, 0, width * 0.7, 7 * MM), _when(paper), 11, colour=GREY)
    corner = int(Align.AlignRight | Align.AlignTop)
    canvas.text(QRectF(0, 0, width, 7 * MM), card.kind, 11, flags=corner, colour=GREY)

    # The name, as large as fits in two lines, on the station's own tint.
    name_area = QRectF(pad, 8 * MM + pad, width - 2 * pad, 62 * MM)
    size = canvas.fitting(name_area, card.name, 80, 36, bold=True)
    used = canvas.measure(name_area, card.name, size, bold=True, flags=WRAP)
    panel = QRectF(0, 8 * MM, width, used.height() + 2 * pad)
    canvas.box(panel, fill=station_tint(card.position), colour=GREY, radius=3 * MM)
    canvas.text(name_area, card.name, size, bold=True, flags=WRAP)
    y = panel.bottom() + 6 * MM

    # What to do, with the QR code beside it when the station has a link.
    text_width = width - (QR_SIDE + 8 * MM if card.link else 0)
    canvas.text(QRectF(0, y, text_width, 8 * MM), "What to do", 15, bold=True, colour=GREY)
    y += 9 * MM
    block = QRectF(0, y, text_width, 72 * MM)
    words = card.instructions or "Ask your teacher what to do at this table."
    size = canvas.fitting(block, words, 26, 13)
    used = canvas.text(block, words, size, flags=WRAP)
    bottom = used.bottom()
    if card.link:
        code = QRectF(width - QR_SIDE, y - 9 * MM, QR_SIDE, QR_SIDE)
        canvas.qr(card.link, code)
        caption = QRectF(code.left(), code.bottom() + 1 * MM, QR_SIDE, 6 * MM)
        centred = int(Align.AlignHCenter | Align.AlignTop)
        canvas.text(caption, "Scan to open", 12, bold=True, flags=centred)
        link = QRectF(code.left(), caption.bottom(), QR_SIDE, 14 * MM)
        anywhere = centred | int(Qt.TextFlag.TextWrapAnywhere)
        one_line = QRectF(link.x(), link.y(), link.width(), 4 * MM)
        canvas.text(
            link,
            card.link,
            canvas.fitting(one_line, card.link, 9, 6, flags=anywhere),
            flags=anywhere,
        )
        bottom = max(bottom, link.top() + 8 * MM)
    y = max(bottom, y + 30 * MM) + 8 * MM

    # Who comes here, round by round.
    canvas.line(0, y - 3 * MM, width, y - 3 * MM)
    canvas.text(QRectF(0, y, width, 9 * MM), "Who comes here", 17, bold=True)
    y += 11 * MM
    footer = height - 7 * MM
    rows = max(1, len(card.visits))
    row_height = min(30 * MM, (footer - 3 * MM - y) / rows)
    for visit in card.visits:
        _paint_visit(canvas, visit, QRectF(0, y, width, row_height))
        y += row_height
    canvas.text(
        QRectF(0, footer, width, 7 * MM),
        f"Station card {number + 1} of {count}",
        10,
        flags=int(Align.AlignRight | Align.AlignBottom),
        colour=GREY,
    )


def _paint_visit(canvas: Canvas, visit: StationVisit, row: QRectF) -> None:
    label_width = 42 * MM
    times = f"{clock(visit.round.start)}–{clock(visit.round.end)}"
    canvas.text(
        QRectF(row.x(), row.y() + row.height() * 0.12, label_width, row.height() * 0.45),
        f"Round {visit.round.number}",
        20,
        bold=True,
    )
    canvas.text(
        QRectF(row.x(), row.y() + row.height() * 0.55, label_width, row.height() * 0.4),
        times,
        15,
        colour=GREY,
    )
    canvas.line(row.left(), row.bottom(), row.right(), row.bottom())
    area = QRectF(row.x() + label_width, row.y(), row.width() - label_width, row.height())
    if not visit.groups:
        canvas.text(area, "No group this round", 18, flags=LEFT_MIDDLE, colour=GREY)
        return
    share = area.width() / len(visit.groups)
    side = min(row.height() * 0.74, 22 * MM)
    for n, group in enumerate(visit.groups):
        x = area.x() + n * share
        badge = QRectF(x, row.y() + (row.height() - side) / 2, side, side)
        canvas.badge(badge, group.colour, group.symbol)
        name = QRectF(badge.right() + 3 * MM, row.y(), share - side - 5 * MM, row.height())
        text = group.name + ("  (may-do)" if visit.may_do else "")
        size = canvas.fitting(
            name, text, 28, 14, bold=True, flags=LEFT_MIDDLE | int(Qt.TextFlag.TextWordWrap)
        )
        canvas.text(name, text, size, bold=True, flags=LEFT_MIDDLE | int(Qt.TextFlag.TextWordWrap))


def group_card_pages(paper: PlanPaper) -> list[PagePainter]:
    """Two group cards to a page, with a dashed line to cut along."""
    cards = paper.group_cards
    return [
        partial(_paint_group_page, paper=paper, pair=cards[start : start + 2])
        for start in range(0, len(cards), 2)
    ]


def _paint_group_page(canvas: Canvas, paper: PlanPaper, pair: tuple[GroupCard, ...]) -> None:
    half = canvas.frame.height / 2
    for n, card in enumerate(pair):
        top = n * half + (4 * MM if n else 0)
        paint_group_card(canvas, paper, card, QRectF(0, top, canvas.frame.width, half - 8 * MM))
    canvas.line(0, half, canvas.frame.width, half, GREY, 0.3 * MM, dashed=True)
    canvas.text(
        QRectF(0, half - 4.5 * MM, canvas.frame.width, 4 * MM),
        "✂  cut here",
        8,
        flags=int(Align.AlignRight | Align.AlignBottom),
        colour=GREY,
    )


def paint_group_card(canvas: Canvas, paper: PlanPaper, card: GroupCard, area: QRectF) -> None:
    x, y, width = area.x(), area.y(), area.width()
    group = card.group
    side = 34 * MM
    canvas.badge(QRectF(x, y, side, side), group.colour, group.symbol)
    name_area = QRectF(x + side + 6 * MM, y, width - side - 6 * MM, 24 * MM)
    size = canvas.fitting(name_area, group.name, 60, 28, bold=True)
    canvas.text(name_area, group.name, size, bold=True, flags=WRAP)
    canvas.text(
        QRectF(name_area.x(), y + 25 * MM, name_area.width(), 9 * MM),
        f"Our shape: the {group.symbol.name}  ·  {day_text(paper.lesson_date)}",
        14,
        colour=GREY,
    )
    y += side + 6 * MM
    bottom = area.bottom()

    members_width = width * 0.42
    canvas.text(QRectF(x, y, members_width, 8 * MM), "In this group", 15, bold=True, colour=GREY)
    listing = QRectF(x, y + 9 * MM, members_width - 4 * MM, bottom - y - 9 * MM)
    names = "\n".join(card.members) or "(nobody here today)"
    size = canvas.fitting(listing, names, 22, 11)
    canvas.text(listing, names, size, flags=WRAP)

    px = x + members_width
    path_width = width - members_width
    canvas.text(QRectF(px, y, path_width, 8 * MM), "Our path", 15, bold=True, colour=GREY)
    top = y + 9 * MM
    rows = max(1, len(card.path))
    row_height = min(16 * MM, (bottom - top) / rows)
    for stop in card.path:
        row = QRectF(px, top, path_width, row_height)
        tint = FREE_TINT if stop.position is None else station_tint(stop.position)
        canvas.box(row.adjusted(0, 0.6 * MM, 0, -0.6 * MM), fill=tint, colour=GREY, radius=1.5 * MM)
        label = f"{stop.round.number}   {clock(stop.round.start)}"
        canvas.text(row.adjusted(3 * MM, 0, 0, 0), label, 13, flags=LEFT_MIDDLE, colour=GREY)
        station = stop.station + ("  (may-do)" if stop.may_do else "")
        place = row.adjusted(26 * MM, 0, -2 * MM, 0)
        size = canvas.fitting(place, station, 20, 11, bold=True, flags=LEFT_MIDDLE)
        canvas.text(place, station, size, bold=True, flags=LEFT_MIDDLE)
        top += row_height
