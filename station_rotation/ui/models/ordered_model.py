"""A table model over one class's ordered list (stations, learning targets).

The rows are the service's records in the teacher's order. Reordering, by a drag in the
view or by the keyboard, goes through :meth:`OrderedListModel.move_row`, which asks the
service to move the record and then moves the row with ``beginMoveRows`` so the view's
selection follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from station_rotation.services.classes.ordered import OrderedListService, RecordT

ROW_MIME_TYPE = "application/x-station-rotation-record-id"

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[RecordT]):
    """One column: its header and how a record is shown in it."""

    header: str
    text: Callable[[RecordT], str]
    align_right: bool = False


class OrderedListModel(QAbstractTableModel, Generic[RecordT]):
    """The records of ``service`` for one class; active rows first, archived rows last."""

    def __init__(
        self,
        service: OrderedListService[RecordT],
        columns: Sequence[Column[RecordT]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._columns = tuple(columns)
        self._records: list[RecordT] = []
        self._class_id: str | None = None
        self._include_archived = False

    # --- loading ------------------------------------------------------------------

    def set_class(self, class_id: str | None, *, include_archived: bool = False) -> None:
        self._class_id = class_id
        self._include_archived = include_archived
        self.reload()

    def reload(self) -> None:
        """Re-read the records from the service (a reset: views keep selection by id)."""
        self.beginResetModel()
        self._records = (
            self._service.list_for(self._class_id, include_archived=self._include_archived)
            if self._class_id
            else []
        )
        self.endResetModel()

    def record(self, row: int) -> RecordT:
        return self._records[row]

    def row_of(self, record_id: str) -> int:
        """The row showing ``record_id``, or -1."""
        for row, record in enumerate(self._records):
            if record.id == record_id:
                return row
        return -1

    @property
    def active_count(self) -> int:
        return sum(1 for record in self._records if not _archived(record))

    # --- reordering ---------------------------------------------------------------

    def move_row(self, row: int, new_row: int) -> bool:
        """Move the record at ``row`` to ``new_row`` among the active ones (saved at once)."""
        if not 0 <= row < len(self._records) or _archived(self._records[row]):
            return False
        new_row = max(0, min(new_row, self.active_count - 1))
        if new_row == row:
            return False
        record = self._records[row]
        self._service.move(record.id, new_row)  # raises a teacher-readable error on failure
        # beginMoveRows wants the row the moved one will be inserted *before*.
        destination = new_row + 1 if new_row > row else new_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._records.insert(new_row, self._records.pop(row))
        self.endMoveRows()
        return True

    def moveRows(
        self,
        sourceParent: AnyIndex,
        sourceRow: int,
        count: int,
        destinationParent: AnyIndex,
        destinationChild: int,
    ) -> bool:
        """Qt's move API (used by views on an internal drop): one row at a time."""
        if count != 1 or sourceParent.isValid() or destinationParent.isValid():
            return False
        target = destinationChild - 1 if destinationChild > sourceRow else destinationChild
        return self.move_row(sourceRow, target)

    # --- drag and drop ------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        if rows:
            data.setData(ROW_MIME_TYPE, QByteArray(self._records[rows[0]].id.encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(ROW_MIME_TYPE)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """A row dropped between rows (``row``) or onto a row (``parent``) moves there."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self.row_of(bytes(data.data(ROW_MIME_TYPE).data()).decode())
        if source < 0:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else self.active_count
            if parent.isValid() and row > source:
                row += 1  # dropped onto a lower row: land after it
        target = row - 1 if row > source else row
        self.move_row(source, target)
        # The row is already moved; the view must not remove the "source" row as well
        # (this model has no removeRows, so a MoveAction's clean-up is a no-op).
        return True

    # --- the table ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not _archived(self._records[index.row()]):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = column.text(record)
            if index.column() == 0 and _archived(record) and role == Qt.ItemDataRole.DisplayRole:
                text += " (archived)"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and _archived(record):
            palette = QApplication.palette()
            return QBrush(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._records):
            return str(section + 1)
        return None


def _archived(record: Any) -> bool:
    return bool(record.archived)
