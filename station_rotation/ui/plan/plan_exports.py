"""Print, Save as PDF… and Save as CSV… for the plan the page shows.

The buttons work only when the plan has a timetable; otherwise they say so. Writing
takes a path (:meth:`ExportButtons.save_pdf`, :meth:`ExportButtons.save_csv`), so the
file dialogs only choose where.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from station_rotation.core.errors import StationRotationError
from station_rotation.core.scheduling.model import ScheduleResult, Timetable
from station_rotation.services.app import AppServices
from station_rotation.ui.plan import plan_files
from station_rotation.ui.plan.plan_print import PlanSheet
from station_rotation.ui.plan.plan_view import PlanView
from station_rotation.ui.widgets import named

Source = Callable[[], tuple[PlanView | None, ScheduleResult | None]]


class ExportButtons(QWidget):
    """The three buttons; :attr:`said` carries a status message (False: a failure)."""

    said = Signal(str, bool)

    def __init__(
        self,
        services: AppServices,
        source: Source,
        before: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self._source = source
        self._before = before  # e.g. save typed text first: the sheet shows the saved plan
        self.dialog: QDialog | None = None
        self.print_button = named(QPushButton("Print…"), "printPlan")
        self.print_button.clicked.connect(self.ask_print)
        self.pdf_button = named(QPushButton("Save as PDF…"), "pdfPlan")
        self.pdf_button.clicked.connect(self.ask_pdf)
        self.csv_button = named(QPushButton("Save as CSV…"), "csvPlan")
        self.csv_button.clicked.connect(self.ask_csv)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.print_button, self.pdf_button, self.csv_button):
            layout.addWidget(button)

    def sheet(self) -> PlanSheet | None:
        """The printable sheet of the plan, or None (with a reason said) when there is none."""
        self._before()
        view, result = self._source()
        if view is None or not isinstance(result, Timetable):
            self.said.emit("Make the plan work first: there is no timetable to print.", False)
            return None
        class_name = self.services.classes.get_class(view.plan.class_id).name
        return view.sheet(result, class_name)

    def ask_print(self) -> None:
        sheet = self.sheet()
        if sheet is not None:
            self.dialog = plan_files.print_dialog(self, sheet, self._printed)

    def _printed(self, ok: bool) -> None:
        if ok:
            self.said.emit("Sent the plan to the printer.", True)
        else:
            self.said.emit("The printer could not start: check it is on, or Save as PDF.", False)

    def ask_pdf(self) -> None:
        view, _result = self._source()
        if self.sheet() is not None and view is not None:
            self.dialog = plan_files.ask_path(self, view.plan, "pdf", self.save_pdf)

    def ask_csv(self) -> None:
        view, result = self._source()
        if view is not None and isinstance(result, Timetable):
            self.dialog = plan_files.ask_path(self, view.plan, "csv", self.save_csv)
        else:
            self.said.emit("Make the plan work first: there is no timetable to save.", False)

    def save_pdf(self, path: Path) -> bool:
        """Write the printed sheet to ``path`` as PDF (no dialog)."""
        sheet = self.sheet()
        if sheet is None:
            return False
        ok = plan_files.write_pdf(sheet, path)
        self.said.emit(f"Saved {path.name}." if ok else f"Could not write {path}.", ok)
        return ok

    def save_csv(self, path: Path) -> bool:
        """Write the timetable to ``path`` as CSV (no dialog)."""
        view, _result = self._source()
        if view is None:
            return False
        try:
            plan_files.write_csv(self.services.plans.timetable_csv(view.plan.id), path)
        except (StationRotationError, OSError) as exc:
            self.said.emit(f"Not saved. {exc}", False)
            return False
        self.said.emit(f"Saved {path.name}.", True)
        return True
