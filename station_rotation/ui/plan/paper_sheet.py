"""The blank class record sheet: a clipboard page to tick quick checks on when screens fail.

One row per student in the grid's order, one column per learning target with a small
box per level of the target's scale (its digit inside, its label above) and an "A" box
for absent. Targets beyond :data:`~station_rotation.core.record_sheet.TARGETS_PER_PAGE`
go on further pages, band by band, in the order the grid's "From paper" entry walks.
Large print: bigger names, boxes and digits, fewer rows to a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor

from station_rotation.core.record_sheet import TARGETS_PER_PAGE, target_bands
from station_rotation.core.scales import Scale
from station_rotation.services.plans.paper import RecordSheet, SheetTarget
from station_rotation.ui.plan.paper_cards import PagePainter
from station_rotation.ui.plan.paper_paint import GREY, MM, Align, Canvas, Frame
from station_rotation.ui.plan.plan_list import day_text

MAX_BOXES = 6  # a scale with more levels (points 0-10) gets one box to write the number in
SHADE = QColor("#efefef")
BOX_DIGIT = QColor("#8c8c8c")
CENTRE = int(Align.AlignCenter)
LEFT_MIDDLE = int(Align.AlignLeft | Align.AlignVCenter)
WRAP = int(Align.AlignLeft | Align.AlignTop | Qt.TextFlag.TextWordWrap)


@dataclass(frozen=True)
class Print:
    """Sizes of one print (normal or large)."""

    row: float
    name_width: float
    name_points: float
    digit_points: float
    label_points: float
    statement_points: float

    @classmethod
    def of(cls, large: bool) -> Print:
        if large:
            return cls(11 * MM, 62 * MM, 17, 12, 8.5, 10.5)
        return cls(7 * MM, 46 * MM, 11.5, 8, 6.5, 8)


HEADER = 30 * MM  # title, the blanks to fill in, the key
COLUMN_HEAD = 24 * MM  # a target's code and statement, then its boxes' labels
FOOTER = 6 * MM


def boxes(scale: Scale) -> list[tuple[str, str]]:
    """(what is printed in the box, its label above) for each box of a target."""
    if len(scale.levels) > MAX_BOXES:
        top = scale.values[-1]
        return [(f"/{top}", f"write {scale.values[0]}-{top}"), ("A", "Absent")]
    out = []
    for value, label in zip(scale.values, scale.levels, strict=True):
        words = label.split(" ", 1)
        plain = words[1] if words[0] == str(value) and len(words) > 1 else label
        out.append((str(value), plain))
    return [*out, ("A", "Absent")]


def rows_per_page(frame: Frame, large: bool) -> int:
    size = Print.of(large)
    return max(1, int((frame.height - HEADER - COLUMN_HEAD - FOOTER) // size.row))


def record_sheet_pages(sheet: RecordSheet, frame: Frame, *, large: bool) -> list[PagePainter]:
    per_page = rows_per_page(frame, large)
    bands = target_bands(len(sheet.targets), TARGETS_PER_PAGE) or [range(0)]
    chunks = [
        range(s, min(s + per_page, len(sheet.students)))
        for s in range(0, len(sheet.students), per_page)
    ] or [range(0)]
    jobs = [(band, chunk) for band in bands for chunk in chunks]
    count = len(jobs)
    return [
        partial(
            _paint_page, sheet=sheet, band=band, chunk=chunk, large=large, number=n, count=count
        )
        for n, (band, chunk) in enumerate(jobs)
    ]


def _paint_page(
    canvas: Canvas,
    sheet: RecordSheet,
    band: range,
    chunk: range,
    large: bool,
    number: int,
    count: int,
) -> None:
    size = Print.of(large)
    width = canvas.frame.width
    title = f"Class record  ·  {sheet.class_name}"
    title_area = QRectF(0, 0, width, 9 * MM)
    points = canvas.fitting(title_area, title, 17, 11, bold=True, flags=LEFT_MIDDLE)
    canvas.text(title_area, title, points, bold=True, flags=LEFT_MIDDLE)
    day = day_text(sheet.lesson_date) if sheet.lesson_date else "____________"
    blanks = f"Date: {day}       Station / group: ____________________"
    if sheet.plan_name:
        blanks += f"       Plan: {sheet.plan_name}"
    canvas.text(QRectF(0, 10.5 * MM, width, 7 * MM), blanks, 11)
    key = (
        "Tick one box per target (A: absent); leave it empty if not checked. "
        "Type it back on Quick checks → From paper: one key per target, in this order."
    )
    canvas.text(QRectF(0, 18.5 * MM, width, 10 * MM), key, 8.5, flags=WRAP, colour=GREY)

    targets = [sheet.targets[i] for i in band]
    top = HEADER
    columns = max(1, len(targets))
    column_width = (width - size.name_width) / columns
    canvas.text(
        QRectF(0, top, size.name_width, COLUMN_HEAD - 1 * MM),
        "Student",
        11,
        bold=True,
        flags=int(Align.AlignLeft | Align.AlignBottom),
    )
    for n, target in enumerate(targets):
        x = size.name_width + n * column_width
        _paint_target_head(canvas, target, QRectF(x, top, column_width, COLUMN_HEAD), size)

    y = top + COLUMN_HEAD
    for shade, index in enumerate(chunk):
        row = QRectF(0, y, width, size.row)
        if shade % 2:
            canvas.painter.fillRect(row, SHADE)
        canvas.text(
            row.adjusted(1.5 * MM, 0, -(width - size.name_width) - 1 * MM, 0),
            sheet.students[index],
            size.name_points,
            flags=LEFT_MIDDLE,
        )
        for n, target in enumerate(targets):
            x = size.name_width + n * column_width
            _paint_boxes(canvas, target.scale, QRectF(x, y, column_width, size.row), size)
        y += size.row
    canvas.line(0, y, width, y)
    for n in range(columns + 1):
        x = size.name_width + n * column_width
        canvas.line(x, top, x, y, GREY, 0.35 * MM)
    footer = QRectF(0, canvas.frame.height - FOOTER, width, FOOTER)
    flags = int(Align.AlignRight | Align.AlignBottom)
    canvas.text(footer, f"Page {number + 1} of {count}", 9, flags=flags, colour=GREY)


def _paint_target_head(canvas: Canvas, target: SheetTarget, area: QRectF, size: Print) -> None:
    inner = area.adjusted(1.5 * MM, 0.5 * MM, -1.5 * MM, 0)
    canvas.text(
        QRectF(inner.x(), inner.y(), inner.width(), 5 * MM),
        target.code or "Target",
        11,
        bold=True,
        flags=int(Align.AlignLeft | Align.AlignTop | Qt.TextFlag.TextSingleLine),
    )
    statement = QRectF(inner.x(), inner.y() + 5 * MM, inner.width(), 10.5 * MM)
    points = canvas.fitting(statement, target.statement, size.statement_points, 5.5)
    canvas.painter.save()
    canvas.painter.setClipRect(statement)
    canvas.text(statement, target.statement, points, flags=WRAP)
    canvas.painter.restore()
    legend = QRectF(inner.x(), area.bottom() - 7.5 * MM, inner.width(), 7.3 * MM)
    words = "   ".join(f"{inside}\u00a0{label}" for inside, label in boxes(target.scale))
    flags = int(Align.AlignLeft | Align.AlignBottom | Qt.TextFlag.TextWordWrap)
    points = canvas.fitting(legend, words, size.label_points, 4.5, flags=flags)
    canvas.text(legend, words, points, flags=flags, colour=GREY)


def _paint_boxes(canvas: Canvas, scale: Scale, area: QRectF, size: Print) -> None:
    labels = boxes(scale)
    share = area.width() / len(labels)
    side = min(area.height() - 1.8 * MM, share - 1.6 * MM)
    for n, (inside, _label) in enumerate(labels):
        wide = inside.startswith("/")
        box_width = share - 1.6 * MM if wide else side
        x = area.x() + n * share + (share - box_width) / 2
        box = QRectF(x, area.y() + (area.height() - side) / 2, box_width, side)
        canvas.box(box, fill=QColor("#ffffff"), colour=QColor("#333333"), width=0.3 * MM)
        flags = int(Align.AlignRight | Align.AlignBottom) if wide else CENTRE
        canvas.text(
            box.adjusted(0.5 * MM, 0, -0.5 * MM, 0),
            inside,
            size.digit_points,
            flags=flags,
            colour=BOX_DIGIT,
        )
