"""Now / next for every group, as a table the teacher glances at during a run."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from station_rotation.core.rotation.board import BoardStation, GroupMove
from station_rotation.ui.models.base import AnyIndex, RowTableModel

HEADERS = ("Group", "Now", "Next")
GROUP, NOW, NEXT = range(len(HEADERS))
FREE_CHOICE = "Free choice"
DONE = "—"


def station_name(station: BoardStation | None, *, free: str = FREE_CHOICE) -> str:
    return station.name if station is not None else free


class MovesModel(RowTableModel[GroupMove]):
    """One row per group: its colour and name, its station now and where it goes next."""

    headers = HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_round = False  # nothing comes "next" after the last round

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
            return QColor(move.group.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column != GROUP:
            station = move.now if column == NOW else move.next
            return station.instructions if station is not None else None
        return None
