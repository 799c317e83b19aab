"""The printed plan: one landscape page with the timeline, the groups and the notes.

One drawing routine (:func:`paint_sheet`) serves the printer, the PDF file and the PNG
preview, so what the teacher looks at on screen is what comes out of the printer. It
draws in a fixed logical page (:data:`PAGE_WIDTH` wide) scaled to the device, with pixel
font sizes that scale with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from station_rotation.ui.group_badge import paint_symbol
from station_rotation.ui.plan.colours import FREE_TINT, station_tint, text_on
from station_rotation.ui.plan.timeline_data import TimelineData, clock
from station_rotation.ui.print_dialog import ask_and_print

PAGE_WIDTH = 1100.0
LETTER_LANDSCAPE = 11 / 8.5
_GRID_LINE = QColor("#555555")


@dataclass(frozen=True)
class PlanSheet:
    """Everything the printed page says about one lesson's plan."""

    title: str
    subtitle: str
    timeline: TimelineData
    members: tuple[tuple[str, ...], ...] = ()  # per group, in timeline column order
    absent: tuple[str, ...] = ()
    fast_finisher: str = ""


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def paint_sheet(painter: QPainter, target: QRectF, sheet: PlanSheet) -> None:
    """Draw ``sheet`` into ``target`` (device units) of an active painter."""
    scale = target.width() / PAGE_WIDTH
    height = target.height() / scale
    painter.save()
    painter.translate(target.topLeft())
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(QColor("#000000"))
    painter.setFont(_font(26, bold=True))
    painter.drawText(QRectF(0, 0, PAGE_WIDTH, 34), Qt.AlignmentFlag.AlignLeft, sheet.title)
    painter.setFont(_font(15))
    painter.drawText(QRectF(0, 36, PAGE_WIDTH, 22), Qt.AlignmentFlag.AlignLeft, sheet.subtitle)
    notes_height = _notes_height(sheet)
    grid = QRectF(0, 70, PAGE_WIDTH, max(120.0, height - 70 - notes_height - 16))
    bottom = _paint_grid(painter, grid, sheet.timeline)
    _paint_notes(painter, QRectF(0, bottom + 16, PAGE_WIDTH, notes_height), sheet)
    painter.restore()


def _paint_grid(painter: QPainter, area: QRectF, data: TimelineData) -> float:
    """Draw the rounds × groups table in ``area``; return where it ends."""
    columns = max(1, data.group_count)
    round_width = 130.0
    header = 40.0
    row_height = min(70.0, (area.height() - header) / max(1, data.round_count))
    cell_width = (area.width() - round_width) / columns
    pen = QPen(_GRID_LINE)
    pen.setWidthF(1.0)
    top = area.top()
    shapes = data.symbols()
    for column in range(data.group_count):
        group = data.group(column)
        x = area.left() + round_width + column * cell_width
        rect = QRectF(x, top, cell_width, header)
        colour = QColor(group.colour)
        painter.fillRect(rect, colour)
        # The group's shape before its name, in the name's ink: it reads in black and white.
        side = header * 0.6
        painter.setFont(_font(17, bold=True))
        width = painter.fontMetrics().horizontalAdvance(group.name)
        gap = side * 0.3
        left = max(rect.left() + 4, rect.center().x() - (side + gap + width) / 2)
        spot = QRectF(left, rect.top() + (header - side) / 2, side, side)
        paint_symbol(painter, shapes[column], spot, text_on(colour))
        painter.setPen(text_on(colour))
        text = QRectF(spot.right() + gap, rect.top(), rect.right() - spot.right() - gap, header)
        painter.drawText(
            text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, group.name
        )
        painter.setPen(pen)
        painter.drawRect(rect)
    for row in range(data.round_count):
        y = top + header + row * row_height
        times = data.timetable.rounds[row]
        label = QRectF(area.left(), y, round_width, row_height)
        painter.fillRect(label, QColor("#f4f4f4"))
        painter.setPen(QColor("#000000"))
        painter.setFont(_font(15, bold=True))
        painter.drawText(
            label.adjusted(0, 4, 0, -row_height / 2),
            Qt.AlignmentFlag.AlignCenter,
            f"Round {times.number}",
        )
        painter.setFont(_font(14))
        painter.drawText(
            label.adjusted(0, row_height / 2 - 4, 0, -4),
            Qt.AlignmentFlag.AlignCenter,
            f"{clock(times.start)}–{clock(times.end)}",
        )
        painter.setPen(pen)
        painter.drawRect(label)
        for column in range(data.group_count):
            rect = QRectF(
                area.left() + round_width + column * cell_width, y, cell_width, row_height
            )
            index = data.station_index(row, column)
            colour = FREE_TINT if index is None else station_tint(index)
            painter.fillRect(rect, colour)
            station = data.station(row, column)
            painter.setPen(text_on(colour))
            painter.setFont(_font(16, bold=station is not None and station.teacher_led))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(rect.adjusted(4, 2, -4, -2), int(flags), data.cell_text(row, column))
            painter.setPen(pen)
            painter.drawRect(rect)
    return top + header + data.round_count * row_height


