"""The Quick checks page: pick a learning target, then one key per student.

A class of 28 is checked in 28 keystrokes plus the arrows to reach the target's column.
The page reads the roster, the targets and the standing checks from the services and
forwards the grid's intents to :class:`EntrySession`, which saves each entry durably
before the cell reads "saved" (see that module for why saving is on the GUI thread).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_rotation.core.events import Changes
from station_rotation.core.rotation.clock import Phase
from station_rotation.core.scales import parse_scale
from station_rotation.services.checks.absent import absent_today
from station_rotation.services.checks.groups import GroupChoice, plan_groups, teacher_led_group
from station_rotation.services.checks.quick_checks import is_withdrawn
from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.checks.checkin_view import CheckInWindow, Prompt
from station_rotation.ui.checks.entry_model import (
    Cell,
    GridStudent,
    GridTarget,
    QuickCheckGridModel,
    SaveState,
    level_text,
    local_time,
)
from station_rotation.ui.checks.entry_session import EntrySession
from station_rotation.ui.checks.entry_view import QuickCheckGrid
from station_rotation.ui.checks.level_colours import absent_colour, level_colour
from station_rotation.ui.checks.note_dialog import NoteDialog
from station_rotation.ui.checks.paper_entry import HINT as PAPER_HINT
from station_rotation.ui.checks.paper_entry import PaperWalk
from station_rotation.ui.errors import show_error
from station_rotation.ui.pages.base import Page
from station_rotation.ui.widgets import named

# What the grid shows: students, targets, checks, and the groups of plans and runs.
WATCHED = (
    "quick_check",
    "student",
    "enrollment",
    "learning_target",
    "rotation_plan",
    "rotation_run",
    "rotation_event",
)


class QuickCheckPage(Page):
    """Students × learning targets; type levels, see each one saved."""

    title = "Quick checks"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.model = QuickCheckGridModel(self)
        self.session = EntrySession(self.services, self.model)
        self.grid = named(QuickCheckGrid(self.model), "quickCheckGrid")
        self.grid.level_typed.connect(self._on_level)
        self.grid.absent_typed.connect(self._on_absent)
        self.grid.undo_requested.connect(self.undo)
        self.grid.note_requested.connect(self.open_note)
        self._choices: list[GroupChoice] = []
        self._extra: list[GroupChoice] = []  # opened from outside (a rotation, a group)
        self._roster: list[GridStudent] = []
        self.note_dialog: NoteDialog | None = None  # while one is open
        self._note_dialog: NoteDialog | None = None
        self._note_for: tuple[GridStudent, GridTarget] | None = None
        self.check_in_window: CheckInWindow | None = None

        self.group_picker = named(QComboBox(), "groupPicker")
        self.group_picker.setMinimumWidth(300)
        self.group_picker.currentIndexChanged.connect(self._on_group_picked)
        show_label = QLabel("&Show:")
        show_label.setBuddy(self.group_picker)
        self.check_in_button = named(QPushButton("Student &check-in…"), "checkInButton")
        self.check_in_button.setToolTip(
            "A full-screen window for the selected student to rate their own confidence"
        )
        self.check_in_button.clicked.connect(self.open_check_in)
        self.paper = PaperWalk(self.grid)
        self.paper.toggled.connect(lambda _on: self._show_legend())
        self.paper.finished.connect(lambda: self._say("✓ That was the last box of the sheet."))
        top = QHBoxLayout()
        top.addWidget(show_label)
        top.addWidget(self.group_picker)
        top.addStretch(1)
        top.addWidget(self.paper.button)
        top.addWidget(self.check_in_button)

        self.legend = named(QLabel(), "levelLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.saved_state = named(QLabel(), "savedState")
        self.saved_state.setTextFormat(Qt.TextFormat.PlainText)
        self.saved_state.setMinimumHeight(26)
        self.retry_button = named(QPushButton("Retry unsaved"), "retryButton")
        self.retry_button.clicked.connect(self.retry_failed)
        self.retry_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved_state, 1)
        bottom.addWidget(self.retry_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.grid, 1)
        layout.addLayout(bottom)
        self.grid.selectionModel().currentChanged.connect(self._on_current_changed)

    # --- loading ------------------------------------------------------------------

    def reload(self) -> None:
        keep_student, keep_column = self._cursor()
        self.session.class_id = self.class_id
        if self.class_id is None:
            self._roster = []
            self.model.set_grid([], [], {})
            self._refill_choices()
            return
        self._roster = [
            GridStudent(e.student.id, e.student.display_name)
            for e in self.services.roster.roster(self.class_id)
        ]
        targets = [
            GridTarget(t.id, t.code, t.statement, parse_scale(t.scale))
            for t in self.services.targets.list_for(self.class_id)
        ]
        mine = {c.check_id: c for c in self.model.cells().values() if c.saved_at}
        cells: dict[tuple[str, str], Cell] = {}
        for key, check in self.services.quick_checks.current(self.class_id).items():
            if is_withdrawn(check):
                continue
            own = mine.get(check.id)
            cells[key] = Cell(
                check.score,
                check.absent,
                check.note,
                check.id,
                observed_at=check.observed_at,
                saved_at=own.saved_at if own else None,
            )
        for key, cell in self.model.cells().items():  # typed but not saved: keep on screen
            if cell.state is SaveState.FAILED:
                cells[key] = cell
        self._refill_choices()
        self._follow_choice()
        absent = absent_today(self.services, self.class_id)
        self.model.set_grid(self._visible(self._current_choice()), targets, cells, absent)
        self._restore_cursor(keep_student, keep_column)
        self._show_legend()

    def set_class(self, class_id: str | None) -> None:
        if class_id != self.class_id:
            self.session.forget()
            self._extra = []
            self.session.run_id = self.session.station_id = None
            self.model.set_grid([], [], {})
        super().set_class(class_id)

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the page: the rotation may be in another round by now."""
        super().showEvent(event)
        if self.class_id is not None:
            self.reload()
        self.grid.setFocus()  # keyboard first: the next digit goes to the grid

    def on_changes(self, changes: Changes) -> None:
        # Our own saves are already on screen: skip a change that saved only them (however
        # often it is announced). Anything else, or a save announced without its ids, redraws.
        if self._only_own_saves(changes):
            return
        if changes.touches(*WATCHED):
            self.reload()

    def _only_own_saves(self, changes: Changes) -> bool:
        return (
            changes.entities <= {"quick_check"}
            and bool(changes.records)
            and changes.records <= self.session.saved
        )

    # --- opening for a group ------------------------------------------------------

    def open_for_group(
        self,
        student_ids: list[str] | tuple[str, ...],
        label: str,
        *,
        run_id: str | None = None,
        station_id: str | None = None,
    ) -> None:
        """Show only these students (e.g. the group at the teacher table), cursor on the first."""
        choice = GroupChoice(label, tuple(student_ids), run_id=run_id, station_id=station_id)
        self._extra = [c for c in self._extra if c.label != label] + [choice]
        self._refill_choices()
        index = [c.label for c in self._choices].index(label)
        self.group_picker.blockSignals(True)
        self.group_picker.setCurrentIndex(index)
        self.group_picker.blockSignals(False)
        self._on_group_picked(index)  # also when it was already the current choice

    def open_for_run(self, run_id: str) -> bool:
        """Show the group now at the run's teacher-led station; False if there is none."""
        choice = teacher_led_group(self.services, run_id)
        if choice is None:
            self.saved_state.setText("No group is at the teacher-led station right now.")
            return False
        self.open_for_group(
            choice.student_ids, choice.label, run_id=choice.run_id, station_id=choice.station_id
        )
        return True

    def _refill_choices(self) -> None:
        current = self._current_choice()
        choices = [GroupChoice(f"Whole class ({len(self._roster)})", whole_class=True)]
        if self.class_id is not None:
            running = self._running_group()
            if running is not None:
                choices.append(running)
            choices += plan_groups(self.services, self.class_id)
        for extra in self._extra:  # what the caller asked for wins over a namesake
            labels = [c.label for c in choices]
            if extra.label in labels:
                choices[labels.index(extra.label)] = extra
            else:
                choices.append(extra)
        self._choices = choices
        self.group_picker.blockSignals(True)
        self.group_picker.clear()
        for choice in choices:
            self.group_picker.addItem(choice.label)
        labels = [c.label for c in choices]
        if current is not None and current.label in labels:
            keep = labels.index(current.label)
        elif current is not None and current.run_id and len(choices) > 1 and choices[1].run_id:
            keep = 1  # the run moved on: the group now at the teacher table
        else:
            keep = 0
        self.group_picker.setCurrentIndex(keep)
        self.group_picker.blockSignals(False)

    def _running_group(self) -> GroupChoice | None:
        assert self.class_id is not None
        for live in reversed(self.services.rotation.unfinished_runs(self.class_id)):
            if self.services.rotation.view(live.run_id).phase is not Phase.FINISHED:
                return teacher_led_group(self.services, live.run_id)
        return None

    def _current_choice(self) -> GroupChoice | None:
        index = self.group_picker.currentIndex()
        return self._choices[index] if 0 <= index < len(self._choices) else None

    def _visible(self, choice: GroupChoice | None) -> list[GridStudent]:
        if choice is None or choice.whole_class:
            return list(self._roster)
        wanted = set(choice.student_ids)
        return [s for s in self._roster if s.id in wanted]

    def _follow_choice(self) -> None:
        """Checks taken while a run's group is shown carry the run and the station."""
        choice = self._current_choice()
        self.session.run_id = choice.run_id if choice else None
        self.session.station_id = choice.station_id if choice else None

    def _on_group_picked(self, _index: int) -> None:
        choice = self._current_choice()
        column = max(self.grid.currentIndex().column(), 0)
        self._follow_choice()
        self.model.set_grid(self._visible(choice), self.model.targets, self.model.cells())
        self.grid.go_to(self.model.first_present_row() or 0, column)
        self.grid.setFocus()

    # --- entering -----------------------------------------------------------------

    def _on_level(self, value: int) -> None:
        self._enter(score=value)

    def _on_absent(self) -> None:
        self._enter(absent=True)

    def _enter(self, *, score: int | None = None, absent: bool = False) -> None:
        found = self._current_pair()
        if found is None:
            return
        student, target = found
        if not absent and student.id in self.model.absent_today:
            self._say(
                f"{student.name} is marked absent in today's plan, so no level is saved. "
                f"Back in class? Mark {student.name} present on the Plan page first.",
                True,
            )
            return
        if not absent and score not in target.scale.values:
            keys = f"{target.scale.values[0]}-{target.scale.values[-1]}"
            self._say(f"{score} is not on the scale of {target.short}: type {keys}, or A.", True)
            return
        try:
            cell = self.session.enter(student.id, target.id, score=score, absent=absent)
        except Exception as exc:
            self._say(
                f"⚠ Not saved: {student.name} · {target.short}. It stays on screen; "
                "press Retry or type it again.",
                True,
            )
            self._update_retry()
            show_error(self, "Quick check not saved", exc)
            return
        self._said_saved(student, target, cell)
        self._update_retry()
        if self.paper.on:
            self.paper.step()
        else:
            self.grid.move_down()

    def undo(self) -> None:
        """Take back the last entry of this sitting (a new record; history keeps both)."""
        try:
            entry = self.session.undo()
        except Exception as exc:
            show_error(self, "Could not undo", exc)
            return
        if entry is None:
            self._say("Nothing to undo.")
            return
        index = self.model.index_of(entry.student_id, entry.target_id)
        if index.isValid():
            self.grid.go_to(index.row(), index.column())
        cell = self.model.cell(entry.student_id, entry.target_id)
        student = self.model.row_item(index.row()).name if index.isValid() else "the student"
        target = self.model.target_at(index.column())
        before = (
            self.model.level(cell, target.scale)
            if cell is not None and target is not None and not cell.blank
            else "no level"
        )
        self._say(
            f"✓ Undone and saved {local_time(datetime.now(UTC), seconds=True)} — "
            f"{student} is back to {before}."
        )

    def retry_failed(self) -> None:
        """Save again every value that is on screen but not yet in the file."""
        for student_id, target_id in self.session.failed():
            cell = self.model.cell(student_id, target_id)
            if cell is None:
                continue
            try:
                self.session.enter(student_id, target_id, score=cell.score, absent=cell.absent)
            except Exception as exc:
                self._update_retry()
                show_error(self, "Quick check still not saved", exc)
                return
            self._update_retry()
        self._say("✓ Every entry on screen is saved.")

    def open_note(self) -> None:
        found = self._current_pair()
        if found is None:
            return
        student, target = found
        cell = self.model.cell(student.id, target.id)
        if cell is None or cell.blank or cell.state is not SaveState.SAVED:
            self._say("Type a level first (a digit, or A for absent); then N adds a note.")
            return
        about = f"{student.name} · {target.short}: {self.model.level(cell, target.scale)}"
        # One dialog, reused: it is never deleted while a signal of it is being delivered.
        if self._note_dialog is None:
            self._note_dialog = NoteDialog(self)
            self._note_dialog.accepted.connect(self._save_note)
            self._note_dialog.finished.connect(self._note_closed)
        self._note_for = (student, target)
        self._note_dialog.show_for(about, cell.note)
        self.note_dialog = self._note_dialog

    def _save_note(self) -> None:
        if self._note_dialog is None or self._note_for is None:
            return
        student, target = self._note_for
        try:
            cell = self.session.set_note(student.id, target.id, self._note_dialog.note())
        except Exception as exc:
            show_error(self, "Note not saved", exc)
            return
        self._said_saved(student, target, cell)

    def _note_closed(self, _result: int) -> None:
        self.note_dialog = None
        self._note_for = None
        self.grid.setFocus()

    # --- student check-in ---------------------------------------------------------

    def open_check_in(self) -> CheckInWindow | None:
        """Full screen for the selected student: only their name and the targets."""
        found = self._current_pair()
        if found is None or self.class_id is None:
            self._say("Select a student in the grid first.")
            return None
        student, current = found
        targets = self.model.targets
        start = targets.index(current)
        prompts = [Prompt(t.id, t.statement) for t in targets[start:] + targets[:start]]
        class_id, student_id = self.class_id, student.id
        reflections = self.services.quick_checks

        def save(target_id: str, confidence: int, words: str) -> None:
            reflections.record_reflection(
                class_id=class_id,
                student_id=student_id,
                confidence=confidence,
                words=words,
                target_id=target_id,
            )

        window = CheckInWindow(student.name.split(" ")[0], prompts, save, self)
        window.closed.connect(self._check_in_closed)
        self.check_in_window = window
        window.showFullScreen()
        window.activateWindow()
        return window

    def _check_in_closed(self) -> None:
        self.check_in_window = None
        self.window().activateWindow()
        self.grid.setFocus()

    # --- helpers ------------------------------------------------------------------

    def _current_pair(self) -> tuple[GridStudent, GridTarget] | None:
        index = self.grid.currentIndex()
        student = self.model.valid_row(index)
        target = self.model.target_at(index.column())
        if student is None or target is None:
            return None
        return student, target

    def _cursor(self) -> tuple[str | None, int]:
        found = self._current_pair()
        column = max(self.grid.currentIndex().column(), 0)
        return (found[0].id if found else None), column

    def _restore_cursor(self, student_id: str | None, column: int) -> None:
        rows = [r for r, s in enumerate(self.model.students) if s.id == student_id]
        row = rows[0] if rows else (self.model.first_present_row() or 0)
        if self.model.absent_at(row):  # marked absent just now: on to the next one here
            row = self.model.first_present_row(row) or self.model.first_present_row() or row
        self.grid.go_to(row, min(column, max(self.model.columnCount() - 1, 0)))

    def _said_saved(self, student: GridStudent, target: GridTarget, cell: Cell) -> None:
        when = local_time(cell.saved_at or datetime.now(UTC), seconds=True)
        level = self.model.level(cell, target.scale)
        self._say(f"✓ Saved {when} — {student.name} · {target.short}: {level}")

    def _say(self, text: str, warning: bool = False) -> None:
        if self.saved_state.property("warning") != warning:  # restyle only on a change
            self.saved_state.setProperty("warning", warning)
            self.saved_state.setStyleSheet(
                "color: #8a1c1c; font-weight: 600;" if warning else "color: #1b4d1b;"
            )
        self.saved_state.setText(text)

    def _update_retry(self) -> None:
        failed = len(self.session.failed())
        self.retry_button.setText(f"Retry unsaved ({failed})")
        self.retry_button.setVisible(failed > 0)

    def _on_current_changed(self, current: object, previous: object) -> None:
        self._show_legend()

    def _show_legend(self) -> None:
        target = self.model.target_at(self.grid.currentIndex().column())
        if target is None:
            self.legend.setText(
                "Add learning targets and students to this class to check them here."
            )
            return
        scale = target.scale
        chips = []
        if len(scale.values) <= 10:
            for position, value in enumerate(scale.values):
                colour = level_colour(position, len(scale.values))
                chips.append(_chip(level_text(scale, value), colour.background, colour.text))
        else:
            chips.append(f"type {scale.values[0]}-{scale.values[-1]}")
        absent = absent_colour()
        chips.append(_chip("A Absent", absent.background, absent.text))
        statement = html.escape(f"{target.short}: {target.statement}")
        then = (
            html.escape(PAPER_HINT)
            if self.paper.on
            else "then the next student · ⌫ undo · N note · ← → another target"
        )
        self.legend.setText(f"<b>{statement}</b><br>Keys: {' '.join(chips)} &nbsp; {then}")


def _chip(text: str, background: str, foreground: str) -> str:
    return (
        f'<span style="background-color:{background}; color:{foreground};">'
        f"&nbsp;{html.escape(text)}&nbsp;</span>"
    )
