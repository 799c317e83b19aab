"""The paper fallback's documents on a printer, in a PDF, or as preview images.

A :class:`PaperJob` says which documents to print (station cards, group cards, the
record sheet, large print or not). Its pages are laid out for the printable area the
device reports (A4 or Letter, portrait, 10 mm margins), and the same page painters draw
the printer's pages, the PDF's and the pictures, so what a test looks at is what the
printer gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from station_rotation.services.plans.paper import PlanPaper
from station_rotation.ui.plan.paper_cards import PagePainter, group_card_pages, station_card_pages
from station_rotation.ui.plan.paper_paint import MM, Canvas, Frame
from station_rotation.ui.plan.paper_sheet import record_sheet_pages
from station_rotation.ui.print_dialog import ask_and_print

MARGIN_MM = 10.0
LETTER_TERRITORIES = {
    QLocale.Country.UnitedStates,
    QLocale.Country.Canada,
    QLocale.Country.Mexico,
    QLocale.Country.Philippines,
    QLocale.Country.Chile,
    QLocale.Country.Colombia,
}


def default_page_size() -> QPageSize.PageSizeId:
    """Letter where Letter is the paper in the shops, A4 elsewhere."""
    if QLocale().territory() in LETTER_TERRITORIES:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def page_layout(size: QPageSize.PageSizeId) -> QPageLayout:
    return QPageLayout(
        QPageSize(size),
        QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


@dataclass(frozen=True)
class PaperJob:
    """What to print: any of the three documents, and the sheet in large print or not."""

    paper: PlanPaper
    station_cards: bool = True
    group_cards: bool = True
    record_sheet: bool = True
    large_print: bool = False

    @property
    def empty(self) -> bool:
        return not (self.station_cards or self.group_cards or self.record_sheet)

    def pages(self, frame: Frame) -> list[PagePainter]:
        out: list[PagePainter] = []
        if self.station_cards:
            out += station_card_pages(self.paper)
        if self.group_cards:
            out += group_card_pages(self.paper)
        if self.record_sheet:
            out += record_sheet_pages(self.paper.sheet, frame, large=self.large_print)
        return out

    def title(self) -> str:
        return f"{self.paper.plan_name}: for paper"


def _frame(layout: QPageLayout) -> Frame:
    area = layout.paintRect(QPageLayout.Unit.Millimeter)
    return Frame.from_mm(area.width(), area.height())


def _paint_all(
    painter: QPainter,
    device_width: float,
    frame: Frame,
    pages: list[PagePainter],
    new_page: Callable[[], bool] | None,
) -> list[list[str]]:
    """Draw every page; the texts of each page, in drawing order."""
    texts = []
    scale = device_width / frame.width
    for number, paint in enumerate(pages):
        if number and new_page is not None and not new_page():
            break
        painter.save()
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        canvas = Canvas(painter, frame)
        paint(canvas)
        painter.restore()
        texts.append(canvas.texts)
    return texts


def print_job(printer: QPrinter, job: PaperJob) -> list[list[str]] | None:
    """Print every page of ``job``; the pages' texts, or None if the printer would not start."""
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName(job.title())
    painter = QPainter()
    if not painter.begin(printer):
        return None
    try:
        # The painter's origin is the printable area's corner: draw from (0, 0).
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        frame = _frame(printer.pageLayout())
        return _paint_all(painter, area.width(), frame, job.pages(frame), printer.newPage)
    finally:
        painter.end()


def save_pdf(
    job: PaperJob, path: Path, size: QPageSize.PageSizeId | None = None
) -> list[list[str]] | None:
    """Write ``job`` to a PDF at ``path`` (A4 or Letter as ``size`` or the locale says)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(page_layout(size or default_page_size()))
    return print_job(printer, job)


def render_pages(
    job: PaperJob, size: QPageSize.PageSizeId, width: int = 1240
) -> tuple[list[QImage], list[list[str]]]:
    """Every page as a picture of the whole sheet of paper (white margins included)."""
    layout = page_layout(size)
    paper = layout.fullRect(QPageLayout.Unit.Millimeter)
    frame = _frame(layout)
    per_mm = width / paper.width()
    height = round(paper.height() * per_mm)
    images, texts = [], []
    for paint in job.pages(frame):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.translate(MARGIN_MM * per_mm, MARGIN_MM * per_mm)
        texts += _paint_all(painter, frame.width / MM * per_mm, frame, [paint], None)
        painter.end()
        images.append(image)
    return images, texts


def open_print_dialog(
    parent: QWidget, job: PaperJob, on_printed: Callable[[bool], None]
) -> QPrintDialog:
    """Ask which printer (non-blocking); print when the teacher accepts."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(default_page_size()))
    return ask_and_print(
        parent,
        printer,
        lambda chosen: print_job(chosen, job) is not None,
        on_printed,
        name="paperPrintDialog",
    )
