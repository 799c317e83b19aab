"""The timeline grid: rounds down the side, groups across, the station in each cell.

A teacher reads it at a glance: each cell is the station's name on the station's tint
(text colour chosen for contrast), the teacher-led station in bold, the clock times of
each round in the row header and each group's colour and shape beside its name.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from station_rotation.ui.group_badge import badge_icon
from station_rotation.ui.models.base import AnyIndex
from station_rotation.ui.plan.colours import FREE_TINT, station_tint, text_on
from station_rotation.ui.plan.timeline_data import TimelineData, round_label


def swatch(colour: str, size: int = 14) -> QIcon:
    """A small filled square of a group's colour, for headers and lists."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


BADGE_SIDE = 18  # a group's colour-and-shape icon in the column headers


class TimelineModel(QAbstractTableModel):
    """Read-only rounds × groups model over :class:`TimelineData` (None: empty)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data: TimelineData | None = None
        self._badges: list[QIcon] = []  # each column's group colour and shape

    def set_timeline(self, data: TimelineData | None) -> None:
        self.beginResetModel()
        self._data = data
        self._badges = []  # drawn when a header first asks (a pixmap needs the GUI up)
        self.endResetModel()

    def _badge(self, data: TimelineData, column: int) -> QIcon:
        if not self._badges:
            self._badges = [
                badge_icon(data.group(c).colour, shape, BADGE_SIDE)
                for c, shape in enumerate(data.symbols())
            ]
        return self._badges[column]

    @property
    def timeline(self) -> TimelineData | None:
        return self._data

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._data is None else self._data.round_count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._data is None else self._data.group_count

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        data = self._data
        if data is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < data.round_count and 0 <= column < data.group_count):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return data.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            group = data.group(column)
            times = data.timetable.rounds[row]
            place = data.cell_text(row, column).replace("\n", " ")
            return f"{group.name}, round {times.number}: {place}"
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colour = self.cell_colour(row, column)
            return QBrush(colour if role == Qt.ItemDataRole.BackgroundRole else text_on(colour))
        if role == Qt.ItemDataRole.FontRole:
            station = data.station(row, column)
            font = QFont()
            font.setBold(station is not None and station.teacher_led)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def cell_colour(self, row: int, column: int) -> QColor:
        index = self._data.station_index(row, column) if self._data else None
        return FREE_TINT if index is None else station_tint(index)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        data = self._data
        if data is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < data.group_count:
            group = data.group(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return group.name
            if role == Qt.ItemDataRole.DecorationRole:
                return self._badge(data, section)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{group.name}: {group.size} students" if group.size else group.name
        vertical = orientation == Qt.Orientation.Vertical and 0 <= section < data.round_count
        if vertical and role == Qt.ItemDataRole.DisplayRole:
            return round_label(data.timetable.rounds[section])
        return None


class TimelineView(QTableView):
    """The grid on screen: equal columns, tall rows, no editing, readable from a step back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline_model = TimelineModel(self)
        self.setModel(self.timeline_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # still reachable for screen readers
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.setIconSize(QSize(BADGE_SIDE, BADGE_SIDE))
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(46)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_timeline(self, data: TimelineData | None) -> None:
        self.timeline_model.set_timeline(data)
