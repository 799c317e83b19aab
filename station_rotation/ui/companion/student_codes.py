"""The students' personal codes: a list the teacher can print and cut into slips.

A personal code lets a student join as herself without picking her name from her
group's list (the same code every day: it is made from the data folder's key). The
sheet is drawn by one routine for the printer and the preview, as the plan's is
(``ui/plan/plan_print.py``), and printing opens the same non-blocking print dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.models.base import AnyIndex, RowTableModel
from station_rotation.ui.print_dialog import ask_and_print
from station_rotation.ui.widgets import named

PAGE_WIDTH = 800.0
LETTER_PORTRAIT = 8.5 / 11
COLUMNS = 3
SLIP_HEIGHT = 74.0


@dataclass(frozen=True)
class StudentCode:
    name: str
    code: str


@dataclass(frozen=True)
class CodesSheet:
    title: str  # "Personal codes: Math 6B"
    how: str  # "Go to http://192.168.1.23:8765 and choose 'I have a personal code'."
    codes: tuple[StudentCode, ...]


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def pages(sheet: CodesSheet, page_height: float) -> list[tuple[StudentCode, ...]]:
    """The slips split into pages of whole rows."""
    rows_per_page = max(1, int((page_height - 90) // SLIP_HEIGHT))
    per_page = rows_per_page * COLUMNS
    codes = sheet.codes
    return [codes[i : i + per_page] for i in range(0, len(codes), per_page)] or [()]


def paint_page(
    painter: QPainter, target: QRectF, sheet: CodesSheet, codes: Sequence[StudentCode]
) -> None:
    """One page: the title, how to use a code, and a slip per student to cut out."""
    scale = target.width() / PAGE_WIDTH
    painter.save()
    painter.translate(target.topLeft())
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#000000"))
    painter.setFont(_font(24, bold=True))
    painter.drawText(QRectF(0, 0, PAGE_WIDTH, 32), Qt.AlignmentFlag.AlignLeft, sheet.title)
    painter.setFont(_font(14))
    flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
    painter.drawText(QRectF(0, 36, PAGE_WIDTH, 44), flags, sheet.how)
    width = PAGE_WIDTH / COLUMNS
    dashed = QPen(QColor("#888888"))
    dashed.setStyle(Qt.PenStyle.DashLine)
    for index, entry in enumerate(codes):
        row, column = divmod(index, COLUMNS)
        slip = QRectF(column * width, 90 + row * SLIP_HEIGHT, width, SLIP_HEIGHT)
        painter.setPen(dashed)
        painter.drawRect(slip)
        painter.setPen(QColor("#000000"))
        painter.setFont(_font(15))
        painter.drawText(
            slip.adjusted(10, 6, -10, -SLIP_HEIGHT / 2), Qt.AlignmentFlag.AlignLeft, entry.name
        )
        painter.setFont(_font(26, bold=True))
        painter.drawText(
            slip.adjusted(10, SLIP_HEIGHT / 2 - 8, -10, -4), Qt.AlignmentFlag.AlignLeft, entry.code
        )
    painter.restore()


def print_to(printer: QPrinter, sheet: CodesSheet) -> bool:
    """Every page of ``sheet`` on ``printer``; False if the printer would not start."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        target = QRectF(0, 0, area.width(), area.height())
        for number, codes in enumerate(pages(sheet, target.height() * PAGE_WIDTH / target.width())):
            if number:
                printer.newPage()
            paint_page(painter, target, sheet, codes)
    finally:
        painter.end()
    return True


def render_image(sheet: CodesSheet, width: int = 850) -> QImage:
    """The first page as a picture (a preview, and what the tests look at)."""
    height = round(width / LETTER_PORTRAIT)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    margin = width * 0.05
    target = QRectF(margin, margin, width - 2 * margin, height - 2 * margin)
    paint_page(
        painter, target, sheet, pages(sheet, target.height() * PAGE_WIDTH / target.width())[0]
    )
    painter.end()
    return image


def open_print_dialog(
    parent: QWidget, sheet: CodesSheet, on_printed: Callable[[bool], None]
) -> QPrintDialog:
    """Ask which printer (non-blocking ``open()``), as the plan's print does."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName(sheet.title)
    return ask_and_print(parent, printer, lambda chosen: print_to(chosen, sheet), on_printed)


class CodesModel(RowTableModel[StudentCode]):
    headers = ("Student", "Personal code")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.valid_row(index)
        if entry is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return entry.name if index.column() == 0 else entry.code


class StudentCodesDialog(QDialog):
    """The class's students and their personal codes, with Print."""

    def __init__(self, sheet: CodesSheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studentCodesDialog")
        self.setWindowTitle("Student codes")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sheet = sheet
        self.print_dialog: QPrintDialog | None = None
        self.model = CodesModel(self)
        self.model.set_rows(sheet.codes)
        self.table = named(QTableView(), "studentCodesTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        how = QLabel(sheet.how)
        how.setWordWrap(True)
        self.status = named(QLabel(""), "studentCodesStatus")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = named(QPushButton("Print…"), "printCodesButton")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_codes)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(how)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(460, 560)

    def print_codes(self) -> None:
        self.print_dialog = open_print_dialog(self, self.sheet, self._printed)

    def _printed(self, ok: bool) -> None:
        self.status.setText("Sent to the printer." if ok else "The printer did not start.")
