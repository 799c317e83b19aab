"""The table of an ordered list: drag a row to reorder it, or use Ctrl/Alt + Up/Down.

The keyboard route exists so reordering does not need a mouse (or a steady hand on a
trackpad); both routes end in :meth:`OrderedListModel.move_row`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from station_rotation.ui.models.ordered_model import OrderedListModel

_MOVE_MODIFIERS = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier)


class OrderedTableView(QTableView):
    """A single-selection table whose rows the teacher can reorder."""

    move_failed = Signal(object)  # the exception the service raised

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # DragDrop, not InternalMove: the model accepts only its own row ids anyway, and
        # InternalMove ignores drops whose source is not this view (tests send real drop
        # events without a drag manager).
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)

    def ordered_model(self) -> OrderedListModel[Any]:
        model = self.model()
        assert isinstance(model, OrderedListModel)
        return model

    def move_selected(self, step: int) -> bool:
        """Move the selected row ``step`` rows (negative: up); the selection follows it."""
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if not rows:
            return False
        model = self.ordered_model()
        row = rows[0].row()
        record_id = model.record(row).id
        try:
            moved = model.move_row(row, row + step)
        except Exception as exc:  # a teacher-readable error from the service
            self.move_failed.emit(exc)
            return False
        if moved:
            self.select_row(model.row_of(record_id))
        return moved

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        index = model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers in _MOVE_MODIFIERS:
            self.move_selected(-1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)
