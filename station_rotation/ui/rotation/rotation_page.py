"""The teacher's control panel of a rotation: start a plan, steer the clock, open the
projector.

The page owns the run's ticker, chimes and projector, but none of them depends on the
page being shown: the projector keeps ticking while the teacher records quick checks on
another page. Every command goes to :class:`RotationService` (durable first), then the
ticker re-reads the exact view; nothing here keeps time of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError, ValidationError
from station_rotation.core.events import Changes
from station_rotation.core.rotation.clock import ClockView, Phase, RunSpec
from station_rotation.core.rotation.events import EventKind
from station_rotation.services.first_screen import FirstScreen
from station_rotation.services.rotation import LiveRun
from station_rotation.ui.companion.switch import CompanionSwitch
from station_rotation.ui.errors import show_error
from station_rotation.ui.pages.base import Page
from station_rotation.ui.plan.paper_dialog import PaperButton
from station_rotation.ui.rotation import launch, plan_source, settings, shortcuts
from station_rotation.ui.rotation.blank_settings import BlankSettings
from station_rotation.ui.rotation.chimes import Chimes
from station_rotation.ui.rotation.countdown import CountdownPanel
from station_rotation.ui.rotation.cues import CueDetector, describe, format_remaining, moves_for
from station_rotation.ui.rotation.moves_model import BADGE_SIDE, MovesModel
from station_rotation.ui.rotation.projector_link import ProjectorLink
from station_rotation.ui.rotation.resume_banner import ResumeBanner
from station_rotation.ui.rotation.run_changes import ChangeButton
from station_rotation.ui.rotation.shortcuts import Command
from station_rotation.ui.rotation.sound_settings import SoundSettings
from station_rotation.ui.rotation.ticker import RotationTicker
from station_rotation.ui.widgets import named

QUICK_TIMER = ""  # the plan picker's entry for a run without a plan
_COMMAND_EVENTS = {
    Command.ADD_ONE: (EventKind.ADD_TIME, 60.0),
    Command.ADD_FIVE: (EventKind.ADD_TIME, 300.0),
    Command.REMOVE_ONE: (EventKind.ADD_TIME, -60.0),
    Command.NEXT: (EventKind.SKIP_FORWARD, 0.0),
    Command.BACK: (EventKind.SKIP_BACK, 0.0),
}


class RotationPage(Page):
    """Start, pause, extend, skip and end the class's rotation; now / next per group."""

    title = "Rotation"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.run: LiveRun | None = None
        self.last_view: ClockView | None = None
        self.end_box: QMessageBox | None = None
        self._segment: tuple[Phase, int] | None = None  # the segment the table shows
        self._board_shown: object = None  # the board the table shows (a change replaces it)
        self.cues = CueDetector(settings.WARNING_SECONDS.get())
        self.chimes = Chimes(self)
        self.projector = ProjectorLink()
        self.blank = False  # the projector blanked ("Eyes on me" or black)
        self._blank_paused = False  # the blank paused the clock (resume when it lifts)
        self.blank_settings = BlankSettings(self)
        self.companion = CompanionSwitch(services, self)
        self.companion.blank_requested.connect(self.set_blank)
        self.companion.join_changed.connect(self._on_join_changed)
        # Switched on: the phone's view starts with the projector as it is.
        self.companion.switch.toggled.connect(self._on_companion_switched)
        self.ticker = RotationTicker(self._current_view, self)
        self.ticker.ticked.connect(self._on_tick)

        self.banner = ResumeBanner(self)
        self.banner.chosen.connect(self._resume)
        self.countdown = CountdownPanel(self)
        self.countdown.warning_seconds = self.cues.warning_seconds
        self.moves = MovesModel(self)
        self.moves_table = named(QTableView(), "movesTable")
        self.moves_table.setModel(self.moves)
        self.moves_table.verticalHeader().hide()
        self.moves_table.setIconSize(QSize(BADGE_SIDE, BADGE_SIDE))
        header = self.moves_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.moves_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.moves_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.moves_table.setStyleSheet("QTableView { font-size: 15px; }")
        self.sound = SoundSettings(self.chimes, self)
        self.sound.warning_changed.connect(self._on_warning_changed)
        self.status_label = named(QLabel(""), "rotationStatus")
        self.advance_label = named(QLabel(""), "advanceLabel")  # how the run moves on
        self.again_label = named(QLabel(""), "planAgainLabel")  # what "again" changed
        self.again_label.setWordWrap(True)
        self.again_label.hide()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(self._build_start_row())
        outer.addWidget(self.again_label)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.countdown, 1)
        left.addLayout(self._build_buttons())
        left.addWidget(self.advance_label)
        middle.addLayout(left, 1)
        middle.addWidget(self.moves_table, 1)
        outer.addLayout(middle, 1)
        outer.addWidget(self.status_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        outer.addWidget(line)
        outer.addLayout(self._build_projector_row())
        outer.addWidget(self.companion)
        outer.addWidget(self.blank_settings)
        outer.addWidget(self.sound)
        self.shortcuts = shortcuts.install(self, self.run_command)
        self._sound_checked = False
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sound_checked:
            # Load the sound system just after the page first shows (~0.3 s), not when
            # the teacher presses Start as the bell rings, and never at app start.
            self._sound_checked = True
            QTimer.singleShot(0, self.sound, self.sound.refresh_note)

    # --- layout -------------------------------------------------------------------

    def _build_start_row(self) -> QHBoxLayout:
        self.plan_picker = named(QComboBox(), "planPicker")
        self.plan_picker.setMinimumWidth(260)
        self.plan_picker.currentIndexChanged.connect(self._on_plan_picked)
        self.rounds_spin = named(QSpinBox(), "roundsSpin")
        self.rounds_spin.setRange(1, 12)
        self.rounds_spin.setValue(4)
        self.rounds_spin.setSuffix(" rounds")
        self.minutes_spin = named(QSpinBox(), "minutesSpin")
        self.minutes_spin.setRange(1, 90)
        self.minutes_spin.setValue(15)
        self.minutes_spin.setSuffix(" min")
        self.transition_spin = named(QSpinBox(), "transitionSpin")
        self.transition_spin.setRange(0, 600)
        self.transition_spin.setSingleStep(15)
        self.transition_spin.setValue(60)
        self.transition_spin.setPrefix("move ")
        self.transition_spin.setSuffix(" s")
        self.start_button = named(QPushButton("Start"), "startButton")
        self.start_button.setToolTip("Start the chosen plan now (key: Space)")
        self.start_button.clicked.connect(self.start_selected)
        self.advance_box = launch.AdvanceBox()
        self.again_button = named(QPushButton("Start the last plan again"), "planAgainButton")
        self.again_button.setToolTip(
            "No plan for today: copy the latest plan to today, regroup it from the latest "
            "quick checks, and start it"
        )
        self.again_button.clicked.connect(self.start_again)
        self.again_button.hide()
        row = QHBoxLayout()
        label = QLabel("&Plan:")
        label.setBuddy(self.plan_picker)
        row.addWidget(label)
        row.addWidget(self.plan_picker)
        for spin in (self.rounds_spin, self.minutes_spin, self.transition_spin):
            row.addWidget(spin)
        row.addWidget(self.advance_box)
        row.addWidget(self.start_button)
        row.addWidget(self.again_button)
        row.addStretch(1)
        # Paper copies of the picked plan (the running one), for when the screens fail.
        self.paper = PaperButton(self.services, lambda: self.plan_picker.currentData() or None)
        self.paper.said.connect(lambda text, _ok: self.status_label.setText(text))
        row.addWidget(self.paper)
        return row

    def _build_buttons(self) -> QGridLayout:
        self.buttons: dict[Command, QPushButton] = {}
        grid = QGridLayout()
        places = {
            Command.START_PAUSE: (0, 0),
            Command.ADD_ONE: (0, 1),
            Command.ADD_FIVE: (0, 2),
            Command.REMOVE_ONE: (0, 3),
            Command.BACK: (1, 0),
            Command.NEXT: (1, 1),
            Command.END: (1, 3),
        }
        for command, (row, column) in places.items():
            button = named(QPushButton(), f"{command.value}Button")
            shortcuts.label_button(button, command)
            button.setMinimumHeight(38)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the shortcuts
            button.clicked.connect(lambda _=False, c=command: self.run_command(c))
            grid.addWidget(button, row, column)
            self.buttons[command] = button
        self.change_button = ChangeButton(
            lambda: self.services, lambda: self.run.run_id if self.run else None, self
        )
        self.change_button.setMinimumHeight(38)
        self.change_button.changed.connect(self._on_run_changed)
        grid.addWidget(self.change_button, 1, 2)
        return grid

    def _build_projector_row(self) -> QHBoxLayout:
        self.projector_button = named(QPushButton("Open projector"), "openProjectorButton")
        self.projector_button.setToolTip(
            "Show the countdown and who goes where on the second screen (or a window)"
        )
        self.projector_button.clicked.connect(self.open_projector)
        self.first_names_box = named(
            QCheckBox("Show first names on the projector"), "firstNamesBox"
        )
        self.first_names_box.setChecked(settings.FIRST_NAMES.get())
        self.first_names_box.setToolTip(
            "Off: the projector shows group names only. Never scores or support labels."
        )
        self.first_names_box.toggled.connect(self._on_first_names)
        self.checks_button = named(
            QPushButton("Quick checks for the teacher table  [Q]"), "quickChecksButton"
        )
        self.checks_button.setShortcut(QKeySequence("Q"))
        self.checks_button.setToolTip(
            "Record quick checks for the group at the teacher-led station now; "
            "the rotation keeps going"
        )
        self.checks_button.clicked.connect(self.open_quick_checks)
        self.blank_button = named(QPushButton(), "blankButton")
        shortcuts.label_button(self.blank_button, Command.BLANK)
        self.blank_button.setCheckable(True)
        self.blank_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the shortcuts
        self.blank_button.clicked.connect(self.set_blank)
        row = QHBoxLayout()
        row.addWidget(QLabel("Projector:"))
        row.addWidget(self.projector_button)
        row.addWidget(self.blank_button)
        row.addWidget(self.first_names_box)
        row.addStretch(1)
        row.addWidget(self.checks_button)
        return row

    def open_quick_checks(self) -> None:
        """Show the quick-check grid on the group now at the teacher-led station."""
        show_page = getattr(self.window(), "show_page", None)
        if self.run is None or show_page is None:
            return
        from station_rotation.ui.checks.entry_page import QuickCheckPage

        page = show_page("Quick checks")
        if isinstance(page, QuickCheckPage):
            page.open_for_run(self.run.run_id)

    # --- page ---------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the plan picker and offer to resume a run left going by a restart."""
        if self.again_label.property("class_id") != self.class_id:
            self.again_label.hide()  # what "again" changed was another class's
        self._fill_plans()
        self._offer_resume()
        self.ticker.tick_now()
        self._follow_run(self.last_view if self.run is not None else None)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("rotation_plan"):
            self._fill_plans()
        if changes.touches("rotation_run", "rotation_event"):
            self.ticker.tick_now()

    def _fill_plans(self) -> None:
        keep = self.plan_picker.currentData()
        self.plan_picker.blockSignals(True)
        self.plan_picker.clear()
        choices = plan_source.plan_choices(self.services, self.class_id) if self.class_id else []
        for choice in choices:
            self.plan_picker.addItem(f"Today: {choice.name}" if choice.today else choice.name)
            self.plan_picker.setItemData(self.plan_picker.count() - 1, choice.plan_id)
        self.plan_picker.addItem("Quick timer (no plan)", QUICK_TIMER)
        today = any(choice.today for choice in choices)
        self.again_button.setVisible(bool(choices) and not today)
        index = self.plan_picker.findData(keep) if keep is not None else -1
        self.plan_picker.setCurrentIndex(max(0, index))
        self.plan_picker.blockSignals(False)
        self._on_plan_picked()

    def _on_plan_picked(self, _index: int = -1) -> None:
        quick = self.plan_picker.currentData() == QUICK_TIMER
        for spin in (self.rounds_spin, self.minutes_spin, self.transition_spin):
            spin.setVisible(quick)
        text = (
            "Start today's plan" if self.plan_picker.currentText().startswith("Today") else "Start"
        )
        self.start_button.setText(f"{text}  [Space]")
        plan_id = self.plan_picker.currentData()
        if self.class_id is not None:
            self.advance_box.show_plan(self.services, str(plan_id) if plan_id else None)

    def _offer_resume(self) -> None:
        self.banner.hide()
        if self.class_id is None or self.run is not None:
            return
        for live in self.services.rotation.unfinished_runs(self.class_id):
            self.services.rotation.close_if_over(live.run_id)
        waiting = self.services.rotation.running_run(self.class_id)
        if waiting is not None:
            self.banner.offer(waiting, self.services.rotation.view(waiting.run_id))

    # --- commands -----------------------------------------------------------------

    def start_selected(self) -> None:
        """Start the chosen plan (or the quick timer) now: one action."""
        if self.class_id is None:
            return
        plan_id = self.plan_picker.currentData()
        try:
            if plan_id:
                spec, board = plan_source.run_for(self.services, str(plan_id))
                title = self.plan_picker.currentText().removeprefix("Today: ")
            else:
                minutes = self.minutes_spin.value() * 60.0
                spec = RunSpec(
                    (minutes,) * self.rounds_spin.value(),
                    self.transition_spin.value(),
                    self.advance_box.isChecked(),
                )
                board, title = None, "Quick timer"
            live = self.services.rotation.start(self.class_id, spec, title=title, board=board)
        except StationRotationError as error:
            show_error(self, "The rotation could not start", error)
            return
        self._take(live)
        if board is not None:
            self._project_by_itself()

    def start_again(self) -> None:
        """No plan for today: the latest plan copied to today, regrouped from the latest
        quick checks, and started, in one action; the page says who moved."""
        if self.class_id is None:
            return
        from station_rotation.services.plans.again import plan_again

        try:
            again = plan_again(self.services, self.class_id)
        except StationRotationError as error:
            show_error(self, "The last plan could not be started again", error)
            return
        self._fill_plans()
        self.plan_picker.setCurrentIndex(max(0, self.plan_picker.findData(again.plan.id)))
        self.again_label.setText(again.summary())
        self.again_label.setProperty("class_id", self.class_id)
        self.again_label.show()
        self.start_selected()

    def _project_by_itself(self) -> None:
        """A plan started: the projector opens full screen on the second screen; with only
        the teacher's screen it does not cover her page, the status line says so."""
        if self.projector.is_open:
            return
        screen = launch.second_screen_name()
        if screen is None:
            self.status_label.setText(launch.NO_SECOND_SCREEN)
            return
        self.open_projector()
        if self.projector.is_open:
            self.status_label.setText(launch.projector_opened_text(screen))

    def _resume(self, run_id: str, paused: bool) -> None:
        try:
            self.services.rotation.resume_after_restart(run_id, paused=paused)
            live = self.services.rotation.live(run_id)
        except StationRotationError as error:
            show_error(self, "The rotation could not resume", error)
            return
        self._take(live)

    def _take(self, live: LiveRun) -> None:
        self.run = live
        self.banner.hide()
        self.cues.reset()
        self.moves.set_rows([])
        self._segment = None
        self.sound.refresh_note()
        self.ticker.tick_now()

    def run_command(self, command: Command) -> None:
        """What a button or a key asks for; refused commands are explained, not raised."""
        if command is Command.BLANK:
            self.set_blank(not self.blank)  # with or without a run
            return
        view = self._current_view()
        if command is Command.START_PAUSE:
            if view is None or view.phase is Phase.FINISHED:
                self.start_selected()
            elif view.waiting:
                self._command(EventKind.BEGIN_ROUND)
            else:
                self._command(EventKind.RESUME if view.paused else EventKind.PAUSE)
            return
        if view is None or view.phase is Phase.FINISHED:
            self.status_label.setText("No rotation is running: start one first.")
            return
        if command is Command.END:
            self.ask_end()
            return
        kind, seconds = _COMMAND_EVENTS[command]
        self._command(kind, seconds)

    def ask_end(self) -> None:
        """End the run, after the teacher confirms (a stray key must not end a class)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "End the rotation?",
            "End the rotation now? The projector shows it is over.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("endRotationQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_end_answer)
        self.end_box = box
        box.open()

    def _on_end_answer(self, result: int) -> None:
        self.end_box = None
        if result == QMessageBox.StandardButton.Yes:
            self._command(EventKind.END)

    def _command(self, kind: EventKind, seconds: float = 0.0) -> None:
        if self.run is None:
            return
        try:
            self.services.rotation.command(self.run.run_id, kind, seconds)
        except ValidationError as error:
            self.status_label.setText(str(error))
            return
        except StationRotationError as error:
            show_error(self, "The command was not saved", error)
            return
        self.status_label.setText("")
        self.ticker.tick_now()

    def _on_run_changed(self, summary: str) -> None:
        """A change to the run is in its log: say what changed; the tick redraws."""
        self.status_label.setText(summary)
        self.ticker.tick_now()

    # --- projector and settings ---------------------------------------------------

    def open_projector(self) -> None:
        try:
            self.projector.open(first_names=self.first_names_box.isChecked())
        except ImportError:
            self.status_label.setText("The projector window is not available in this version.")
            return
        self.sound.refresh_note()
        self.ticker.tick_now()

    def set_blank(self, on: bool) -> None:
        """Blank the projector (or show it again): from the button, the key or the phone.

        With "Pause the clock while blank" the run pauses as the screen goes blank and
        resumes as it comes back (if it is still paused then).
        """
        if on == self.blank:
            return
        self.blank = on
        view = self._current_view()
        if on and self.blank_settings.pauses and view is not None and view.running:
            self._command(EventKind.PAUSE)
            self._blank_paused = True
        elif not on and self._blank_paused:
            self._blank_paused = False
            view = self._current_view()
            if view is not None and view.paused and view.phase is not Phase.FINISHED:
                self._command(EventKind.RESUME)
        self.projector.set_blank(on, black=self.blank_settings.blank_style == "black")
        self.blank_button.setChecked(on)
        self.companion.set_blank(on)  # the teacher's phone shows it too
        self.status_label.setText("The projector is blank." if on else "")

    def _on_companion_switched(self, on: bool) -> None:
        if on:
            self.companion.set_blank(self.blank)

    def _on_join_changed(self) -> None:
        self.projector.show_join(self.companion.projector_join())

    def _follow_run(self, view: ClockView | None) -> None:
        """Tell the companion which run devices follow (None once it is over)."""
        run = self.run
        if run is None:
            self.companion.follow(self.class_id, None)
        elif view is not None and view.phase is Phase.FINISHED:
            self.companion.follow(run.class_id, None)
        else:
            self.companion.follow(run.class_id, run.run_id)

    def _on_first_names(self, on: bool) -> None:
        settings.FIRST_NAMES.set(on)
        self.projector.set_first_names(on)

    def _on_warning_changed(self, seconds: int) -> None:
        self.cues.warning_seconds = seconds
        self.countdown.warning_seconds = seconds
        self.countdown.show_view(self.last_view, self.run.title if self.run else "")

    # --- ticking ------------------------------------------------------------------

    def _current_view(self) -> ClockView | None:
        if self.run is None:
            return None
        return self.services.rotation.view(self.run.run_id)

    def _on_tick(self, view: ClockView) -> None:
        self.last_view = view
        run = self.run
        title = run.title if run else ""
        board = run.board if run else None
        self.countdown.show_view(view, title)
        segment = (view.phase, view.round_index)
        if segment != self._segment or board is not self._board_shown:
            self._segment, self._board_shown = segment, board
            self.moves.last_round = view.round_number >= view.rounds
            self.moves.set_rows(moves_for(board, view) if view.phase is not Phase.FINISHED else [])
        self.projector.show_state(view, board, title)
        for cue in self.cues.feed(view):
            self.chimes.play(cue)
            self.countdown.flash(cue)
            self.projector.flash()
        if view.phase is Phase.FINISHED and run is not None:
            self.services.rotation.close_if_over(run.run_id)
        self._follow_run(view)
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.last_view if self.run is not None else None
        going = view is not None and view.phase is not Phase.FINISHED
        for command, button in self.buttons.items():
            if command is not Command.START_PAUSE:
                button.setEnabled(going)
        self.start_button.setEnabled(not going)  # End first: a click never drops a run
        self.again_button.setEnabled(not going)
        self.advance_box.setEnabled(not going)  # the run keeps the choice it started with
        spec = self.run.clock.spec if self.run is not None and going else None
        self.advance_label.setText(launch.advance_text(spec) if spec is not None else "")
        self.checks_button.setEnabled(going)
        self.change_button.setEnabled(going and self.run is not None and self.run.board is not None)
        start_pause = self.buttons[Command.START_PAUSE]
        if not going:
            start_pause.setText(f"Start  [{shortcuts.BINDINGS[Command.START_PAUSE].shown_key}]")
        elif view is not None and view.waiting:
            # The countdown above says which round: "Ready: press Space to start round 3".
            start_pause.setText(f"Start  [{shortcuts.BINDINGS[Command.START_PAUSE].shown_key}]")
        elif view is not None and view.paused:
            start_pause.setText(f"Resume  [{shortcuts.BINDINGS[Command.START_PAUSE].shown_key}]")
        else:
            start_pause.setText(f"Pause  [{shortcuts.BINDINGS[Command.START_PAUSE].shown_key}]")

    def status_text(self) -> str:
        """One line for a status bar or a test: where the run is and the time left."""
        view = self.last_view
        if view is None:
            return ""
        return f"{describe(view)}, {format_remaining(view.remaining)}"
