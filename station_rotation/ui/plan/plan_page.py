"""The Plan page: plan today's rotation in a couple of minutes.

Left: the class's plans (pick, new, copy "same as last Tuesday", rename, keep as a
template, delete) and who is absent today. Right: the timetable the plan makes (or why
it cannot work, with fixes to apply), the groups editor and the paths and pace. Every
edit is saved at once through ``services.plans`` and the timetable is re-planned from
the saved plan, so the screen always shows what is in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.core.scheduling.model import Fix, ScheduleResult, Timetable
from station_rotation.core.stations import StationKind
from station_rotation.core.words import counted
from station_rotation.services.first_screen import FirstScreen
from station_rotation.services.plans.document import Plan, PlanBody
from station_rotation.services.plans.pairs import pair_conflicts
from station_rotation.ui.pages.base import Page
from station_rotation.ui.plan.absence_panel import AbsencePanel
from station_rotation.ui.plan.explanation_panel import ExplanationPanel
from station_rotation.ui.plan.fix_mapping import MappedFix, map_fix
from station_rotation.ui.plan.group_forming import GroupFormingBar
from station_rotation.ui.plan.groups_editor import OWN_COLUMN, GroupsEditor
from station_rotation.ui.plan.members_model import MemberRow
from station_rotation.ui.plan.paper_dialog import PaperButton
from station_rotation.ui.plan.paths_editor import PathsEditor
from station_rotation.ui.plan.plan_exports import ExportButtons
from station_rotation.ui.plan.plan_view import PlanView, Student
from station_rotation.ui.plan.plans_panel import PlansPanel
from station_rotation.ui.plan.timeline_data import StationLabel, TimelineData
from station_rotation.ui.plan.timeline_grid import TimelineView
from station_rotation.ui.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from station_rotation.services.plans.edits import GroupFields, PaceFields

SAVED_STYLE = "color: #1b5e20;"
WARNING_STYLE = "color: #8a4b00;"  # saved, but worth a look: never a refusal
WATCHED = ("rotation_plan", "station", "student", "enrollment", "class_section", "learning_target")


class PlanPage(Page):
    title = "Plan"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.view: PlanView | None = None
        self.result: ScheduleResult | None = None

        self.plans = named(PlansPanel(self.services), "plansPanel")
        self.plans.chosen.connect(self._choose)
        self.plans.said.connect(
            lambda text, ok: self._say(text, SAVED_STYLE if ok else ERROR_STYLE)
        )
        self.absence = named(AbsencePanel(), "absencePanel")
        self.absence.model.absence_toggled.connect(self.set_absent)
        left = QVBoxLayout()
        left.addWidget(self.plans, 2)
        left.addSpacing(8)
        left.addWidget(self.absence, 3)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(250)

        self.heading = named(QLabel(), "planHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.summary = named(QLabel(), "planSummary")
        self.summary.setWordWrap(True)
        self.exports = ExportButtons(
            self.services, lambda: (self.view, self.result), lambda: self.paths.flush_text()
        )
        self.exports.said.connect(
            lambda text, ok: self._say(text, SAVED_STYLE if ok else ERROR_STYLE)
        )
        self.paper = PaperButton(
            self.services,
            lambda: self.plan.id if self.plan else None,
            lambda: self.paths.flush_text(),  # the paths editor is made further down
        )
        self.paper.said.connect(
            lambda text, ok: self._say(text, SAVED_STYLE if ok else ERROR_STYLE)
        )
        exports = QHBoxLayout()
        exports.addWidget(self.summary, 1)
        exports.addWidget(self.exports)
        exports.addWidget(self.paper)
        self.timeline = named(TimelineView(), "timeline")
        self.explanation = ExplanationPanel()  # named "explanationPanel"
        self.explanation.fix_chosen.connect(self.apply_fix)
        self.result_stack = QStackedWidget()  # the grid, or why there is none
        self.result_stack.addWidget(self.timeline)
        explanation_scroll = QScrollArea()
        explanation_scroll.setWidgetResizable(True)
        explanation_scroll.setFrameShape(QFrame.Shape.NoFrame)
        explanation_scroll.setWidget(self.explanation)
        self.result_stack.addWidget(explanation_scroll)
        timetable_tab = QWidget()
        timetable_layout = QVBoxLayout(timetable_tab)
        timetable_layout.addLayout(exports)
        timetable_layout.addWidget(self.result_stack, 1)

        self.forming = named(GroupFormingBar(), "groupForming")
        self.forming.form_requested.connect(self.form_groups)
        self.forming.pair_requested.connect(self.set_pair)
        self.forming.clear_pairs_requested.connect(self.clear_pairs)
        self.pair_warning = named(QLabel(), "pairWarning")
        self.pair_warning.setWordWrap(True)
        self.pair_warning.setStyleSheet(WARNING_STYLE)
        self.pair_warning.hide()
        self.groups = GroupsEditor()
        self.groups.move_requested.connect(self.move_student)
        self.groups.rename_requested.connect(lambda gid, name: self.edit_group(gid, name=name))
        self.groups.recolour_requested.connect(lambda gid, hex_: self.edit_group(gid, colour=hex_))
        groups_hint = QLabel(
            "Drag students between groups, or select one and press Alt+→ / Alt+← "
            "(Ctrl+M: move to a chosen group)."
        )
        groups_hint.setEnabled(False)
        groups_hint.setWordWrap(True)
        groups_tab = QWidget()
        groups_layout = QVBoxLayout(groups_tab)
        groups_layout.addWidget(self.forming)
        groups_layout.addWidget(self.pair_warning)
        groups_layout.addWidget(self.groups, 1)
        groups_layout.addWidget(groups_hint)

        self.paths = named(PathsEditor(self), "pathsEditor")
        self.paths.group_changed.connect(lambda gid, fields: self.edit_group(gid, **fields))
        self.paths.pace_changed.connect(self.edit_pace)

        self.tabs = named(QTabWidget(), "planTabs")
        self.tabs.addTab(timetable_tab, "&Timetable")
        self.tabs.addTab(groups_tab, "&Groups")
        self.tabs.addTab(self._scrolling(self.paths.path_panel), "&Paths")
        self.tabs.addTab(self._scrolling(self.paths.pace_panel), "P&ace")
        self.status = named(QLabel(), "planStatus")
        self.status.setWordWrap(True)
        self.empty = named(QLabel(), "planEmpty")
        self.empty.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.empty)
        right.addWidget(self.tabs, 1)
        right.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)
        self._show_view()

    @staticmethod
    def _scrolling(panel: QWidget) -> QScrollArea:
        """``panel`` in a scroll area: it scrolls rather than widen the window."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        return scroll

    # --- reading ------------------------------------------------------------------

    @property
    def plan(self) -> Plan | None:
        return self.view.plan if self.view else None

    def reload(self) -> None:
        """Re-read the class's plans and the chosen plan (today's or the newest at first)."""
        self._open(self.plans.show_plans(self.class_id, self.plan.id if self.plan else None))

    def _choose(self, plan_id: str | None) -> None:
        self.paths.flush_text()  # typed instructions belong to the plan they were typed in
        self._open(plan_id)

    def _open(self, plan_id: str | None) -> None:
        if plan_id is None or self.class_id is None:
            self.view = None
        else:
            try:
                self.view = self._view_of(self.services.plans.get(plan_id))
            except StationRotationError as exc:
                self.view = None
                self._say(str(exc), ERROR_STYLE)
        self._show_view()
        self.replan()

    def _view_of(self, plan: Plan) -> PlanView:
        assert self.class_id is not None
        students = tuple(
            Student(e.student.id, e.student.display_name, e.student.first_name)
            for e in self.services.roster.roster(self.class_id)
        )
        stations = tuple(
            StationLabel(s.id, s.name, s.kind == StationKind.TEACHER_LED)
            for s in self.services.stations.list_for(self.class_id)
        )
        return PlanView(plan, students, stations)

    def _show_view(self) -> None:
        view = self.view
        has_class = self.class_id is not None
        self.exports.setEnabled(view is not None)
        self.paper.setEnabled(view is not None)
        self.tabs.setEnabled(view is not None)
        if not has_class:
            self.empty.setText("Choose a class to plan its rotation.")
        elif view is None:
            self.empty.setText("This class has no plans yet. Press “New…” to make one.")
        self.empty.setVisible(view is None)
        self.heading.setText(view.heading() if view else "")
        if view is None:
            self.absence.set_rows(())
            self.groups.set_groups(())
            self.pair_warning.hide()
            return
        self.absence.set_rows(view.absence_rows())
        self.groups.set_groups(view.group_views())
        self.paths.show_body(view.plan.body, view.stations, view.own_path_names())
        rows = [MemberRow(s.id, s.name) for s in view.students]
        targets = [
            (t.id, f"{t.code} {t.statement}".strip()[:70])
            for t in self.services.targets.list_for(view.plan.class_id)
        ]
        self.forming.set_choices(rows, targets)
        body = view.plan.body
        self.forming.show_pairs(body.apart_ids(), body.together_ids())
        conflicts = self.pair_conflicts()
        self.pair_warning.setText("\n".join(f"⚠ {text}" for text in conflicts))
        self.pair_warning.setVisible(bool(conflicts))

    def pair_conflicts(self) -> list[str]:
        """The saved plan's broken keep-apart / keep-together wishes, in words."""
        if self.view is None:
            return []
        return pair_conflicts(self.view.plan.body, self.view.name)

    def replan(self, result: ScheduleResult | None = None) -> None:
        """Show the timetable of the saved plan (``result`` if the service just made it)."""
        if self.view is None:
            self.result = None
            self.timeline.set_timeline(None)
            self.result_stack.setCurrentIndex(0)
            self.summary.setText("")
            return
        try:
            self.result = result or self.services.plans.schedule(self.view.plan.id)
        except StationRotationError as exc:
            self.result = None
            self.timeline.set_timeline(None)
            self.result_stack.setCurrentIndex(0)
            self.summary.setText(f"No timetable yet: {exc}")
            self.summary.setStyleSheet(ERROR_STYLE)
            return
        if isinstance(self.result, Timetable):
            data = self.view.timeline(self.result)
            self.timeline.set_timeline(data)
            self.result_stack.setCurrentIndex(0)
            self.summary.setText(_summary(data, has_stations=bool(self.view.stations)))
            self.summary.setStyleSheet(SAVED_STYLE if data.group_count else ERROR_STYLE)
        else:
            self.timeline.set_timeline(None)
            self.explanation.show_result(self.result, self._can_apply)
            self.result_stack.setCurrentIndex(1)
            self.summary.setText("No timetable: this plan cannot work as it stands.")
            self.summary.setStyleSheet(ERROR_STYLE)

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches(*WATCHED):
            return
        plan = self.plan
        if plan is not None and changes.entities <= {"rotation_plan"} and self._shows_stored(plan):
            # Our own save, already on screen: only the list (a copy, a new name) may differ.
            self.plans.show_plans(self.class_id, plan.id)
            return
        self.reload()

    def _shows_stored(self, plan: Plan) -> bool:
        try:
            return self.services.plans.get(plan.id) == plan
        except StationRotationError:
            return False

    # --- editing ------------------------------------------------------------------

    def _save(self, body: PlanBody, done: str = "") -> bool:
        """Save the whole document; on a refusal say why and show the saved plan again."""
        return self._saved(lambda plan_id: self.services.plans.save(plan_id, body), done)

    def _saved(self, change: Callable[[str], Plan], done: str = "") -> bool:
        """Make ``change`` to the open plan and show the result; on a refusal say why and
        show the saved plan again."""
        plan = self.plan
        if plan is None:
            return False
        try:
            saved = change(plan.id)
        except Exception as exc:
            self._refused(exc)
            self._show_view()
            return False
        self.view = self._view_of(saved)
        self._show_view()
        self.replan()
        self._say(done or "All changes saved.", SAVED_STYLE)
        return True

    def edit_group(self, group_id: str, **fields: Any) -> None:
        """A group's (or own path's) fields changed in an editor: the plan service saves them."""
        edit = cast("GroupFields", fields)
        self._saved(lambda plan_id: self.services.plans.edit_group(plan_id, group_id, edit))

    def edit_pace(self, fields: dict[str, Any]) -> None:
        """The pace, the period or the fast-finisher text changed: the plan service saves it."""
        edit = cast("PaceFields", fields)
        self._saved(lambda plan_id: self.services.plans.edit_pace(plan_id, edit))

    def set_absent(self, student_id: str, absent: bool) -> None:
        """Absent-today toggle: saved, and the timetable re-planned at once."""
        plan = self.plan
        if plan is None:
            return
        try:
            result = self.services.plans.set_absent(plan.id, student_id, absent)
            self.view = self._view_of(self.services.plans.get(plan.id))
        except Exception as exc:
            self._refused(exc)
            return
        self._show_view()
        self.replan(result)
        assert self.view is not None
        word = "absent today" if absent else "here today"
        self._say(
            f"{self.view.name(student_id)} is {word}; the timetable is re-planned.", SAVED_STYLE
        )

    def move_student(self, student_id: str, group_id: str) -> None:
        """Into another group, or (``OWN_COLUMN``) onto a path of their own."""
        plan = self.plan
        if plan is None:
            return
        if group_id == OWN_COLUMN:
            self.give_own_path(student_id)
            return
        try:
            moved = self.services.plans.move_student(plan.id, student_id, group_id)
        except Exception as exc:
            self._refused(exc)
            return
        self.view = self._view_of(moved)
        self._show_view()
        self.replan()
        name = next((g.name for g in moved.body.groups if g.id == group_id), "the group")
        who = self.view.name(student_id)
        text = f"Moved {who} to {name}."
        broken = [c for c in self.pair_conflicts() if who in c]
        if broken:
            self._say(" ".join([text, "Note:", *broken]), WARNING_STYLE)
        else:
            self._say(text, SAVED_STYLE)

    def set_pair(self, first: str, second: str, wish: str | None) -> None:
        """Keep two students apart or together (``wish``), or (None) drop the pair; saved."""
        plan = self.plan
        if plan is None:
            return
        try:
            saved = self.services.plans.set_pair(plan.id, first, second, wish)
        except Exception as exc:
            self._refused(exc)
            return
        self.view = self._view_of(saved)
        self._show_view()
        names = f"{self.view.name(first)} and {self.view.name(second)}"
        if wish is None:
            text = f"{names} are no longer a pair."
        else:
            text = f"{names} will be kept {wish} whenever groups are formed."
        self._say(text, SAVED_STYLE)

    def clear_pairs(self) -> None:
        plan = self.plan
        if plan is None:
            return
        try:
            saved = self.services.plans.clear_pairs(plan.id)
        except Exception as exc:
            self._refused(exc)
            return
        self.view = self._view_of(saved)
        self._show_view()
        self._say("No pairs any more.", SAVED_STYLE)

    def give_own_path(self, student_id: str) -> None:
        """The student leaves their group for a path of their own (their group's, to start)."""
        plan = self.plan
        if plan is None or any(o.student_id == student_id for o in plan.body.own_paths):
            return  # already on one: nothing to say
        name = self.view.name(student_id) if self.view else "The student"
        self._saved(
            lambda plan_id: self.services.plans.give_own_path(plan_id, student_id),
            f"{name} has a path of their own: edit it on the Paths tab.",
        )

    def form_groups(self, kwargs: dict[str, Any]) -> None:
        plan = self.plan
        if plan is None:
            return
        try:
            formed = self.services.plans.form_groups(plan.id, **kwargs)
        except Exception as exc:
            self._refused(exc)
            return
        self.view = self._view_of(formed.plan)
        self._show_view()
        self.replan()
        groups = formed.plan.body.groups
        tiers = "; ".join(
            f"{g.name}: {formed.group_tiers[g.id]}" for g in groups if formed.group_tiers.get(g.id)
        )
        text = f"Formed {len(groups)} groups." + (
            f" Tiers (not shown to the class): {tiers}." if tiers else ""
        )
        self._say(" ".join([text, *formed.warnings]), SAVED_STYLE)

    # --- fixes --------------------------------------------------------------------

    def _can_apply(self, fix: Fix) -> bool:
        return self._mapped(fix) is not None

    def _mapped(self, fix: Fix) -> MappedFix | None:
        if self.view is None:
            return None
        capacities = {
            s.id: s.capacity for s in self.services.stations.list_for(self.view.plan.class_id)
        }
        return map_fix(
            self.view.plan.body, fix, present=self.view.present_counts(), capacities=capacities
        )

    def apply_fix(self, fix: Fix) -> None:
        """Change the plan (and a station's capacity, if the fix says so) as ``fix`` says."""
        mapped = self._mapped(fix)
        if mapped is None:
            return
        try:
            for station_id, capacity in mapped.capacities.items():
                self.services.stations.update(station_id, capacity=capacity)
        except Exception as exc:
            self._refused(exc)
            return
        self._save(mapped.body, f"Done: {fix.message}")

    # --- status ---------------------------------------------------------------------

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, StationRotationError):
            text = str(error)
        else:
            text = f"Something went wrong: {error}. Nothing was saved."
        self._say(f"Not saved. {text}", ERROR_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)


def _summary(data: TimelineData, *, has_stations: bool) -> str:
    """One line over the grid: who is here and when, or what is missing."""
    if not has_stations:
        return "This class has no stations yet: add them on the Stations page."
    if data.group_count == 0:
        return "Nobody is in a group yet: form groups on the Groups tab."
    present = sum(g.size for g in data.groups if g.id in data.timetable.group_ids)
    return (
        f"{counted(present, 'student')} here, {counted(data.group_count, 'group')}, "
        f"{counted(data.round_count, 'round')}, {data.period_text()}."
    )