def _note_lines(sheet: PlanSheet) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for column, names in enumerate(sheet.members):
        if column < sheet.timeline.group_count:
            group = sheet.timeline.group(column)
            lines.append((f"{group.name}:", ", ".join(names) or "—"))
    if sheet.fast_finisher.strip():
        lines.append(("Finished early?", sheet.fast_finisher.strip()))
    if sheet.absent:
        lines.append(("Absent today:", ", ".join(sheet.absent)))
    return lines


def _notes_height(sheet: PlanSheet) -> float:
    return 22.0 * len(_note_lines(sheet))


def _paint_notes(painter: QPainter, area: QRectF, sheet: PlanSheet) -> None:
    painter.setPen(QColor("#000000"))
    for number, (label, text) in enumerate(_note_lines(sheet)):
        y = area.top() + number * 22
        painter.setFont(_font(14, bold=True))
        painter.drawText(QRectF(0, y, 150, 22), Qt.AlignmentFlag.AlignLeft, label)
        painter.setFont(_font(14))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextSingleLine
        painter.drawText(QRectF(150, y, area.width() - 150, 22), int(flags), text)


def _landscape(printer: QPrinter) -> None:
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.Letter),
        QPageLayout.Orientation.Landscape,
        QMarginsF(12, 12, 12, 12),
        QPageLayout.Unit.Millimeter,
    )
    printer.setPageLayout(layout)


def print_to(printer: QPrinter, sheet: PlanSheet) -> bool:
    """Draw ``sheet`` on one page of ``printer``; False if the printer would not start."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        # The painter's origin is already the printable area's corner (the margins are
        # outside it), so draw from (0, 0), not from where the area sits on the paper.
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        paint_sheet(painter, QRectF(0, 0, area.width(), area.height()), sheet)
    finally:
        painter.end()
    return True


def save_pdf(sheet: PlanSheet, path: Path) -> bool:
    """Write the sheet to a PDF file at ``path`` without asking anything."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(sheet.title)
    _landscape(printer)
    return print_to(printer, sheet)


def render_image(sheet: PlanSheet, width: int = 1400) -> QImage:
    """The sheet as a picture the size of a landscape Letter page (with a white margin)."""
    height = round(width / LETTER_LANDSCAPE)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    margin = width * 0.03
    paint_sheet(painter, QRectF(margin, margin, width - 2 * margin, height - 2 * margin), sheet)
    painter.end()
    return image


def open_print_dialog(
    parent: QWidget, sheet: PlanSheet, on_printed: Callable[[bool], None]
) -> QPrintDialog:
    """Ask which printer (non-blocking ``open()``); print when the teacher accepts.

    ``on_printed(ok)`` says whether the printer took the page.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _landscape(printer)
    return ask_and_print(parent, printer, lambda chosen: print_to(chosen, sheet), on_printed)
