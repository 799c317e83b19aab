"""The Learning targets page: what the class works on, and the scale each is scored on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from station_rotation.core.scales import DEFAULT_SCALE
from station_rotation.services.classes.ordered import OrderedListService
from station_rotation.services.records import LearningTarget
from station_rotation.ui.dialogs.standards_dialog import StandardsImportDialog
from station_rotation.ui.models.ordered_model import Column
from station_rotation.ui.pages.editor_base import OrderedEditorPage
from station_rotation.ui.pages.scale_editor import ScaleEditor, scale_name
from station_rotation.ui.widgets import named


class TargetsPage(OrderedEditorPage[LearningTarget]):
    """List, order and edit the class's "I can..." targets; archive finished ones."""

    title = "Learning targets"
    entity = "learning_target"
    noun = "learning target"

    def service(self) -> OrderedListService[LearningTarget]:
        return self.services.targets

    def columns(self) -> Sequence[Column[LearningTarget]]:
        return (
            Column("Code", lambda t: t.code),
            Column("I can…", lambda t: t.statement),
            Column("Scale", lambda t: scale_name(t.scale)),
        )

    def extra_buttons(self) -> Sequence[QWidget]:
        self.standards_button = named(
            QPushButton("Import from standards…"), "importStandardsButton"
        )
        self.standards_button.setToolTip(
            "Add learning targets from your state's standards (a CASE JSON file)"
        )
        self.standards_button.clicked.connect(self.open_standards_import)
        self.standards_dialog: StandardsImportDialog | None = None
        return (self.standards_button,)

    def open_standards_import(self) -> StandardsImportDialog | None:
        """Open the standards import for this class (non-blocking); the page redraws
        after each import."""
        if self.class_id is None:
            return None
        dialog = StandardsImportDialog(self.services, self.class_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _result: self.reload())
        dialog.destroyed.connect(lambda: setattr(self, "standards_dialog", None))
        self.standards_dialog = dialog
        dialog.open()
        return dialog

    def reload(self) -> None:
        super().reload()
        self.standards_button.setEnabled(self.class_id is not None)

    def configure_table(self, header: QHeaderView) -> None:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def build_form(self, form: QFormLayout) -> None:
        self.code_edit = named(QLineEdit(), "targetCode")
        self.code_edit.setPlaceholderText("For example 6.RP.1 (optional)")
        self.statement_edit = named(QPlainTextEdit(), "targetStatement")
        self.statement_edit.setPlaceholderText("I can …")
        self.statement_edit.setTabChangesFocus(True)
        self.statement_edit.setFixedHeight(80)
        self.scale_editor = named(ScaleEditor(), "targetScale")
        form.addRow("&Code:", self.code_edit)
        form.addRow("&Statement:", self.statement_edit)
        form.addRow("Sc&ale:", self.scale_editor)
        self.watch(self.code_edit)
        self.watch(self.statement_edit)
        self.scale_editor.changed.connect(self.mark_dirty)

    def fill_form(self, record: LearningTarget | None) -> None:
        self.code_edit.setText(record.code if record else "")
        self.statement_edit.setPlainText(record.statement if record else "I can ")
        self.scale_editor.set_spec(record.scale if record else DEFAULT_SCALE)

    def form_values(self) -> dict[str, Any]:
        return dict(
            code=self.code_edit.text(),
            statement=self.statement_edit.toPlainText(),
            scale=self.scale_editor.spec(),
        )

    def record_label(self, record: LearningTarget) -> str:
        return record.code or f"“{record.statement[:40]}”"
