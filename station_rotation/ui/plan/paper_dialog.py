"""“Print for paper…”: the cards and the record sheet, for when the screens fail.

A button opens a small window (non-blocking) with the three documents to tick and the
large-print option; “Print…” asks which printer, “Save as PDF…” where. The plan comes
from a callable, so the Plan page gives the open plan and the Rotation page the one it
runs. Writing a PDF takes a path (:meth:`PaperButton.save_pdf`), so tests need no dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.services.app import AppServices
from station_rotation.services.plans.paper import plan_paper
from station_rotation.ui.plan.paper_output import PaperJob, open_print_dialog, save_pdf
from station_rotation.ui.plan.plan_files import default_name
from station_rotation.ui.widgets import named


class PaperDialog(QDialog):
    """Which documents to print; the caller acts on :attr:`print_chosen` / :attr:`pdf_chosen`."""

    print_chosen = Signal()
    pdf_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperDialog")
        self.setWindowTitle("Print for paper")
        intro = QLabel(
            "For when the screens fail: cards for the tables and the groups, and a blank "
            "sheet to tick quick checks on (type it back later on Quick checks → From paper)."
        )
        intro.setWordWrap(True)
        self.station_cards = named(QCheckBox("&Station cards: one page per table"), "paperStations")
        self.group_cards = named(
            QCheckBox("&Group cards: members and path, two to a page"), "paperGroups"
        )
        self.record_sheet = named(
            QCheckBox("Class &record sheet: one row per student"), "paperSheet"
        )
        self.large_print = named(QCheckBox("&Large print (record sheet)"), "paperLarge")
        for box in (self.station_cards, self.group_cards, self.record_sheet):
            box.setChecked(True)
            box.toggled.connect(self._update)
        self.record_sheet.toggled.connect(self.large_print.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_button = named(QPushButton("&Print…"), "paperPrint")
        self.pdf_button = named(QPushButton("Save as P&DF…"), "paperPdf")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._chose(self.print_chosen.emit))
        self.pdf_button.clicked.connect(self._chose(self.pdf_chosen.emit))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for box in (self.station_cards, self.group_cards, self.record_sheet):
            layout.addWidget(box)
        indented = QHBoxLayout()
        indented.addSpacing(24)
        indented.addWidget(self.large_print)
        layout.addLayout(indented)
        layout.addWidget(buttons)

    def _chose(self, emit: Callable[[], None]) -> Callable[[], None]:
        def chosen() -> None:
            self.accept()
            emit()

        return chosen

    def _update(self) -> None:
        some = any(b.isChecked() for b in (self.station_cards, self.group_cards, self.record_sheet))
        self.print_button.setEnabled(some)
        self.pdf_button.setEnabled(some)

    def choices(self) -> dict[str, bool]:
        return {
            "station_cards": self.station_cards.isChecked(),
            "group_cards": self.group_cards.isChecked(),
            "record_sheet": self.record_sheet.isChecked(),
            "large_print": self.large_print.isChecked(),
        }


class PaperButton(QWidget):
    """“Print for paper…” and what follows it; :attr:`said` carries a status (False: failed)."""

    said = Signal(str, bool)

    def __init__(
        self,
        services: AppServices,
        plan_id: Callable[[], str | None],
        before: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self._plan_id = plan_id
        self._before = before  # e.g. save typed text first: the cards show the saved plan
        self.dialog: QDialog | None = None  # the last window opened (for tests)
        self.button = named(QPushButton("Print for pap&er…"), "paperButton")
        self.button.setToolTip(
            "Station cards, group cards and a blank record sheet, for when the screens fail"
        )
        self.button.clicked.connect(self.ask)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)

    def job(self, **choices: bool) -> PaperJob | None:
        """The documents of the plan (None, with the reason said, when there are none)."""
        self._before()
        plan_id = self._plan_id()
        if plan_id is None:
            self.said.emit("Choose a plan first: the cards are made from it.", False)
            return None
        try:
            paper = plan_paper(self.services, plan_id)
        except StationRotationError as exc:
            self.said.emit(str(exc), False)
            return None
        return PaperJob(paper, **choices)

    def ask(self) -> None:
        if self.job() is None:  # say now why there is nothing to print
            return
        dialog = PaperDialog(self)
        dialog.print_chosen.connect(lambda: self._print(dialog.choices()))
        dialog.pdf_chosen.connect(lambda: self._ask_pdf(dialog.choices()))
        self.dialog = dialog
        dialog.open()

    def _print(self, choices: dict[str, bool]) -> None:
        job = self.job(**choices)
        if job is not None:
            self.dialog = open_print_dialog(self, job, self._printed)

    def _printed(self, ok: bool) -> None:
        if ok:
            self.said.emit("Sent the paper copies to the printer.", True)
        else:
            self.said.emit("The printer could not start: check it is on, or Save as PDF.", False)

    def _ask_pdf(self, choices: dict[str, bool]) -> None:
        plan_id = self._plan_id()
        if plan_id is None:
            return
        plan = self.services.plans.get(plan_id)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = default_name(plan, "pdf").removesuffix(".pdf") + " paper.pdf"
        dialog = QFileDialog(self, "Save as PDF", str(Path(folder) / name), "PDF document (*.pdf)")
        dialog.setObjectName("savePaperDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_pdf(Path(path), **choices))
        self.dialog = dialog
        QDialog.open(dialog)

    def save_pdf(self, path: Path, **choices: bool) -> bool:
        """Write the chosen documents to ``path`` as one PDF (no dialog)."""
        job = self.job(**choices)
        if job is None:
            return False
        if job.empty:
            self.said.emit("Tick at least one document to print.", False)
            return False
        ok = save_pdf(job, path) is not None and path.exists() and path.stat().st_size > 0
        self.said.emit(f"Saved {path.name}." if ok else f"Could not write {path}.", ok)
        return ok
