"""The Rotation page's "Change…" menu: change a running rotation without resetting it.

Each action is a small dialog of pickers (students, groups, stations), usable from the
keyboard: type to find in a list, Tab between fields, Enter to apply. The dialog calls
:class:`~station_rotation.services.run_changes.RunChangeService`; a refused change is
shown in the dialog in the service's words and nothing changes. A change made reports
its one-line summary through :attr:`ChangeButton.changed`; the page, the projector and
the companion follow the run's new board from the change bus.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.core.rotation.changes import RunChange
from station_rotation.services.app import AppServices
from station_rotation.services.run_changes import RunChangeService, RunStudent
from station_rotation.ui.widgets import named

_REFUSAL_STYLE = (
    "color: #8a1c12; background: #fdecea; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 8px;"
)


class ChangeAction(StrEnum):
    LATE = "late"
    GONE = "gone"
    MOVE = "move"
    MERGE = "merge"
    SPLIT = "split"
    STATION_OUT = "station_out"
    STAY = "stay"
    SKIP = "skip"


LABELS: dict[ChangeAction, str] = {
    ChangeAction.LATE: "Add a late student…",
    ChangeAction.GONE: "Mark a student gone…",
    ChangeAction.MOVE: "Move a student…",
    ChangeAction.MERGE: "Merge two groups…",
    ChangeAction.SPLIT: "Split a group…",
    ChangeAction.STATION_OUT: "Take a station out…",
    ChangeAction.STAY: "Let a group stay one more round…",
    ChangeAction.SKIP: "Let a group skip its next station…",
}


class ChangeDialog(QDialog):
    """A title, a line on what happens, pickers, and the button that makes the change."""

    changed = Signal(str)  # the change's summary

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("runChangeDialog")
        self.setWindowTitle(title)
        self.setFixedWidth(520)  # wrapped texts then know their height
        self.apply: Callable[[], RunChange] = self._no_change
        self.intro = named(QLabel(intro), "changeIntro")
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.refusal = named(QLabel(), "changeRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(_REFUSAL_STYLE)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = named(
            self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole), "changeOk"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.make_change)
        self.buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)

    def _fit_height(self) -> None:
        """As tall as the wrapped texts need at the dialog's width, no taller."""
        self._layout.activate()
        self.resize(self.width(), self._layout.totalHeightForWidth(self.width()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()
        self.ok_button.setDefault(True)  # Enter makes the change, wherever the focus is

    @staticmethod
    def _no_change() -> RunChange:
        raise NotImplementedError("build_dialog sets what the dialog applies")

    def make_change(self) -> None:
        """Apply the change; a refusal is shown here and the dialog stays open."""
        try:
            made = self.apply()
        except StationRotationError as error:
            self.refusal.setText(str(error))
            self.refusal.show()
            self._fit_height()
            return
        self.changed.emit(made.summary)
        self.accept()


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    box = named(QComboBox(), name)
    for text, data in items:
        box.addItem(text, data)
    return box


def _data(box: QComboBox) -> str:
    return str(box.currentData() or "")


def build_dialog(
    action: ChangeAction, changes: RunChangeService, run_id: str, parent: QWidget | None
) -> ChangeDialog:
    """The dialog for one action on the run as it stands now."""
    lineup = changes.lineup(run_id)
    groups = [(g.name, g.id) for g in lineup.board.groups] if lineup else []
    students = changes.students(run_id)
    group_name = dict((gid, name) for name, gid in groups)

    def who(s: RunStudent) -> str:
        return f"{s.name} ({group_name.get(s.group_id or '', '')})" if s.group_id else s.name

    in_groups = [(who(s), s.id) for s in students if s.group_id]
    if action is ChangeAction.LATE:
        dialog = ChangeDialog(
            "Add a late student",
            "The student joins a group now and follows its stations; the clock goes on.",
            "Add to group",
            parent,
        )
        waiting = [
            (f"{s.name} (gone earlier)" if s.gone else s.name, s.id)
            for s in students
            if not s.group_id
        ]
        student = _combo("changeStudent", waiting)
        group = _combo("changeGroup", groups)

        def suggest() -> None:
            for i in range(group.count()):
                group.setItemText(i, groups[i][0])
            suggested = changes.suggested_group(run_id, _data(student)) if waiting else None
            index = group.findData(suggested)
            if index >= 0:
                group.setItemText(index, f"{groups[index][0]} (suggested)")
                group.setCurrentIndex(index)

        student.currentIndexChanged.connect(suggest)
        suggest()
        dialog.form.addRow("&Student:", student)
        dialog.form.addRow("&Group:", group)
        if not waiting:
            dialog.intro.setText("Everyone on the roster is in a group already.")
        dialog.apply = lambda: changes.add_student(run_id, _data(student), _data(group))
    elif action is ChangeAction.GONE:
        dialog = ChangeDialog(
            "Mark a student gone",
            "Pulled out or sent home: the student leaves the rotation from now on, and "
            "the quick-check grid stops waiting for them.",
            "Mark gone",
            parent,
        )
        student = _combo("changeStudent", in_groups)
        dialog.form.addRow("&Student:", student)
        dialog.apply = lambda: changes.mark_gone(run_id, _data(student))
    elif action is ChangeAction.MOVE:
        dialog = ChangeDialog(
            "Move a student",
            "The student goes on with another group from now on.",
            "Move",
            parent,
        )
        student = _combo("changeStudent", in_groups)
        group = _combo("changeGroup", groups)
        dialog.form.addRow("&Student:", student)
        dialog.form.addRow("&To group:", group)
        dialog.apply = lambda: changes.move_student(run_id, _data(student), _data(group))
    elif action is ChangeAction.MERGE:
        dialog = ChangeDialog(
            "Merge two groups",
            "The second group joins the first and goes on with the first group's stations.",
            "Merge",
            parent,
        )
        keep = _combo("changeGroup", groups)
        other = _combo("changeOtherGroup", groups)
        other.setCurrentIndex(min(1, other.count() - 1))
        dialog.form.addRow("&Keep:", keep)
        dialog.form.addRow("&Merge into it:", other)
        dialog.apply = lambda: changes.merge_groups(run_id, _data(keep), _data(other))
    elif action is ChangeAction.SPLIT:
        dialog = ChangeDialog(
            "Split a group",
            "The students you tick form a new group with a colour of its own. Both stay "
            "where they are until the bell; then each goes its own way (the rounds to "
            "come are planned again).",
            "Split",
            parent,
        )
        group = _combo("changeGroup", groups)
        members = named(QListWidget(), "changeMembers")
        members.setMinimumHeight(160)

        def fill() -> None:
            members.clear()
            for s in students:
                if s.group_id == _data(group):
                    item = QListWidgetItem(s.name)
                    item.setData(Qt.ItemDataRole.UserRole, s.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                    members.addItem(item)

        def ticked() -> list[str]:
            return [
                str(members.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(members.count())
                if members.item(i).checkState() == Qt.CheckState.Checked
            ]

        group.currentIndexChanged.connect(fill)
        fill()
        dialog.form.addRow("&Group:", group)
        dialog.form.addRow("&New group:", members)
        dialog.apply = lambda: changes.split_group(run_id, _data(group), ticked())
    elif action is ChangeAction.STATION_OUT:
        dialog = ChangeDialog(
            "Take a station out",
            "For computers that are down or a table that is needed: the rounds still to "
            "come are planned again over the stations left. Rounds already run stay as "
            "they were, and the clock goes on.",
            "Take out and re-plan",
            parent,
        )
        station = _combo("changeStation", [(s.name, s.id) for s in changes.open_stations(run_id)])
        dialog.form.addRow("&Station:", station)
        dialog.apply = lambda: changes.station_out(run_id, _data(station))
    else:
        stay = action is ChangeAction.STAY
        dialog = ChangeDialog(
            "Let a group stay one more round" if stay else "Let a group skip its next station",
            "One clock for the whole room: the group stays at its station for the next "
            "round, and its later stations move one round later."
            if stay
            else "One clock for the whole room: the group leaves out its next station and "
            "goes on to the one after it.",
            "Stay" if stay else "Skip",
            parent,
        )
        where = changes.whereabouts(run_id)
        group = _combo(
            "changeGroup",
            [(f"{name} — {where[gid]}" if where.get(gid) else name, gid) for name, gid in groups],
        )
        dialog.form.addRow("&Group:", group)
        apply_to = changes.stay if stay else changes.skip
        dialog.apply = lambda: apply_to(run_id, _data(group))
    return dialog


class ChangeButton(QPushButton):
    """ "Change…  [C]": the menu of changes to the running rotation."""

    changed = Signal(str)  # a change's summary, once it is in the run's log

    def __init__(
        self,
        services: Callable[[], AppServices],
        run_id: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change…  [C]", parent)
        self.setObjectName("changeRunButton")
        self.setToolTip(
            "Change the running rotation: a late student, a pull-out, a station out, "
            "a group that needs more time (key: C)"
        )
        self.setShortcut(QKeySequence("C"))
        self._services, self._run_id = services, run_id
        self.dialog: ChangeDialog | None = None
        menu = named(QMenu(self), "changeRunMenu")
        self.actions_by_kind: dict[ChangeAction, QAction] = {}
        for action, label in LABELS.items():
            item = menu.addAction(label)
            item.triggered.connect(lambda _=False, a=action: self.open_dialog(a))
            self.actions_by_kind[action] = item
            if action in (ChangeAction.MOVE, ChangeAction.SPLIT):
                menu.addSeparator()
        self.setMenu(menu)

    def open_dialog(self, action: ChangeAction) -> ChangeDialog | None:
        run_id = self._run_id()
        if run_id is None:
            return None
        try:
            dialog = build_dialog(action, self._services().run_changes, run_id, self.window())
        except StationRotationError as error:
            self.changed.emit(str(error))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.changed)
        dialog.finished.connect(lambda _=0: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog
