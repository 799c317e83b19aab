"""Paths and pace: each group's ordered stations and its pace, and the plan's pace.

Left, the chosen group's path (tick stations on or off, must-do or may-do, reorder with
the buttons or Ctrl+↑/↓) with its support and extra-time settings; right, the plan's
round length, transition, rounds, period and the fast-finisher instructions. Every
change is emitted as a request; the page saves and redraws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
)

from station_rotation.core.scheduling.symbols import symbols_for
from station_rotation.services.plans.document import OwnPath, PlanBody, PlanGroup, PlanStop
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX
from station_rotation.ui.group_badge import badge_icon
from station_rotation.ui.plan.path_model import STATION, PathModel
from station_rotation.ui.plan.timeline_data import StationLabel
from station_rotation.ui.widgets import named

TEXT_DELAY_MS = 600  # save typed instructions once the teacher pauses


def _spin(name: str, low: int, high: int, suffix: str = "", special: str = "") -> QSpinBox:
    spin = named(QSpinBox(), name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    if special:
        spin.setSpecialValueText(special)
    spin.setKeyboardTracking(False)  # one save per finished number, not per digit
    return spin


def _key(group: PlanGroup | OwnPath) -> str:
    """The combo's data: a group's id, or "own:<student id>" for an own path."""
    return group.id if isinstance(group, PlanGroup) else OWN_PATH_PREFIX + group.student_id


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class PathsEditor(QObject):
    """See the module docstring; the page calls :meth:`show_body` after every save.

    It owns two panels the page places (each on its own tab, so each has the full
    width): :attr:`path_panel` and :attr:`pace_panel`.
    """

    group_changed = Signal(str, dict)  # group id, fields of PlanGroup to set
    pace_changed = Signal(dict)  # fields of PlanBody / PlanPace to set

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._groups: list[PlanGroup | OwnPath] = []
        self._labels: dict[str, str] = {}  # combo data (group id or "own:<id>") -> label

        self.group_combo = named(QComboBox(), "pathGroup")
        self.group_combo.setAccessibleName("Group whose path to edit")
        self.group_combo.currentIndexChanged.connect(lambda _i: self._show_group())
        self.path_model = PathModel(self._path_edited, self)
        self.path_table = named(QTableView(), "pathTable")
        self.path_table.setModel(self.path_model)
        self.path_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.path_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.path_table.horizontalHeader()
        header.setSectionResizeMode(STATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.up_button = named(QPushButton("Earlier"), "stopEarlier")
        self.up_button.setToolTip("Visit the selected station earlier (Ctrl+↑)")
        self.up_button.clicked.connect(lambda: self.move_stop(-1))
        self.down_button = named(QPushButton("Later"), "stopLater")
        self.down_button.setToolTip("Visit the selected station later (Ctrl+↓)")
        self.down_button.clicked.connect(lambda: self.move_stop(1))
        self.path_table.installEventFilter(self)  # Ctrl+↑ / Ctrl+↓ reorder the stops

        self.support_check = named(QCheckBox("Needs support"), "needsSupport")
        self.teacher_round = _spin("teacherRound", 0, 30, special="first round")
        self.teacher_round.setPrefix("round ")
        self.teacher_round.setToolTip("The round this group meets the teacher")
        self.extra_minutes = _spin("extraMinutes", 0, 180, " min")
        self.extra_rounds = _spin("extraRounds", 0, 10, " rounds")
        self.support_check.toggled.connect(lambda _on: self._group_fields_edited())
        for spin in (self.teacher_round, self.extra_minutes, self.extra_rounds):
            spin.valueChanged.connect(lambda _v: self._group_fields_edited())

        path_box = self.path_panel = named(QGroupBox("Path of a group"), "pathPanel")
        order = QHBoxLayout()
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        group_form = QFormLayout()
        group_form.addRow("&Group:", self.group_combo)
        options = QFormLayout()
        options.addRow(self.support_check)
        options.addRow("Meets the &teacher in:", self.teacher_round)
        options.addRow("E&xtra time per stop:", self.extra_minutes)
        options.addRow("Extra &rounds per stop:", self.extra_rounds)
        path_layout = QVBoxLayout(path_box)
        path_layout.addLayout(group_form)
        path_layout.addWidget(self.path_table, 1)
        path_layout.addLayout(order)
        path_layout.addLayout(options)

        self.round_minutes = _spin("roundMinutes", 1, 180, " min")
        self.transition_minutes = _spin("transitionMinutes", 0, 60, " min")
        self.rounds = _spin("rounds", 0, 30, special="as many as needed")
        self.ordered_paths = named(QCheckBox("Visit stations in path order"), "orderedPaths")
        self.start_time = named(QTimeEdit(), "startTime")
        self.end_time = named(QTimeEdit(), "endTime")
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("H:mm")
            edit.setKeyboardTracking(False)
            edit.timeChanged.connect(lambda _t: self._pace_edited())
        for spin in (self.round_minutes, self.transition_minutes, self.rounds):
            spin.valueChanged.connect(lambda _v: self._pace_edited())
        self.ordered_paths.toggled.connect(lambda _on: self._pace_edited())
        self.fast_finisher = named(QPlainTextEdit(), "fastFinisher")
        self.fast_finisher.setPlaceholderText("For example “Read your library book”.")
        self.fast_finisher.setTabChangesFocus(True)
        self.fast_finisher.setMaximumHeight(90)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self._save_text)
        self.fast_finisher.textChanged.connect(self._text_edited)

        pace_box = self.pace_panel = named(QGroupBox("Pace of the lesson"), "pacePanel")
        pace_form = QFormLayout()
        pace_form.addRow("Round &length:", self.round_minutes)
        pace_form.addRow("T&ransition:", self.transition_minutes)
        pace_form.addRow("R&ounds:", self.rounds)
        pace_form.addRow("", self.ordered_paths)
        pace_form.addRow("&Starts at:", self.start_time)
        pace_form.addRow("&Ends at:", self.end_time)
        pace_form.addRow("&Finished early?", self.fast_finisher)
        pace_layout = QVBoxLayout(pace_box)
        pace_layout.addLayout(pace_form)
        pace_layout.addStretch(1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.path_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self.move_stop(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    # --- showing -----------------------------------------------------------------

    def show_body(
        self,
        body: PlanBody,
        stations: Sequence[StationLabel],
        own_names: Mapping[str, str] | None = None,
    ) -> None:
        """Show the saved plan; the chosen group stays chosen.

        ``own_names`` names each own path ("own:<student id>" -> first name).
        """
        self._loading = True
        try:
            self._stations = list(stations)
            self._groups = [g.model_copy(deep=True) for g in body.groups]
            self._groups += [own.model_copy(deep=True) for own in body.own_paths]
            chosen = self.group_combo.currentData()
            self.group_combo.clear()
            names = own_names or {}
            # In plan order, groups then own paths, as the timetable: the same shapes.
            shapes = symbols_for([g.colour for g in self._groups])
            for group, shape in zip(self._groups, shapes, strict=True):
                key = _key(group)
                label = group.name if isinstance(group, PlanGroup) else names.get(key, "A student")
                suffix = "" if isinstance(group, PlanGroup) else " (own path)"
                self.group_combo.addItem(badge_icon(group.colour, shape), label + suffix, key)
            index = self.group_combo.findData(chosen)
            self.group_combo.setCurrentIndex(max(index, 0))
            pace = body.pace
            self.round_minutes.setValue(pace.round_minutes)
            self.transition_minutes.setValue(pace.transition_minutes)
            self.rounds.setValue(pace.rounds or 0)
            self.ordered_paths.setChecked(pace.ordered_paths)
            self.start_time.setTime(_qtime(body.start))
            self.end_time.setTime(_qtime(body.end))
            typing = self.fast_finisher.hasFocus() or self._text_timer.isActive()
            if not typing and self.fast_finisher.toPlainText() != body.fast_finisher:
                self.fast_finisher.setPlainText(body.fast_finisher)
        finally:
            self._loading = False
        self._show_group()

    def current_group(self) -> PlanGroup | OwnPath | None:
        key = self.group_combo.currentData()
        return next((g for g in self._groups if _key(g) == key), None)

    def _show_group(self) -> None:
        group = self.current_group()
        was = self._loading
        self._loading = True
        try:
            row = self.path_table.currentIndex().row()
            self.path_model.set_path(getattr(self, "_stations", []), group.path if group else [])
            if row >= 0:
                self.path_table.selectRow(min(row, self.path_model.rowCount() - 1))
            self.support_check.setChecked(bool(group and group.needs_support))
            self.teacher_round.setValue((group.teacher_round or 0) if group else 0)
            self.teacher_round.setEnabled(bool(group and group.needs_support))
            self.extra_minutes.setValue(group.extra_minutes if group else 0)
            self.extra_rounds.setValue(group.extra_rounds if group else 0)
        finally:
            self._loading = was
        for widget in (self.path_table, self.support_check, self.extra_minutes, self.extra_rounds):
            widget.setEnabled(group is not None)

    # --- edits -------------------------------------------------------------------

    def _emit_group(self, fields: dict[str, Any]) -> None:
        group = self.current_group()
        if group is not None and not self._loading:
            self.group_changed.emit(_key(group), fields)

    def _path_edited(self, path: list[PlanStop]) -> None:
        self._emit_group({"path": path})

    def move_stop(self, step: int) -> None:
        row = self.path_table.currentIndex().row()
        path = self.path_model.moved(row, step)
        if path is not None:
            self._emit_group({"path": path})
            self.path_table.selectRow(row + step)

    def _group_fields_edited(self) -> None:
        self.teacher_round.setEnabled(self.support_check.isChecked())
        self._emit_group(
            {
                "needs_support": self.support_check.isChecked(),
                "teacher_round": self.teacher_round.value() or None,
                "extra_minutes": self.extra_minutes.value(),
                "extra_rounds": self.extra_rounds.value(),
            }
        )

    def _pace_edited(self) -> None:
        if self._loading:
            return
        self.pace_changed.emit(
            {
                "round_minutes": self.round_minutes.value(),
                "transition_minutes": self.transition_minutes.value(),
                "rounds": self.rounds.value() or None,
                "ordered_paths": self.ordered_paths.isChecked(),
                "start": _time(self.start_time.time()),
                "end": _time(self.end_time.time()),
            }
        )

    def _text_edited(self) -> None:
        if not self._loading:
            self._text_timer.start()

    def flush_text(self) -> None:
        """Save typed fast-finisher instructions now if a save is pending (before printing)."""
        if self._text_timer.isActive():
            self._text_timer.stop()
            self._save_text()

    def _save_text(self) -> None:
        self.pace_changed.emit({"fast_finisher": self.fast_finisher.toPlainText()})
