"""Add or edit one student: names, ids, supports and the teacher's private notes.

The dialog saves through the roster service itself, so a refusal (an empty given name,
say) is shown inline under the form and the teacher's typing is kept. It is opened with
``open()`` and reports through :attr:`StudentDialog.saved`; it never blocks an event loop.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from station_rotation.services.first_screen import FirstScreen, StudentRow
from station_rotation.ui.dialogs.form_dialog import RecordFormDialog
from station_rotation.ui.widgets import named


class StudentDialog(RecordFormDialog):
    """The form for a new student in ``class_id``, or for editing ``student``."""

    def __init__(
        self,
        services: FirstScreen,
        class_id: str,
        student: StudentRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("studentDialog")
        self._services = services  # the roster page is on the first screen
        self._class_id = class_id
        self._student = student
        self.setWindowTitle("Edit student" if student else "Add student")
        self.setMinimumWidth(580)

        self.given_name = named(QLineEdit(), "givenNameEdit")
        self.family_name = named(QLineEdit(), "familyNameEdit")
        self.preferred_name = named(QLineEdit(), "preferredNameEdit")
        self.preferred_name.setPlaceholderText("What the student likes to be called")
        self.source_id = named(QLineEdit(), "sourceIdEdit")
        self.identifier = named(QLineEdit(), "identifierEdit")
        self.email = named(QLineEdit(), "emailEdit")
        self.grade = named(QLineEdit(), "gradeEdit")
        self.grade.setMaximumWidth(100)
        self.iep = named(QCheckBox("IEP"), "iepCheck")
        self.ell = named(QCheckBox("ELL (English language learner)"), "ellCheck")
        self.notes = named(QPlainTextEdit(), "supportNotesEdit")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Accommodations, seating, what helps…")
        self.notes.setFixedHeight(90)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Given name:", self.given_name)
        form.addRow("&Family name:", self.family_name)
        form.addRow("&Preferred name:", self.preferred_name)
        form.addRow("Student &ID:", self.identifier)
        form.addRow("&Email:", self.email)
        form.addRow("G&rade:", self.grade)
        self.source_hint = named(
            QLabel("From the district's roster: it links this student at the next sync."),
            "sourceIdHint",
        )
        self.source_hint.setStyleSheet("color: palette(placeholder-text); font-style: italic;")
        self.source_hint.setWordWrap(True)
        self.source_hint.hide()
        source = QVBoxLayout()
        source.setSpacing(2)
        source.addWidget(self.source_id)
        source.addWidget(self.source_hint)
        source_label = QLabel("&OneRoster sourcedId:")
        source_label.setBuddy(self.source_id)
        form.addRow(source_label, source)
        supports = QHBoxLayout()
        supports.addWidget(self.iep)
        supports.addWidget(self.ell)
        supports.addStretch(1)
        form.addRow("Supports:", supports)
        notes_label = QLabel("Support &notes:")
        notes_label.setBuddy(self.notes)
        self.private_label = named(
            QLabel("Private: never shown on the projector or to students."), "notesPrivateLabel"
        )
        self.private_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.private_label.setWordWrap(True)
        notes = QVBoxLayout()
        notes.setSpacing(4)
        notes.addWidget(self.notes)
        notes.addWidget(self.private_label)
        form.addRow(notes_label, notes)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        if student is not None:
            self._fill(student)
        self.given_name.setFocus()

    def _fill(self, student: StudentRow) -> None:
        self.given_name.setText(student.given_name)
        self.family_name.setText(student.family_name)
        self.preferred_name.setText(student.preferred_name)
        self.source_id.setText(student.source_id or "")
        self.identifier.setText(student.identifier)
        self.email.setText(student.email)
        self.grade.setText(student.grade)
        self.iep.setChecked(student.iep)
        self.ell.setChecked(student.ell)
        self.notes.setPlainText(student.support_notes)
        if student.source_id:
            # The district owns this id: its next roster sync matches the student by it.
            self.source_id.setReadOnly(True)
            self.source_id.setStyleSheet("color: palette(placeholder-text);")
            self.source_hint.show()

    def fields(self) -> dict[str, Any]:
        """What the form says, in the service's field names."""
        return {
            "given_name": self.given_name.text(),
            "family_name": self.family_name.text(),
            "preferred_name": self.preferred_name.text(),
            "source_id": self.source_id.text(),
            "identifier": self.identifier.text(),
            "email": self.email.text(),
            "grade": self.grade.text(),
            "iep": self.iep.isChecked(),
            "ell": self.ell.isChecked(),
            "support_notes": self.notes.toPlainText(),
        }

    def submit(self) -> str:
        if self._student is None:
            return self._services.full().roster.add_student(self._class_id, **self.fields()).id
        return self._services.full().roster.update_student(self._student.id, **self.fields()).id

    def first_field(self) -> QWidget:
        return self.given_name
