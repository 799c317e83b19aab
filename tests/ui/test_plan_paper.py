"""The screens are down: the teacher prints station cards, group cards and a record sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from station_rotation.core.scheduling.symbols import SYMBOLS
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.plans.paper import PlanPaper, plan_paper
from station_rotation.ui.plan.paper_dialog import PaperDialog
from station_rotation.ui.plan.paper_output import PaperJob, render_pages
from station_rotation.ui.plan.paper_paint import Frame
from station_rotation.ui.plan.paper_sheet import rows_per_page
from station_rotation.ui.plan.plan_page import PlanPage
from tests.docs_images import docs_image
from tests.ui.plan_helpers import new_plan, open_page

A4, LETTER = QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter


def _plan_with_an_absent_student(qtbot: QtBot, services: AppServices) -> tuple[PlanPage, str]:
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "Ratios: day 1")
    row = page.absence.model.index(3, 0)
    page.set_absent(str(row.data(Qt.ItemDataRole.UserRole + 1)), True)
    return page, str(row.data())


def _pdf_pages(path: Path, png_stem: Path | None = None) -> list[str]:
    """The text of every page of the PDF, as a reader gets it (and each page as a PNG)."""
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    texts = []
    for number in range(document.pageCount()):
        texts.append(document.getAllText(number).text())
        if png_stem is not None:
            size = document.pagePointSize(number).toSize()
            image = document.render(number, QSize(size.width() * 2, size.height() * 2))
            assert image.save(f"{png_stem}-{number + 1}.png")
            _no_ink_in_the_margins(image)
    document.close()
    return texts


def _no_ink_in_the_margins(image: QImage) -> None:
    """Nothing is drawn in the 10 mm margins (a little less, for antialiasing)."""
    edge = round(image.width() * 8 / 216)  # 8 mm of the narrower (Letter) page

    def blank(x: int, y: int) -> bool:
        colour = image.pixelColor(x, y)
        return colour.alpha() == 0 or colour == QColor("#ffffff")

    for x in list(range(0, edge, 3)) + list(range(image.width() - edge, image.width(), 3)):
        assert all(blank(x, y) for y in range(0, image.height(), 9)), f"ink at x={x}"
    for y in list(range(0, edge, 3)) + list(range(image.height() - edge, image.height(), 3)):
        assert all(blank(x, y) for x in range(0, image.width(), 9)), f"ink at y={y}"


def test_the_three_documents_in_one_pdf_say_what_the_plan_says(
    qtbot: QtBot, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Station cards, group cards, the record sheet: names, instructions, groups, targets."""
    page, absent = _plan_with_an_absent_student(qtbot, services)
    assert page.plan is not None
    paper = plan_paper(services, page.plan.id)
    stations = services.stations.list_for(page.plan.class_id)
    targets = services.targets.list_for(page.plan.class_id)
    roster = [e.student for e in services.roster.roster(page.plan.class_id)]

    for size, name in ((A4, "a4"), (LETTER, "letter")):
        pdf = tmp_path / f"paper-{name}.pdf"
        assert page.paper.save_pdf(pdf) if size == A4 else _save(page, pdf, size)
        pages = _pdf_pages(pdf, artifacts_dir / f"paper-{name}")
        cards, groups = len(paper.station_cards), (len(paper.group_cards) + 1) // 2
        assert len(pages) == cards + groups + 1  # 28 students fit one sheet
        flat = [" ".join(text.split()) for text in pages]  # the PDF's line breaks aside
        for station, text in zip(stations, flat[:cards], strict=True):
            assert station.name in text
            assert " ".join(station.instructions.split()) in text
            assert "Round 1" in text and "Who comes here" in text
            if station.content_url:
                assert "Scan to open" in text
        for card in paper.group_cards:
            group_page = flat[cards + paper.group_cards.index(card) // 2]
            assert card.group.name in group_page
            assert f"the {card.group.symbol.name}" in group_page
            assert all(member in group_page for member in card.members)
            assert all(stop.station in group_page for stop in card.path)
        sheet = flat[-1]
        assert "Class record" in sheet and "Sample: Math 6, period 2" in sheet
        assert all(t.code in sheet and " ".join(t.statement.split()) in sheet for t in targets)
        assert all(s.display_name in sheet for s in roster)  # absent today: still a row
        assert "Beginning" in sheet and "Advanced" in sheet and "Absent" in sheet
    assert page.status.text() == "Saved paper-a4.pdf."

    # Group cards: first names and the family initial, nobody absent, no scores.
    everyone = [m for card in paper.group_cards for m in card.members]
    first, family = absent.split(" ", 1)
    assert f"{first} {family[0]}." not in everyone
    assert all(len(m.split(" ")[-1]) == 2 and m.endswith(".") for m in everyone)
    shapes = [card.group.symbol.name for card in paper.group_cards]
    assert len(set(shapes)) == len(shapes)  # never told apart by colour alone
    assert shapes[0] == SYMBOLS[0].name  # Blue: the circle


def _save(page: PlanPage, path: Path, size: QPageSize.PageSizeId) -> bool:
    from station_rotation.ui.plan.paper_output import save_pdf

    job = page.paper.job()
    return job is not None and save_pdf(job, path, size) is not None


def test_the_pictures_a_teacher_looks_at(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Every page fits A4 and Letter; the docs keep a station card and the record sheet."""
    page, _absent = _plan_with_an_absent_student(qtbot, services)
    job = page.paper.job()
    assert job is not None
    for size, name in ((A4, "a4"), (LETTER, "letter")):
        images, texts = render_pages(job, size)
        assert len(images) == len(texts) == 7
        for number, image in enumerate(images):
            _no_ink_in_the_margins(image)
            image.save(str(artifacts_dir / f"paper-preview-{name}-{number + 1}.png"))
        online = next(n for n, t in enumerate(texts) if "Online practice" in t[:3])
        assert "https://example.org/playlists/ratios" in texts[online]
        if size == LETTER:
            images[online].save(str(docs_image("paper-station-cards.png")))
            images[-1].save(str(docs_image("paper-record-sheet.png")))


def test_large_print_has_bigger_rows_on_more_pages(
    qtbot: QtBot, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Large print: the same students and targets, fewer to a page, every name kept."""
    page, _absent = _plan_with_an_absent_student(qtbot, services)
    frame = Frame.from_mm(190, 277)
    assert rows_per_page(frame, large=True) < rows_per_page(frame, large=False)
    pdf = tmp_path / "large.pdf"
    assert page.paper.save_pdf(
        pdf, station_cards=False, group_cards=False, record_sheet=True, large_print=True
    )
    pages = _pdf_pages(pdf, artifacts_dir / "paper-large")
    assert len(pages) == 2
    assert page.plan is not None
    for entry in services.roster.roster(page.plan.class_id):
        assert sum(entry.student.display_name in text for text in pages) == 1
    assert all("Class record" in text for text in pages)


def test_print_for_paper_offers_the_documents_and_saves_what_is_ticked(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """The button next to Print opens a choice; unticked documents stay out of the PDF."""
    page, _absent = _plan_with_an_absent_student(qtbot, services)
    qtbot.mouseClick(page.paper.button, Qt.MouseButton.LeftButton)
    dialog = page.paper.dialog
    assert isinstance(dialog, PaperDialog) and dialog.isVisible()
    assert dialog.station_cards.isChecked() and dialog.record_sheet.isChecked()
    dialog.station_cards.setChecked(False)
    dialog.large_print.setChecked(True)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    files = page.paper.dialog
    assert isinstance(files, QFileDialog) and files.isVisible()
    assert files.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "for paper.pdf"
    files.selectFile(str(target))
    files.accept()
    pages = _pdf_pages(target)
    assert len(pages) == 2 + 2  # two pages of group cards, the large-print sheet on two
    assert not any("Who comes here" in text for text in pages)
    assert page.status.text() == "Saved for paper.pdf."

    # Nothing ticked: nothing to print, and the buttons say so by being off.
    qtbot.mouseClick(page.paper.button, Qt.MouseButton.LeftButton)
    dialog = page.paper.dialog
    assert isinstance(dialog, PaperDialog)
    for box in (dialog.station_cards, dialog.group_cards, dialog.record_sheet):
        box.setChecked(False)
    assert not dialog.print_button.isEnabled() and not dialog.pdf_button.isEnabled()
    dialog.reject()


def test_an_impossible_plan_has_no_cards_and_says_why(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """With no timetable nothing is written, and the status line says what to do."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.paths.rounds.setValue(2)
    assert page.result_stack.currentIndex() == 1
    assert not page.paper.save_pdf(tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()
    assert "no timetable" in page.status.text()
    qtbot.mouseClick(page.paper.button, Qt.MouseButton.LeftButton)
    assert page.paper.dialog is None


def test_a_long_station_name_shrinks_to_fit_its_card(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """A long name is drawn smaller, whole; the groups of every round are still on the card."""
    section = create_sample_class(services)
    station = services.stations.list_for(section.id)[3]
    services.stations.update(station.id, name="Independent practice with the fraction tiles")
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    assert page.plan is not None
    paper: PlanPaper = plan_paper(services, page.plan.id)
    images, texts = render_pages(PaperJob(paper, group_cards=False, record_sheet=False), A4)
    long = next(n for n, t in enumerate(texts) if t[2].startswith("Independent practice with"))
    images[long].save(str(artifacts_dir / "paper-long-name.png"))
    visits = paper.station_cards[long].visits
    for visit in visits:
        assert all(group.name in texts[long] for group in visit.groups)


def test_the_rotation_page_prints_the_plan_it_runs(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """From the Rotation page too: the cards of the plan picked there."""
    from datetime import date

    from tests.ui.rotation_helpers import open_panel

    section = create_sample_class(services)
    services.plans.create(section.id, "Fractions", date.today())
    page = open_panel(qtbot, services, section.id)
    assert page.plan_picker.currentData()
    pdf = tmp_path / "rotation.pdf"
    assert page.paper.save_pdf(pdf, station_cards=True, group_cards=False, record_sheet=False)
    pages = _pdf_pages(pdf)
    assert len(pages) == 4 and "Fractions" in pages[0]
    assert page.status_label.text() == "Saved rotation.pdf."
