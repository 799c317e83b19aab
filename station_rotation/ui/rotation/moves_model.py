"""Now / next for every group, as a table the teacher glances at during a run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon

from station_rotation.core.rotation.board import BoardStation, GroupMove
from station_rotation.core.scheduling.symbols import Symbol, symbols_for
from station_rotation.ui.group_badge import badge_icon
from station_rotation.ui.models.base import AnyIndex, RowTableModel

HEADERS = ("Group", "Now", "Next")
GROUP, NOW, NEXT = range(len(HEADERS))
FREE_CHOICE = "Free choice"
DONE = "—"
BADGE_SIDE = 20  # the Group column's colour-and-shape icon, in pixels


def station_name(station: BoardStation | None, *, free: str = FREE_CHOICE) -> str:
    return station.name if station is not None else free


class MovesModel(RowTableModel[GroupMove]):
    """One row per group: its colour, shape and name, its station now and where it goes next."""

    headers = HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_round = False  # nothing comes "next" after the last round
        self._symbols: list[Symbol] = []
        self._icons: list[QIcon] = []

    def set_rows(self, rows: Sequence[GroupMove]) -> None:
        """The rows are every group of the board in order, so their shapes follow the
        same rule as the board's, the projector's and the paper cards'."""
        self._symbols = symbols_for([move.group.colour for move in rows])
        self._icons = [
            badge_icon(move.group.colour, symbol, BADGE_SIDE)
            for move, symbol in zip(rows, self._symbols, strict=True)
        ]
        super().set_rows(rows)

    def symbol(self, row: int) -> Symbol:
        """The shape of the group in ``row``."""
        return self._symbols[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        move = self.valid_row(index)
        if move is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == GROUP:
                return move.group.name
            if column == NOW:
                return station_name(move.now)
            return DONE if self.last_round else station_name(move.next)
        if role == Qt.ItemDataRole.DecorationRole and column == GROUP:
            return self._icons[index.row()]
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == GROUP:
            return f"{move.group.name} group, the {self._symbols[index.row()].name}"
        if role == Qt.ItemDataRole.ToolTipRole and column != GROUP:
            station = move.now if column == NOW else move.next
            return station.instructions if station is not None else None
        return None
