"""A table model over one class's roster (``RosterService.roster``).

The rows are roster rows as the service (or, for the first paint, the quick reader)
returns them; the search text
and the "show archived" switch are passed to the service, so the filter is the same one
the command line uses. Sorting by a header click is left to a ``QSortFilterProxyModel``
(:data:`SORT_ROLE` gives it a case-insensitive key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from station_rotation.ui.models.base import AnyIndex, RowTableModel

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.first_screen import (
        FirstScreenRoster,
        RosterRow,
        StudentRow,
    )

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STUDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

HEADERS = ("Name", "Family name", "Student ID", "Supports", "Notes", "Status")
NAME, FAMILY, IDENTIFIER, SUPPORTS, NOTES, STATUS = range(len(HEADERS))


def display_name(student: StudentRow) -> str:
    """The name the teacher calls the student, with the legal given name beside it."""
    given = student.given_name
    preferred = student.preferred_name.strip()
    first = f"{preferred} ({given})" if preferred and preferred != given else given
    return f"{first} {student.family_name}".strip()


def supports_text(student: StudentRow) -> str:
    return " · ".join(label for label, on in (("IEP", student.iep), ("ELL", student.ell)) if on)


class RosterModel(RowTableModel["RosterRow"]):
    """One class's students; archived ones only when asked for, shown greyed and italic."""

    headers = HEADERS

    def __init__(self, service: FirstScreenRoster, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._class_id: str | None = None
        self.include_archived = False
        self.search = ""

    def set_class(self, class_id: str | None) -> None:
        self._class_id = class_id
        self.reload()

    def reload(self) -> None:
        """Re-read the roster with the current search and archive switch."""
        self.set_rows(
            self._service.roster(
                self._class_id, include_archived=self.include_archived, search=self.search
            )
            if self._class_id
            else []
        )

    def entry(self, row: int) -> RosterRow:
        return self.row_item(row)

    def row_of(self, student_id: str) -> int:
        for row, entry in enumerate(self._rows):
            if entry.student.id == student_id:
                return row
        return -1

    # --- QAbstractTableModel ------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.valid_row(index)
        if entry is None:
            return None
        student, column = entry.student, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(entry, column)
        if role == SORT_ROLE:
            if column == NAME:
                first = student.preferred_name or student.given_name
                return f"{first.casefold()} {student.family_name.casefold()}"
            return _text(entry, column).casefold()
        if role == STUDENT_ID_ROLE:
            return student.id
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTES and student.support_notes:
            return "Has private support notes (open the student to read them)."
        if role == Qt.ItemDataRole.FontRole and entry.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and entry.archived:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SUPPORTS, NOTES):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _text(entry: RosterRow, column: int) -> str:
    student = entry.student
    if column == NAME:
        return display_name(student)
    if column == FAMILY:
        return student.family_name
    if column == IDENTIFIER:
        return student.identifier
    if column == SUPPORTS:
        return supports_text(student)
    if column == NOTES:
        return "✎ notes" if student.support_notes.strip() else ""
    if column == STATUS:
        return "Archived" if entry.archived else ""
    return ""
