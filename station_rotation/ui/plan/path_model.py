"""A group's path as a table: the stations it visits in order, then the ones it skips.

Columns: the station (checked when it is on the path), and "Must do" (checked) or may
do. Edits are requests (``on_change`` gets the new path); the page saves the plan and
hands the saved path back through :meth:`set_path`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from station_rotation.services.plans.document import PlanStop
from station_rotation.ui.models.base import AnyIndex
from station_rotation.ui.plan.timeline_data import StationLabel

STATION, MUST_DO = 0, 1
HEADERS = ("Station (ticked: on the path)", "Must do")


class PathModel(QAbstractTableModel):
    """Rows: the path's stops in order, then the room's other stations."""

    def __init__(
        self, on_change: Callable[[list[PlanStop]], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self._stations: list[StationLabel] = []
        self._path: list[PlanStop] = []

    def set_path(self, stations: Sequence[StationLabel], path: Sequence[PlanStop]) -> None:
        self.beginResetModel()
        self._stations = list(stations)
        self._path = [stop.model_copy() for stop in path]
        self.endResetModel()

    @property
    def path(self) -> list[PlanStop]:
        return [stop.model_copy() for stop in self._path]

    def _rows(self) -> list[tuple[StationLabel, PlanStop | None]]:
        by_id = {s.id: s for s in self._stations}
        rows: list[tuple[StationLabel, PlanStop | None]] = [
            (by_id[stop.station_id], stop) for stop in self._path if stop.station_id in by_id
        ]
        on = {stop.station_id for stop in self._path}
        rows += [(s, None) for s in self._stations if s.id not in on]
        return rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            on_path = sum(1 for _s, stop in self._rows() if stop is not None)
            return str(section + 1) if section < on_path else "–"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows()
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        station, stop = rows[index.row()]
        if index.column() == STATION:
            if role == Qt.ItemDataRole.DisplayRole:
                return station.name + ("  (teacher-led)" if station.teacher_led else "")
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if stop else Qt.CheckState.Unchecked
        if index.column() == MUST_DO:
            if role == Qt.ItemDataRole.DisplayRole:
                return "" if stop is None else ("must do" if stop.must_do else "may do")
            if role == Qt.ItemDataRole.CheckStateRole and stop is not None:
                return Qt.CheckState.Checked if stop.must_do else Qt.CheckState.Unchecked
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        rows = self._rows()
        on_path = 0 <= index.row() < len(rows) and rows[index.row()][1] is not None
        if index.column() == STATION or on_path:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        station, stop = self._rows()[index.row()]
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        path = self.path
        if index.column() == STATION:
            if checked and stop is None:
                path.append(PlanStop(station_id=station.id))
            elif not checked and stop is not None:
                path = [s for s in path if s.station_id != station.id]
        elif stop is not None:
            for s in path:
                if s.station_id == station.id:
                    s.must_do = checked
        self._on_change(path)
        return True

    def moved(self, row: int, step: int) -> list[PlanStop] | None:
        """The path with the stop at ``row`` moved by ``step``; None if it cannot move."""
        path = self.path
        target = row + step
        if not (0 <= row < len(path) and 0 <= target < len(path)):
            return None
        path[row], path[target] = path[target], path[row]
        return path
