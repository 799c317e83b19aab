"""A table model over the teacher's classes, with each class's active student count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from station_rotation.services.app import AppServices
from station_rotation.store.models import ClassSection

AnyIndex = QModelIndex | QPersistentModelIndex
CLASS_ID_ROLE = Qt.ItemDataRole.UserRole + 2

HEADERS = ("Class", "Subject", "Grade", "Period", "Students", "Status")
NAME, SUBJECT, GRADE, PERIOD, STUDENTS, STATUS = range(len(HEADERS))


class ClassListModel(QAbstractTableModel):
    """The teacher's classes by name; archived classes only when asked for."""

    def __init__(self, services: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._rows: list[tuple[ClassSection, int]] = []
        self.include_archived = False
        self.current_id: str | None = None  # the window's class, shown in bold

    def reload(self) -> None:
        self.beginResetModel()
        classes = self._services.classes.list_classes(include_archived=self.include_archived)
        self._rows = [(c, len(self._services.roster.roster(c.id))) for c in classes]
        self.endResetModel()

    def section(self, row: int) -> ClassSection:
        return self._rows[row][0]

    def row_of(self, class_id: str) -> int:
        for row, (section, _count) in enumerate(self._rows):
            if section.id == class_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        section, count = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = (
                section.name,
                section.subject,
                section.grade,
                section.period,
                str(count),
                "Archived" if section.archived else "",
            )
            return texts[column] if 0 <= column < len(texts) else None
        if role == CLASS_ID_ROLE:
            return section.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == STUDENTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (section.archived or section.id == self.current_id):
            font = QFont()
            font.setItalic(section.archived)
            font.setBold(section.id == self.current_id)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and section.archived:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        return None
