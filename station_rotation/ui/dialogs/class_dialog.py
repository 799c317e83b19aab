"""Create a class or edit its details (name, subject, grade, period, school year).

Like the student dialog it saves through the service and shows a refusal inline; it is
opened with ``open()`` and reports through :attr:`ClassDialog.saved`.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_rotation.services.first_screen import ClassRow, FirstScreen
from station_rotation.ui.dialogs.form_dialog import RecordFormDialog
from station_rotation.ui.widgets import named


class ClassDialog(RecordFormDialog):
    """The form for a new class, or for the details of ``section``."""

    def __init__(
        self,
        services: FirstScreen,
        section: ClassRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("classDialog")
        self.setWindowTitle("Class details" if section else "New class")
        self.setMinimumWidth(440)
        self._services = services  # opened from the first screen: full() on saving only
        self._section = section
        self.name = named(QLineEdit(), "classNameEdit")
        self.name.setPlaceholderText("For example “Math 6, period 2”")
        self.subject = named(QLineEdit(), "subjectEdit")
        self.grade = named(QLineEdit(), "classGradeEdit")
        self.period = named(QLineEdit(), "periodEdit")
        self.school_year = named(QLineEdit(), "schoolYearEdit")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Subject:", self.subject)
        form.addRow("&Grade:", self.grade)
        form.addRow("&Period:", self.period)
        form.addRow("School &year:", self.school_year)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        if section is not None:
            for edit, value in (
                (self.name, section.name),
                (self.subject, section.subject),
                (self.grade, section.grade),
                (self.period, section.period),
                (self.school_year, section.school_year),
            ):
                edit.setText(value)
        self.name.setFocus()

    def fields(self) -> dict[str, str]:
        return {
            "name": self.name.text(),
            "subject": self.subject.text(),
            "grade": self.grade.text(),
            "period": self.period.text(),
            "school_year": self.school_year.text(),
        }

    def submit(self) -> str:
        if self._section is None:
            return self._services.full().classes.create_class(**self.fields()).id
        return self._services.full().classes.update_class(self._section.id, **self.fields()).id

    def first_field(self) -> QWidget:
        return self.name
