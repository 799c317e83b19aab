"""Small forms for a plan's name and date: new plan, copy ("same as last Tuesday"), rename.

They open with ``open()`` (never ``exec()``) and report through ``submitted``; the page
does the saving, so a refused name shows in the dialog and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from station_rotation.ui.widgets import named


class PlanNameDialog(QDialog):
    """Name, optional lesson date and (for a new plan) a template to start from."""

    submitted = Signal(str, object, object)  # name, date | None, template id | None

    def __init__(
        self,
        parent: QWidget,
        *,
        title: str,
        ok_text: str,
        name: str,
        lesson_date: date | None,
        templates: Sequence[tuple[str, str]] = (),
        ask_date: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planNameDialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.name_edit = named(QLineEdit(name), "planName")
        self.name_edit.setMaxLength(200)
        self.name_edit.selectAll()
        self.dated = named(QCheckBox("For the lesson on"), "planDated")
        self.date_edit = named(QDateEdit(), "planDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        day = lesson_date or date.today()
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.dated.setChecked(lesson_date is not None or not ask_date)
        self.dated.toggled.connect(self.date_edit.setEnabled)
        self.date_edit.setEnabled(self.dated.isChecked())
        self.template_combo = named(QComboBox(), "planTemplate")
        self.template_combo.addItem("The class's stations, 4 balanced groups", None)
        for template_id, template_name in templates:
            self.template_combo.addItem(f"Template: {template_name}", template_id)
        self.error = named(QLabel(), "dialogError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        ok.setObjectName("dialogOk")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Name:", self.name_edit)
        if ask_date:
            form.addRow(self.dated, self.date_edit)
        if templates or title.startswith("New"):
            form.addRow("&Start from:", self.template_combo)
        form.addRow(self.error)
        form.addRow(buttons)

    def lesson_date(self) -> date | None:
        if not self.dated.isChecked():
            return None
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def _submit(self) -> None:
        self.submitted.emit(
            self.name_edit.text(), self.lesson_date(), self.template_combo.currentData()
        )

    def refuse(self, message: str) -> None:
        """Keep the dialog open and say why the page could not save."""
        self.error.setText(message)
        self.error.show()
