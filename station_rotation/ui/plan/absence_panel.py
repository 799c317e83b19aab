"""Absent today: the class roster with a check box per student.

Ticking a box is a request (``absence_toggled``); the page saves it and the timetable
re-plans at once. The list shows what the saved plan says, never its own state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from station_rotation.ui.models.base import AnyIndex
from station_rotation.ui.plan.members_model import STUDENT_ID_ROLE, MemberRow
from station_rotation.ui.widgets import named


class AbsenceModel(QAbstractListModel):
    """The roster with a check state: checked means absent today."""

    absence_toggled = Signal(str, bool)  # student id, absent

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberRow] = []

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, student_id: str) -> int:
        return next((r for r, row in enumerate(self._rows) if row.id == student_id), -1)

    def absent_count(self) -> int:
        return sum(1 for row in self._rows if row.absent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.absent else Qt.CheckState.Unchecked
        if role == STUDENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name} is {'absent' if row.absent else 'here'} today"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        absent = Qt.CheckState(value) == Qt.CheckState.Checked
        row = self._rows[index.row()]
        if absent != row.absent:
            self.absence_toggled.emit(row.id, absent)
        return True


class AbsencePanel(QWidget):
    """Heading, count and the check list; Space toggles the selected student."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AbsenceModel(self)
        self.heading = named(QLabel(), "absentHeading")
        self.list = named(QListView(), "absenceList")
        self.list.setModel(self.model)
        self.list.setAccessibleName("Absent today")
        self.list.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.set_rows(())

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        current = self.list.currentIndex().row()
        self.model.set_rows(rows)
        if 0 <= current < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(current, 0))
        count = self.model.absent_count()
        self.heading.setText(
            f"<b>Absent today</b> ({count})" if count else "<b>Absent today</b> (tick who is away)"
        )
