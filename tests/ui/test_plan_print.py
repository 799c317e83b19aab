"""A teacher prints the plan, saves it as PDF and as CSV (real files, no dialogs)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.plan.plan_files import default_name
from station_rotation.ui.plan.plan_print import render_image
from tests.docs_images import docs_image
from tests.ui.plan_helpers import new_plan, open_page


def test_save_the_plan_as_pdf_and_csv(
    qtbot: QtBot, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """The PDF is a real PDF of the sheet; the CSV opens in a spreadsheet with every round."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "Ratios: day 1")
    page.tabs.setCurrentIndex(3)
    qtbot.keyClicks(page.paths.fast_finisher, "Read your library book")
    page.tabs.setCurrentIndex(0)
    absent = page.absence.model.index(3, 0).data()
    page.set_absent(str(page.absence.model.index(3, 0).data(Qt.ItemDataRole.UserRole + 1)), True)

    pdf = tmp_path / "plan.pdf"
    assert page.exports.save_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    _look_at_the_pdf(pdf, artifacts_dir / "plan-pdf-page1.png")
    assert page.status.text() == "Saved plan.pdf."
    assert page.plan is not None
    # The typed instructions were saved before printing.
    assert services.plans.get(page.plan.id).body.fast_finisher == "Read your library book"

    sheet = page.exports.sheet()
    assert sheet is not None
    assert sheet.fast_finisher == "Read your library book"
    assert sheet.absent == (absent,)
    assert all(absent not in names for names in sheet.members)
    image = render_image(sheet)
    assert image.width() == 1400
    assert image.pixelColor(5, 5) == QColor("#ffffff")
    image.save(str(artifacts_dir / "plan-print.png"))
    image.save(str(docs_image("plan-print.png")))

    out = tmp_path / "plan.csv"
    assert page.exports.save_csv(out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    text = "\n".join(",".join(r) for r in rows)
    assert "Teacher table" in text and "Blue" in text
    assert len(rows) >= 1 + 4
    assert default_name(page.plan, "pdf") == f"Ratios day 1 {page.plan.lesson_date}.pdf"


def test_nothing_to_print_for_an_impossible_plan(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """With no timetable, Save as PDF and CSV say why and write nothing."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.paths.rounds.setValue(2)
    assert page.result_stack.currentIndex() == 1
    assert not page.exports.save_pdf(tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()
    assert "no timetable" in page.status.text()
    page.exports.ask_csv()
    assert "no timetable" in page.status.text()


def test_save_as_pdf_asks_for_a_file_name(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """“Save as PDF…” opens a save dialog named after the plan and writes where it is told."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "Fractions")
    qtbot.mouseClick(page.exports.pdf_button, Qt.MouseButton.LeftButton)
    dialog = page.exports.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "fractions.pdf"
    dialog.selectFile(str(target))
    dialog.accept()
    assert target.read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(page.exports.csv_button, Qt.MouseButton.LeftButton)
    dialog = page.exports.dialog
    assert isinstance(dialog, QFileDialog)
    dialog.selectFile(str(tmp_path / "fractions.csv"))
    dialog.accept()
    assert (tmp_path / "fractions.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.qt_log_ignore("QPainter::begin")  # no printer on a test machine
def test_print_opens_the_print_dialog_and_says_what_happened(
    qtbot: QtBot, services: AppServices
) -> None:
    """“Print…” asks which printer without blocking; after OK the status line says the outcome."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.status.clear()
    qtbot.mouseClick(page.exports.print_button, Qt.MouseButton.LeftButton)
    dialog = page.exports.dialog
    assert isinstance(dialog, QPrintDialog) and dialog.isVisible()
    assert dialog.printer().pageLayout().orientation().name == "Landscape"
    dialog.accept()
    assert page.status.text() in (
        "Sent the plan to the printer.",
        "The printer could not start: check it is on, or Save as PDF.",
    )


def _look_at_the_pdf(pdf: Path, png: Path) -> None:
    """Open the PDF as a reader would (QtPdf), check its words, and keep page 1 as a PNG."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    assert document.pageCount() == 1
    text = document.getAllText(0).text()
    assert "Ratios: day 1" in text and "Teacher table" in text
    assert "Read your library book" in text
    size = document.pagePointSize(0).toSize()
    image = document.render(0, QSize(size.width() * 2, size.height() * 2))
    assert not image.isNull() and image.save(str(png))

    # Nothing is drawn in the page's right and bottom margins (12 mm ≈ 4% of the width).
    def blank(x: int, y: int) -> bool:  # the page is transparent or white where unpainted
        colour = image.pixelColor(x, y)
        return colour.alpha() == 0 or colour == QColor("#ffffff")

    edge = round(image.width() * 0.03)
    for x in range(image.width() - edge, image.width(), 4):
        assert all(blank(x, y) for y in range(0, image.height(), 8)), f"ink at x={x}"
    document.close()
