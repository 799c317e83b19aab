"""Create a class or edit its details (name, subject, grade, period, school year).

Like the student dialog it saves through the service and shows a refusal inline; it is
opened with ``open()`` and reports through :attr:`ClassDialog.saved`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.services.classes import ClassService
from station_rotation.store.models import ClassSection
from station_rotation.ui.widgets import named


class ClassDialog(QDialog):
    """The form for a new class, or for the details of ``section``."""

    saved = Signal(str)  # the class's id

    def __init__(
        self,
        classes: ClassService,
        section: ClassSection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("classDialog")
        self.setWindowTitle("Class details" if section else "New class")
        self.setMinimumWidth(440)
        self._classes = classes
        self._section = section
        self.name = named(QLineEdit(), "classNameEdit")
        self.name.setPlaceholderText("For example “Math 6, period 2”")
        self.subject = named(QLineEdit(), "subjectEdit")
        self.grade = named(QLineEdit(), "classGradeEdit")
        self.period = named(QLineEdit(), "periodEdit")
        self.school_year = named(QLineEdit(), "schoolYearEdit")
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            "color: #b00020; background: #fdecea; border: 1px solid #f5c2c0;"
            " border-radius: 4px; padding: 6px; font-weight: bold;"
        )
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Subject:", self.subject)
        form.addRow("&Grade:", self.grade)
        form.addRow("&Period:", self.period)
        form.addRow("School &year:", self.school_year)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
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

    def save(self) -> None:
        """Save through the service; on a refusal, say why and keep the dialog open."""
        try:
            if self._section is None:
                section = self._classes.create_class(**self.fields())
            else:
                section = self._classes.update_class(self._section.id, **self.fields())
        except StationRotationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.name.setFocus()
            return
        self.saved.emit(section.id)
        self.accept()
