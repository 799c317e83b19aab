"""The grid's keys: one key per student.

=================  ==================================================================
Key                What it does
=================  ==================================================================
digit              set the level of the current cell, then go to the next student.
                   The digit is the level's own number on the target's scale:
                   1-4 mastery (1 Beginning … 4 Advanced); three-level scales type
                   1 = Not yet, 2 = Almost, 3 = Got it (lowest first, as everywhere);
                   custom scales 1 = their first label; points 0-N type the points.
                   On a points scale above 9 the digits of one number are collected
                   until no longer number fits or the keyboard rests for 0.8 s.
A                  absent, then the next student
Backspace, Delete, undo the last entry (a correction record; history keeps both)
Ctrl+Z
N, Enter           a note for the check in the current cell
arrows, Home, End  move (left/right choose the learning target)
=================  ==================================================================

With :attr:`QuickCheckGrid.paper_mode` on ("From paper", ui/checks/paper_entry.py) a
level moves on to the next box of the printed sheet instead of the next student, and
Enter or Tab skips a box (Shift+Enter, Shift+Tab: back one); N still adds a note.

The view only turns keys into intents (signals); the page saves.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from station_rotation.ui.checks.entry_model import QuickCheckGridModel

DIGIT_PAUSE_MS = 800
OUTLINE = "#111111"
TEXT_INSET = 6


class LevelDelegate(QStyledItemDelegate):
    """Keeps the level's colour on the current cell and marks it with a thick outline.

    The usual selection fill would hide the colour of the very cell being checked.
    """

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        plain = QStyleOptionViewItem(option)
        current = bool(option.state & QStyle.StateFlag.State_HasFocus) or bool(
            option.state & QStyle.StateFlag.State_Selected
        )
        plain.state &= ~(QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        if current:  # the view already filled the selected cell's panel: paint it over
            painter.fillRect(option.rect, option.palette.base())
        fill = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(fill, QColor):
            painter.fillRect(option.rect, fill)
        plain.rect = option.rect.adjusted(TEXT_INSET, 0, 0, 0)  # text off the outline
        super().paint(painter, plain, index)
        if current:
            painter.save()
            pen = QPen(QColor(OUTLINE), 3)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()


class QuickCheckGrid(QTableView):
    """A table that takes levels from the keyboard instead of editing cells."""

    level_typed = Signal(int)
    absent_typed = Signal()
    undo_requested = Signal()
    note_requested = Signal()
    step_requested = Signal(int)  # paper mode: move this many boxes in the sheet's order

    def __init__(self, model: QuickCheckGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._grid_model = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)
        self.verticalHeader().setHighlightSections(True)
        self._delegate = LevelDelegate(self)  # kept: the view does not own its delegate
        self.setItemDelegate(self._delegate)
        self._digits = ""
        self._digit_timer = QTimer(self)
        self._digit_timer.setSingleShot(True)
        self._digit_timer.setInterval(DIGIT_PAUSE_MS)
        self._digit_timer.timeout.connect(self.flush_digits)
        self.paper_mode = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        plain = not (
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        if plain and len(text) == 1 and text.isdigit():
            self._digit(text)
            return
        pending = bool(self._digits)  # Enter after "1", "0" on a 0-10 scale saves the 10
        self.flush_digits()
        if event.matches(QKeySequence.StandardKey.Undo) or (
            plain and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
        ):
            self.undo_requested.emit()
        elif plain and key == Qt.Key.Key_A:
            self.absent_typed.emit()
        elif self.paper_mode and (step := self._paper_step(event)) is not None:
            if not pending:  # the saved number already moved the cursor on
                self.step_requested.emit(step)
        elif plain and key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.note_requested.emit()
        elif plain and len(text) == 1 and text.isprintable() and not text.isspace():
            event.accept()  # no type-ahead search: a stray letter must not move the cursor
        else:
            super().keyPressEvent(event)

    @staticmethod
    def _paper_step(event: QKeyEvent) -> int | None:
        """Paper mode: Enter/Tab one box on, with Shift one back; None for other keys."""
        key = event.key()
        if key == Qt.Key.Key_Backtab:
            return -1
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            return None
        return -1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.paper_mode:  # Tab walks the sheet's boxes, not the page's widgets
            return False
        return super().focusNextPrevChild(next)

    def flush_digits(self) -> None:
        """Save the digits collected so far on a points scale above 9."""
        self._digit_timer.stop()
        if self._digits:
            value, self._digits = int(self._digits), ""
            self.level_typed.emit(value)

    def _digit(self, digit: str) -> None:
        target = self._grid_model.target_at(self.currentIndex().column())
        top = target.scale.values[-1] if target else 9
        typed = self._digits + digit
        if top <= 9 or typed == "0" or int(typed) * 10 > top:  # nothing longer fits: save
            self._digits = ""
            self._digit_timer.stop()
            self.level_typed.emit(int(typed))
        else:
            self._digits = typed
            self._digit_timer.start()

    def move_down(self) -> None:
        """To the next student in the same column (stays on the last one); a student
        marked absent today is skipped, not waited for."""
        index = self.currentIndex()
        model = self.model()
        row: int | None = index.row() + 1
        if isinstance(model, QuickCheckGridModel):
            row = model.first_present_row(index.row() + 1)
        below = index.siblingAtRow(row) if row is not None else QModelIndex()
        if below.isValid():
            self.setCurrentIndex(below)

    def go_to(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
