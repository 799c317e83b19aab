"""One group's students as a list model that can be dragged from and dropped onto.

A drop does not change the list itself: it asks the page (through ``on_drop``) to move
the student in the plan, and the page redraws every group from the saved plan. So the
lists never disagree with the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from station_rotation.ui.models.base import AnyIndex

STUDENT_MIME = "application/x-station-rotation-student"
STUDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    absent: bool = False


class MembersModel(QAbstractListModel):
    """The members of group ``group_id``; absent ones greyed and marked."""

    def __init__(
        self,
        group_id: str,
        on_drop: Callable[[str, str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.group_id = group_id
        self._on_drop = on_drop
        self._rows: list[MemberRow] = []

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, student_id: str) -> int:
        return next((r for r, row in enumerate(self._rows) if row.id == student_id), -1)

    def member(self, row: int) -> MemberRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name} (absent)" if row.absent else row.name
        if role == STUDENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and row.absent:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and row.absent:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [STUDENT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [self._rows[i.row()].id for i in indexes if i.isValid()]
        mime.setData(STUDENT_MIME, "\n".join(ids).encode())
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return data.hasFormat(STUDENT_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not data.hasFormat(STUDENT_MIME):
            return False
        ids = [i for i in bytes(data.data(STUDENT_MIME).data()).decode().split("\n") if i]
        moved = [i for i in ids if self.row_of(i) < 0]
        for student_id in moved:
            # Later, not inside the drop: the move redraws the lists the drag came from.
            QTimer.singleShot(0, lambda s=student_id: self._on_drop(s, self.group_id))
        return bool(moved)

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return False  # the page redraws from the saved plan; a view never removes a member
