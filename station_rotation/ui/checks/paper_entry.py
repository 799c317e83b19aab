"""“From paper”: type a day's record sheet back in, one key per box, in the sheet's order.

The printed sheet (ui/plan/paper_sheet.py) is read student by student, target by target,
band by band (core/record_sheet.py). With this mode on, the grid's cursor walks the same
way: a level's digit or A saves the box (through the grid's own session: the same
durable save as any entry) and moves to the next box; Enter or Tab skips an empty box,
Shift+Enter goes back one; the arrows still move freely.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QPushButton

from station_rotation.core.record_sheet import next_box
from station_rotation.ui.checks.entry_view import QuickCheckGrid
from station_rotation.ui.widgets import named

HINT = "then the next box of the sheet · Enter: an empty box · Shift+Enter: back one · ⌫ undo"


class PaperWalk(QObject):
    """The “From paper” toggle and the walk of the grid's cursor through the sheet's boxes."""

    toggled = Signal(bool)
    finished = Signal()  # the last box of the sheet was typed or skipped

    def __init__(self, grid: QuickCheckGrid) -> None:
        super().__init__(grid)
        self._grid = grid
        self.button = named(QPushButton("From &paper"), "fromPaperButton")
        self.button.setCheckable(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the grid
        self.button.setToolTip(
            "Type a printed class record sheet back in: one key per box, in the sheet's order"
        )
        self.button.toggled.connect(self._switch)
        grid.step_requested.connect(self.step)

    @property
    def on(self) -> bool:
        return self.button.isChecked()

    def _switch(self, on: bool) -> None:
        self._grid.paper_mode = on
        if on:
            self._grid.go_to(0, 0)  # the sheet's first box
        self._grid.setFocus()
        self.toggled.emit(on)

    def step(self, steps: int = 1) -> bool:
        """Move ``steps`` boxes on in the sheet's order; False (and :attr:`finished` when
        going forward) at either end."""
        model = self._grid.model()
        index = self._grid.currentIndex()
        here = (max(index.row(), 0), max(index.column(), 0))
        box = next_box(here, model.rowCount(), model.columnCount(), steps)
        if box is None:
            if steps > 0:
                self.finished.emit()
            return False
        self._grid.go_to(*box)
        return True
