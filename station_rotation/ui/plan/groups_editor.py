"""The groups editor: one column per group with its colour, name and students.

Students move by drag and drop between the columns, or from the keyboard: select a
student and press Alt+→ / Alt+← (next / previous group), or Ctrl+M for a "Move to"
menu that the context menu also offers. Every move is a request to the page, which
saves the plan and redraws; the editor holds no truth of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.scheduling.palette import OKABE_ITO
from station_rotation.core.scheduling.symbols import symbol_for
from station_rotation.ui.group_badge import badge_icon
from station_rotation.ui.plan.members_model import STUDENT_ID_ROLE, MemberRow, MembersModel
from station_rotation.ui.plan.timeline_grid import swatch
from station_rotation.ui.widgets import named

COLUMN_MIN_WIDTH, COLUMN_MAX_WIDTH = 130, 240
OWN_COLUMN = "own-paths"  # the column of students on their own path (not a group)


@dataclass(frozen=True)
class GroupView:
    """What a column shows: the group and its members in roster order."""

    id: str
    name: str
    colour: str
    members: tuple[MemberRow, ...]
    needs_support: bool = False
    fixed: bool = False  # the own-paths column: no name or colour to edit


class GroupColumn(QFrame):
    """One group: a colour picker, its name and the list of its students."""

    def __init__(self, editor: GroupsEditor, group: GroupView) -> None:
        super().__init__()
        self.group_id = group.id
        self.setObjectName(f"groupColumn_{group.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
        self.setMaximumWidth(COLUMN_MAX_WIDTH)
        self.colour = named(QComboBox(), "groupColour")
        self.colour.setToolTip("The group's colour (the projector shows it)")
        for n, colour in enumerate(OKABE_ITO):  # each palette colour with its own shape
            self.colour.addItem(badge_icon(colour.hex, symbol_for(n)), "", colour.hex)
        self.colour.setAccessibleName("Group colour")
        self.name = named(QLineEdit(), "groupName")
        self.name.setAccessibleName("Group name")
        self.name.setMaxLength(60)
        self.count = QLabel()
        self.count.setEnabled(False)
        self.count.setWordWrap(True)
        self.model = MembersModel(group.id, editor.move_requested.emit, self)
        self.list = named(QListView(), "groupMembers")
        self.list.setModel(self.model)
        self.list.setAccessibleName(f"Students in {group.name}")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDragEnabled(True)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.installEventFilter(editor)
        self.list.customContextMenuRequested.connect(
            lambda pos: editor.open_move_menu(self, self.list.viewport().mapToGlobal(pos))
        )

        top = QHBoxLayout()
        top.addWidget(self.colour)
        top.addWidget(self.name, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.colour.activated.connect(
            lambda _i: editor.recolour_requested.emit(self.group_id, self.colour.currentData())
        )
        self.name.editingFinished.connect(self._name_done)
        self._editor = editor
        self._shown_colour = ""
        self.show_group(group)

    def show_group(self, group: GroupView) -> None:
        self.name.setReadOnly(group.fixed)
        self.colour.setEnabled(not group.fixed)
        if not self.name.hasFocus():
            self.name.setText(group.name)
        index = self.colour.findData(group.colour.upper())
        if index < 0:
            self.colour.addItem(swatch(group.colour), "", group.colour.upper())
            index = self.colour.count() - 1
        self.colour.setCurrentIndex(index)
        if group.colour != self._shown_colour:  # a style sheet costs a re-polish: only on change
            self._shown_colour = group.colour
            border = QColor(group.colour).name()
            self.setStyleSheet(f"QFrame#{self.objectName()} {{ border-top: 5px solid {border}; }}")
        present = sum(1 for m in group.members if not m.absent)
        absent = len(group.members) - present
        text = f"{present} students" + (f", {absent} absent" if absent else "")
        self.count.setText(text + ("  ·  needs support" if group.needs_support else ""))
        self.list.setAccessibleName(f"Students in {group.name}")
        selected = self.selected_student()
        self.model.set_rows(group.members)
        if selected is not None:
            self.select_student(selected)

    def _name_done(self) -> None:
        # A fixed column's name (Own paths) is read-only, but still "finishes editing" when
        # it loses focus: that is no rename (the plan service would refuse it as no group).
        text = self.name.text().strip()
        if text and not self.name.isReadOnly():
            self._editor.rename_requested.emit(self.group_id, text)

    def selected_student(self) -> str | None:
        index = self.list.currentIndex()
        if not index.isValid() or not self.list.selectionModel().isSelected(index):
            return None
        value = index.data(STUDENT_ID_ROLE)
        return str(value) if value else None

    def select_student(self, student_id: str) -> bool:
        row = self.model.row_of(student_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row, 0))
        return True


class GroupsEditor(QScrollArea):
    """Columns of groups side by side (scrolling sideways when there are many)."""

    move_requested = Signal(str, str)  # student id, group id
    rename_requested = Signal(str, str)  # group id, name
    recolour_requested = Signal(str, str)  # group id, "#RRGGBB"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsEditor")
        self.setWidgetResizable(True)
        self.columns: list[GroupColumn] = []
        self._inner = QWidget()
        self._row = QHBoxLayout(self._inner)
        self._row.setContentsMargins(2, 2, 2, 2)
        self._row.addStretch(1)
        self.setWidget(self._inner)
        self.empty = QLabel("No groups yet: choose how to form them above and press “Form groups”.")
        self.empty.setWordWrap(True)
        self._row.insertWidget(0, self.empty)
        self.last_menu: QMenu | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The keyboard alternative to dragging, on every group's list."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            column = next((c for c in self.columns if c.list is watched), None)
            if column is not None:
                alt = event.modifiers() == Qt.KeyboardModifier.AltModifier
                ctrl = event.modifiers() == Qt.KeyboardModifier.ControlModifier
                if alt and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                    self.move_selected_by(1 if event.key() == Qt.Key.Key_Right else -1, column)
                    return True
                if ctrl and event.key() == Qt.Key.Key_M:
                    self._menu_for(column)
                    return True
        return super().eventFilter(watched, event)

    def set_groups(self, groups: Sequence[GroupView]) -> None:
        """Show ``groups``; columns are kept (and so is focus) while the groups stay the same."""
        if [c.group_id for c in self.columns] != [g.id for g in groups]:
            focused = self.focused_column()
            student = focused.selected_student() if focused else None
            for column in self.columns:
                column.setParent(None)
                column.deleteLater()
            self.columns = [GroupColumn(self, group) for group in groups]
            for position, column in enumerate(self.columns):
                self._row.insertWidget(position, column, 1)
            if student is not None:
                self.focus_student(student)
        else:
            for column, group in zip(self.columns, groups, strict=True):
                column.show_group(group)
        self.empty.setVisible(not groups)

    def column_of(self, group_id: str) -> GroupColumn | None:
        return next((c for c in self.columns if c.group_id == group_id), None)

    def focused_column(self) -> GroupColumn | None:
        for column in self.columns:
            if column.list.hasFocus() or column.selected_student() is not None:
                return column
        return None

    def focus_student(self, student_id: str) -> bool:
        """Select ``student_id`` in whichever group holds them and give that list focus."""
        for column in self.columns:
            if column.select_student(student_id):
                column.list.setFocus()
                self.ensureWidgetVisible(column)
                return True
        return False

    def move_selected_by(self, step: int, column: GroupColumn | None = None) -> None:
        """Keyboard move: the selected student goes to the next (+1) or previous (-1) group."""
        column = column or self.focused_column()
        if column is None or len(self.columns) < 2:
            return
        student = column.selected_student()
        if student is None:
            return
        target = self.columns[(self.columns.index(column) + step) % len(self.columns)]
        self.move_requested.emit(student, target.group_id)
        self.focus_student(student)

    def _menu_for(self, column: GroupColumn) -> None:
        rect = column.list.visualRect(column.list.currentIndex())
        self.open_move_menu(column, column.list.viewport().mapToGlobal(rect.bottomLeft()))

    def open_move_menu(self, column: GroupColumn, where: QPoint) -> QMenu | None:
        """A "Move to" menu for the selected student of ``column``."""
        student = column.selected_student()
        if student is None:
            return None
        menu = named(QMenu(self), "moveMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for other in self.columns:
            if other is column:
                continue
            if other.group_id == OWN_COLUMN:
                continue
            icon = other.colour.itemIcon(other.colour.currentIndex())
            action = menu.addAction(icon, f"Move to {other.name.text()}")
            action.triggered.connect(
                lambda _c=False, g=other.group_id, s=student: self.move_requested.emit(s, g)
            )
        if column.group_id != OWN_COLUMN:
            menu.addSeparator()
            own = menu.addAction("Give an own path (on their own today)")
            own.triggered.connect(
                lambda _c=False, s=student: self.move_requested.emit(s, OWN_COLUMN)
            )
        self.last_menu = menu
        menu.popup(where)
        return menu
