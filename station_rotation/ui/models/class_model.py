"""A table model over the teacher's classes, with each class's active student count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from station_rotation.ui.models.base import AnyIndex, RowTableModel

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.first_screen import ClassRow, FirstScreen

CLASS_ID_ROLE = Qt.ItemDataRole.UserRole + 2

HEADERS = ("Class", "Subject", "Grade", "Period", "Students", "Status")
NAME, SUBJECT, GRADE, PERIOD, STUDENTS, STATUS = range(len(HEADERS))


class ClassListModel(RowTableModel["tuple[ClassRow, int]"]):
    """The teacher's classes by name; archived classes only when asked for."""

    headers = HEADERS

    def __init__(self, services: FirstScreen, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.include_archived = False
        self.current_id: str | None = None  # the window's class, shown in bold

    def reload(self) -> None:
        classes = self._services.classes.list_classes(include_archived=self.include_archived)
        counts = self._services.classes.active_student_counts()
        self.set_rows([(c, counts.get(c.id, 0)) for c in classes])

    def section(self, row: int) -> ClassRow:
        return self.row_item(row)[0]

    def row_of(self, class_id: str) -> int:
        for row, (section, _count) in enumerate(self._rows):
            if section.id == class_id:
                return row
        return -1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.valid_row(index)
        if item is None:
            return None
        section, count = item
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
