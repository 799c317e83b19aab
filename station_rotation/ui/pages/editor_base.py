"""A page that edits a class's ordered list: the table on the left, a form on the right.

Stations and learning targets behave the same way, so the behaviour lives here once:
add, select, edit, save (explicitly, or when the teacher moves to another row), reorder,
archive and restore. A subclass says which service it edits, which columns the table
shows, and how its form reads and shows a record.

What is saved is always visible: the status line under the form says "Unsaved changes"
while the form differs from the file and names the record once it is saved; a refused
save leaves the file untouched and shows the reason in plain words beside the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.services.classes.ordered import OrderedListService, RecordT
from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.models.ordered_model import Column, OrderedListModel
from station_rotation.ui.pages.base import Page
from station_rotation.ui.pages.ordered_table import OrderedTableView
from station_rotation.ui.widgets import ERROR_STYLE, named

SAVED_STYLE = "color: #1b5e20;"
DIRTY_STYLE = "color: #8a5a00;"


class OrderedEditorPage(Page, Generic[RecordT]):
    """The shared list-and-form page; see the module docstring."""

    entity = ""  # table name whose changes redraw this page
    noun = ""  # "station": used in buttons and messages

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self._editing_id: str | None = None
        self._adding = False
        self._dirty = False
        self._loading = False

        self.model: OrderedListModel[RecordT] = OrderedListModel(
            self.service(), self.columns(), self
        )
        self.table = named(OrderedTableView(), f"{self.noun.replace(' ', '')}Table")
        self.table.setModel(self.model)
        self.table.move_failed.connect(self._show_problem)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.model.modelReset.connect(self._restore_selection)
        self.configure_table(self.table.horizontalHeader())

        self.add_button = named(QPushButton(f"Add {self.noun}"), "addButton")
        self.add_button.clicked.connect(self.start_adding)
        self.archive_button = named(QPushButton("Archive"), "archiveButton")
        self.archive_button.clicked.connect(self.toggle_archived)
        self.show_archived = named(QCheckBox("Show archived"), "showArchived")
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        hint = QLabel(
            "To change the order, drag a row, or select it and press Ctrl+↑ / Ctrl+↓. "
            "The order is saved at once."
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)  # greyed: a hint, not content

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.archive_button)
        for extra in self.extra_buttons():
            buttons.addWidget(extra)
        buttons.addStretch(1)
        buttons.addWidget(self.show_archived)
        left = QVBoxLayout()
        left.addLayout(buttons)
        left.addWidget(self.table, 1)
        left.addWidget(self.empty_label)
        left.addWidget(hint)

        self.details = named(QGroupBox(), "details")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.build_form(self.form)
        self.error_label = named(QLabel(), "formError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.status_label = named(QLabel(), "saveStatus")
        self.status_label.setWordWrap(True)
        self.save_button = named(QPushButton("Save"), "saveButton")
        self.save_button.setToolTip("Save the changes in this form (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = named(QPushButton("Discard changes"), "revertButton")
        self.revert_button.clicked.connect(self.revert)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.revert_button)
        form_buttons.addWidget(self.save_button)
        details_layout = QVBoxLayout(self.details)
        details_layout.addLayout(self.form)
        details_layout.addWidget(self.error_label)
        details_layout.addStretch(1)
        details_layout.addWidget(self.status_label)
        details_layout.addLayout(form_buttons)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.details, 2)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        self._show_form(None)

    # --- what a subclass provides -------------------------------------------------

    def service(self) -> OrderedListService[RecordT]:
        raise NotImplementedError

    def columns(self) -> Sequence[Column[RecordT]]:
        raise NotImplementedError

    def build_form(self, form: QFormLayout) -> None:
        """Add the fields to ``form`` and :meth:`watch` each of them."""
        raise NotImplementedError

    def fill_form(self, record: RecordT | None) -> None:
        """Show ``record`` in the fields (None: the defaults of a new record)."""
        raise NotImplementedError

    def form_values(self) -> dict[str, Any]:
        """The fields as keyword arguments for the service's create/update."""
        raise NotImplementedError

    def record_label(self, record: RecordT) -> str:
        """How the status line names a record."""
        raise NotImplementedError

    def extra_buttons(self) -> Sequence[QWidget]:
        """More buttons beside Add and Archive (default: none)."""
        return ()

    def configure_table(self, header: QHeaderView) -> None:
        """Size the columns (default: the first one stretches)."""
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def watch(self, widget: QWidget) -> None:
        """Mark the form as changed when the teacher edits ``widget``."""
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(self.mark_dirty)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self.mark_dirty)
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(self.mark_dirty)
        else:
            raise TypeError(f"cannot watch {type(widget).__name__}")

    # --- state ----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def current_record(self) -> RecordT | None:
        row = self.model.row_of(self._editing_id) if self._editing_id else -1
        return self.model.record(row) if row >= 0 else None

    def set_class(self, class_id: str | None) -> None:
        if class_id != self.class_id:
            if self._dirty:
                self.save()  # as when moving to another row; a refused edit is dropped
            self._editing_id = None
            self._adding = False
            self._dirty = False
        super().set_class(class_id)

    def reload(self) -> None:
        self.model.set_class(self.class_id, include_archived=self.show_archived.isChecked())
        count = self.model.rowCount()
        self.empty_label.setText(
            f"This class has no {self.noun}s yet. Press “Add {self.noun}” to create one."
            if self.class_id and count == 0 and not self.show_archived.isChecked()
            else ""
        )
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self.add_button.setEnabled(self.class_id is not None)
        if self._editing_id and self.model.row_of(self._editing_id) < 0 and not self._dirty:
            self._editing_id = None  # archived or deleted elsewhere
        if not self._dirty and not self._adding:
            status = (self.status_label.text(), self.status_label.styleSheet())
            record = self.current_record()
            self._show_form(record)
            if record is not None:  # keep "Saved …" visible after the redraw
                self._set_status(*status)
        if self._editing_id is None and not self._adding and count:
            self.table.select_row(0)  # something to look at, and the form is not empty
        self._update_archive_button()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(self.entity, "class_section"):
            self.reload()

    # --- actions ------------------------------------------------------------------

    def start_adding(self) -> None:
        """Show an empty form; the record is created when the teacher saves it."""
        if self._dirty and not self.save():
            return
        self._adding = True
        self._editing_id = None
        self._select_id(None)  # clears the current row too, so clicking it selects it
        self._show_form(None)
        self._first_field().setFocus()

    def save(self) -> bool:
        """Write the form to the file; on a refusal show why and keep the form as it is."""
        if self.class_id is None or (not self._adding and self._editing_id is None):
            return False
        try:
            values = self.form_values()
            if self._adding:
                record = self.service().create(self.class_id, **values)
            else:
                assert self._editing_id is not None
                record = self.service().update(self._editing_id, **values)
        except Exception as exc:
            self._show_problem(exc)
            return False
        self._adding = False
        self._dirty = False
        self._editing_id = record.id
        self.reload()
        self._show_form(self.current_record())
        self._set_status(f"Saved {self.record_label(record)}.", SAVED_STYLE)
        return True

    def revert(self) -> None:
        """Forget the edits in the form and show the saved record again."""
        self._adding = False
        self._dirty = False
        if self._editing_id is None and self.model.rowCount():
            self._editing_id = self.model.record(0).id
        self._select_id(self._editing_id)
        self._show_form(self.current_record())

    def toggle_archived(self) -> None:
        """Archive the selected record (it leaves rotations), or restore it."""
        if self._dirty and not self.save():
            return
        record = self.current_record()
        if record is None:
            return
        archived = not bool(getattr(record, "archived", False))
        row = self.table.currentIndex().row()
        try:
            self.service().set_archived(record.id, archived)
        except Exception as exc:
            self._show_problem(exc)
            return
        self.reload()
        if self.model.row_of(record.id) < 0:  # hidden now: select its neighbour
            self._editing_id = None
            self.table.select_row(min(row, self.model.rowCount() - 1))
        verb = "Archived" if archived else "Restored"
        self._set_status(f"{verb} {self.record_label(record)}.", SAVED_STYLE)

    # --- internals ------------------------------------------------------------------

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        new_id = self.model.record(current.row()).id if current.isValid() else None
        if new_id == self._editing_id and not self._adding:
            return
        if self._dirty and not self.save():
            # Stay on the form the teacher must fix. Deferred: the selection model is
            # still emitting this change and would override a selection made now.
            QTimer.singleShot(0, self, lambda: self._select_id(self._editing_id))
            return
        self._adding = False
        self._editing_id = new_id
        self._show_form(self.current_record())

    def _restore_selection(self) -> None:
        self._select_id(self._editing_id)

    def _select_id(self, record_id: str | None) -> None:
        row = self.model.row_of(record_id) if record_id else -1
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            self.table.select_row(row)
        else:
            selection.clear()  # no selected row and no current row
        selection.blockSignals(False)
        self.table.viewport().update()

    def _show_form(self, record: RecordT | None) -> None:
        self._loading = True
        try:
            self.fill_form(record)
        finally:
            self._loading = False
        self._dirty = False
        editable = record is not None or self._adding
        self.details.setEnabled(editable)
        if self._adding:
            self.details.setTitle(f"New {self.noun}")
            self.save_button.setText(f"Add {self.noun}")
            self.revert_button.setText("Cancel")
        else:
            self.revert_button.setText("Discard changes")
            self.details.setTitle(f"{self.noun.capitalize()} details")
            self.save_button.setText("Save")
        self.error_label.hide()
        if self._adding:
            self._set_status(f"Fill in the {self.noun} and press “Add {self.noun}”.", "")
        elif record is None:
            self._set_status(f"Select a {self.noun} to edit it.", "")
        else:
            self._set_status("All changes saved.", SAVED_STYLE)
        self.save_button.setEnabled(self._adding)
        self.revert_button.setEnabled(self._adding)
        self._update_archive_button()

    def mark_dirty(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.save_button.setEnabled(True)
        self.revert_button.setEnabled(True)
        if not self._adding:
            self._set_status("Unsaved changes: press Save (Ctrl+S).", DIRTY_STYLE)

    def _show_problem(self, error: object) -> None:
        if isinstance(error, StationRotationError):
            text = str(error)
        else:
            text = f"Something went wrong: {error}. Nothing was saved."
        self.error_label.setText(f"Not saved. {text}")
        self.error_label.show()

    def _set_status(self, text: str, style: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)

    def _update_archive_button(self) -> None:
        record = self.current_record()
        archived = bool(getattr(record, "archived", False))
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setEnabled(record is not None and not self._adding)

    def _first_field(self) -> QWidget:
        item = self.form.itemAt(0, QFormLayout.ItemRole.FieldRole)
        widget = item.widget() if item is not None else None
        return widget if widget is not None else self
