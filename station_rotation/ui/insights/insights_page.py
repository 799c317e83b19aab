"""The Insights page: after class, see who needs what, and let it drive tomorrow's groups.

Teacher-only: nothing here ever goes to the projector. The class heat map (or the
groups of the latest plan) sits on the left; the picked student's timeline and private
notes on the right. Data is read on the background runner (one query per view), so the
page never freezes while a year of checks loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.events import Changes
from station_rotation.services.app import AppServices
from station_rotation.services.checks.export import ExportSummary
from station_rotation.services.checks.groups import plan_groups
from station_rotation.services.checks.insights import (
    GroupSummary,
    Heatmap,
    Timeline,
    group_summaries,
)
from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.errors import show_error
from station_rotation.ui.insights.groups_view import GroupsView
from station_rotation.ui.insights.heatmap import HeatmapView
from station_rotation.ui.insights.notes_panel import NotesPanel
from station_rotation.ui.insights.timeline import TimelineView
from station_rotation.ui.operations import BackgroundRunner
from station_rotation.ui.pages.base import Page
from station_rotation.ui.widgets import named

WATCHED = ("quick_check", "student", "enrollment", "learning_target", "rotation_plan",
           "student_note")  # fmt: skip
STUDENTS, GROUPS = 0, 1


@dataclass(frozen=True)
class InsightData:
    """Everything the left side shows, read in one go on the worker."""

    heatmap: Heatmap
    trends: dict[str, list[float]]
    groups: list[GroupSummary]


def load_insights(services: AppServices, class_id: str) -> InsightData:
    """Read the heat map, the trends and the groups of the latest plan."""
    insights = services.insights
    heatmap = insights.heatmap(class_id)
    trends = insights.sparklines(class_id)
    choices = plan_groups(services, class_id)
    groups = group_summaries(heatmap, [(c.label, c.student_ids) for c in choices])
    if not groups:  # no plan yet: the teacher's own flag is the grouping that exists
        flagged = [s.id for s in heatmap.students if s.needs_support]
        others = [s.id for s in heatmap.students if not s.needs_support]
        pairs = [("Flagged: needs support", flagged), ("Everyone else", others)]
        groups = group_summaries(heatmap, [(n, ids) for n, ids in pairs if ids])
    return InsightData(heatmap, trends, groups)


class InsightsPage(Page):
    """Heat map, groups, a student's timeline and private notes, and the CSV export."""

    title = "Insights"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.runner = BackgroundRunner(self)
        self.data: InsightData | None = None
        self.student_id: str | None = None
        self.loads = 0  # finished loads, so tests can wait for the next one
        self.last_export: ExportSummary | None = None
        self._insights = self.services.insights

        self.show_picker = named(QComboBox(), "showPicker")
        self.show_picker.setMinimumWidth(260)
        self.show_picker.currentIndexChanged.connect(self._apply_filter)
        self.view_picker = named(QComboBox(), "viewPicker")
        self.view_picker.addItems(["Students × targets", "Groups × targets"])
        self.view_picker.currentIndexChanged.connect(self._show_view)
        self.export_button = named(QPushButton("E&xport CSV…"), "exportChecks")
        self.export_button.setToolTip("Save every quick check and reflection as a spreadsheet")
        self.export_button.clicked.connect(self.choose_export_file)
        self.status = named(QLabel(""), "insightsStatus")
        self.status.setStyleSheet("color: #555")
        show_label = QLabel("&Show:")
        show_label.setBuddy(self.show_picker)
        top = QHBoxLayout()
        top.addWidget(show_label)
        top.addWidget(self.show_picker)
        top.addWidget(self.view_picker)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)

        self.heatmap = named(HeatmapView(), "heatmap")
        self.heatmap.student_picked.connect(self.pick_student)
        self.groups = named(GroupsView(), "groupsView")
        self.stack = QStackedWidget()
        self.stack.addWidget(_scrolled(self.heatmap))
        self.stack.addWidget(_scrolled(self.groups))
        self.timeline = named(TimelineView(), "timeline")
        self.notes = named(NotesPanel(self.services), "notesPanel")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_scrolled(self.timeline))
        right.addWidget(self.notes)
        right.setSizes([520, 300])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.stack)
        body.addWidget(right)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)

    # --- loading --------------------------------------------------------------------

    def reload(self) -> None:
        class_id = self.class_id
        if class_id is None:
            self.data = None
            self.heatmap.set_data(Heatmap([], [], {}), {})
            self.groups.set_data([], [])
            self.pick_student(None)
            return
        self.status.setText("Loading…")
        self.runner.run(
            lambda: load_insights(self.services, class_id),
            lambda data: self._loaded(class_id, data),
            self._failed("Insights not loaded"),
        )

    def on_changes(self, changes: Changes) -> None:
        if any(changes.touches(table) for table in WATCHED):
            self.reload()

    def _loaded(self, class_id: str, data: InsightData) -> None:
        if class_id != self.class_id:
            return
        self.data = data
        self._fill_show_picker(data)
        self._apply_filter()
        self.groups.set_data(data.groups, data.heatmap.targets)
        checked = len(data.heatmap.cells)
        total = len(data.heatmap.students) * len(data.heatmap.targets)
        self.status.setText(f"{checked} of {total} student-target pairs checked")
        ids = {s.id for s in data.heatmap.students}
        self.pick_student(self.student_id if self.student_id in ids else None)
        self.loads += 1

    def _fill_show_picker(self, data: InsightData) -> None:
        current = self.show_picker.currentText()
        self.show_picker.blockSignals(True)
        self.show_picker.clear()
        self.show_picker.addItem("Whole class", None)
        for group in data.groups:
            self.show_picker.addItem(group.name, list(group.student_ids))
        index = self.show_picker.findText(current)
        self.show_picker.setCurrentIndex(max(0, index))
        self.show_picker.blockSignals(False)

    def _apply_filter(self) -> None:
        if self.data is None:
            return
        wanted = self.show_picker.currentData()
        full = self.data.heatmap
        students = full.students if wanted is None else [
            s for s in full.students if s.id in set(wanted)
        ]  # fmt: skip
        self.heatmap.set_data(Heatmap(students, full.targets, full.cells), self.data.trends)
        self.heatmap.select(self.student_id)

    def _show_view(self, index: int) -> None:
        self.stack.setCurrentIndex(index)

    # --- the picked student -----------------------------------------------------------

    def pick_student(self, student_id: str | None) -> None:
        """Show ``student_id``'s timeline and notes (None: nobody picked)."""
        self.student_id = student_id
        self.heatmap.select(student_id)
        name = ""
        if self.data is not None and student_id is not None:
            name = next((s.name for s in self.data.heatmap.students if s.id == student_id), "")
        self.notes.show_student(self.class_id if student_id else None, student_id, name)
        if student_id is None or self.class_id is None:
            self.timeline.set_data("", [])
            return
        class_id = self.class_id
        self.runner.run(
            lambda: self._insights.timelines(class_id, student_id),
            lambda timelines: self._timeline_loaded(student_id, name, timelines),
            self._failed("Timeline not loaded"),
        )

    def _timeline_loaded(self, student_id: str, name: str, timelines: list[Timeline]) -> None:
        if student_id == self.student_id:
            self.timeline.set_data(name, timelines)
            self.timeline.resize(self.timeline.width(), self.timeline.sizeHint().height())

    def _failed(self, title: str) -> Callable[[BaseException], None]:
        def report(error: BaseException) -> None:
            self.status.setText("")
            show_error(self, title, error)

        return report

    # --- export -----------------------------------------------------------------------

    def choose_export_file(self) -> None:
        dialog = QFileDialog(self, "Export quick checks and reflections")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV files (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("quick-checks.csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Write this class's checks and reflections to ``path`` on the worker."""
        class_ids = [self.class_id] if self.class_id else []
        self.status.setText("Exporting…")
        self.runner.run(
            lambda: self._insights.export_checks(path, class_ids=class_ids),
            self._exported,
            self._failed("Export failed"),
        )

    def _exported(self, summary: ExportSummary) -> None:
        self.last_export = summary
        self.status.setText(
            f"Exported {summary.checks} checks and {summary.reflections} reflections "
            f"to {summary.path.name}"
        )


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(isinstance(widget, TimelineView))
    area.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return area
