"""The entry grid's table: students (rows) × learning targets (columns), latest level.

Each cell also carries its save state. A value typed in this sitting is shown as saved
(✓ and the time) only once :meth:`QuickCheckService.record` has returned, i.e. after the
durable commit; until then it reads "saving…", and if the save failed it stays on screen
marked "not saved" so nothing the teacher typed disappears.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont

from station_rotation.core.moments import as_utc
from station_rotation.core.scales import Scale
from station_rotation.ui.checks.level_colours import LevelColour, absent_colour, level_colour
from station_rotation.ui.models.base import AnyIndex, RowTableModel

PairKey = tuple[str, str]  # (student id, target id)
StateRole = int(Qt.ItemDataRole.UserRole) + 1
CheckIdRole = StateRole + 1
ABSENT_TODAY = "Absent today"
NOT_SAVED_BACKGROUND = "#fff0f0"
NOT_SAVED_TEXT = "#8a1c1c"
SAVING_BACKGROUND = "#ffffff"


class SaveState(Enum):
    SAVED = "saved"
    SAVING = "saving"
    FAILED = "failed"


@dataclass(frozen=True)
class GridStudent:
    id: str
    name: str


@dataclass(frozen=True)
class GridTarget:
    id: str
    code: str
    statement: str
    scale: Scale

    @property
    def short(self) -> str:
        return self.code or self.statement[:18]


@dataclass(frozen=True)
class Cell:
    """What a cell shows. ``saved_at`` is set for checks saved in this sitting only."""

    score: int | None
    absent: bool = False
    note: str = ""
    check_id: str | None = None
    state: SaveState = SaveState.SAVED
    observed_at: datetime | None = None
    saved_at: datetime | None = None

    @property
    def blank(self) -> bool:
        """No level: nothing recorded, or an entry taken back (withdrawn)."""
        return self.score is None and not self.absent


def level_text(scale: Scale, score: int) -> str:
    """The level's words with the key that types it ("3 Proficient", "1 Not yet", "7")."""
    label = scale.levels[score - scale.first_value]
    return label if label.split(" ")[0] == str(score) else f"{score} {label}"


class QuickCheckGridModel(RowTableModel[GridStudent]):
    """Rows are the students shown (a group or the class); columns the class's targets."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._targets: list[GridTarget] = []
        self._cells: dict[PairKey, Cell] = {}
        self._absent_today: frozenset[str] = frozenset()

    # --- filling ------------------------------------------------------------------

    def set_grid(
        self,
        students: list[GridStudent],
        targets: list[GridTarget],
        cells: dict[PairKey, Cell],
        absent_today: frozenset[str] | None = None,
    ) -> None:
        """``absent_today``: the students today's plan marks absent (None: as before)."""
        self.beginResetModel()
        self._rows = list(students)
        self._targets = list(targets)
        self._cells = dict(cells)
        if absent_today is not None:
            self._absent_today = absent_today
        self.endResetModel()

    # --- absent today -------------------------------------------------------------

    @property
    def absent_today(self) -> frozenset[str]:
        return self._absent_today

    def absent_at(self, row: int) -> bool:
        """The student on ``row`` is marked absent today: not to be checked, not waited for."""
        return 0 <= row < len(self._rows) and self._rows[row].id in self._absent_today

    def first_present_row(self, start: int = 0) -> int | None:
        """The first row from ``start`` whose student is here today (None: nobody after)."""
        for row in range(max(start, 0), len(self._rows)):
            if not self.absent_at(row):
                return row
        return None

    def _shows_absent_today(self, student: GridStudent, cell: Cell | None) -> bool:
        """Absent today and nothing checked today in this cell (a level given before the
        mark stays on screen: the mark counts from when it was made)."""
        if student.id not in self._absent_today:
            return False
        if cell is None or cell.state is not SaveState.SAVED:
            return cell is None
        if cell.saved_at is not None:
            return False
        return cell.observed_at is None or _local_day(cell.observed_at) != date.today()

    def put(self, student_id: str, target_id: str, cell: Cell | None) -> None:
        """Change one cell (None: empty) and tell the view."""
        key = (student_id, target_id)
        if cell is None:
            self._cells.pop(key, None)
        else:
            self._cells[key] = cell
        index = self.index_of(student_id, target_id)
        if index.isValid():
            self.dataChanged.emit(index, index)

    def set_state(self, student_id: str, target_id: str, state: SaveState) -> None:
        cell = self._cells.get((student_id, target_id))
        if cell is not None:
            self.put(student_id, target_id, replace(cell, state=state))

    # --- reading ------------------------------------------------------------------

    @property
    def targets(self) -> list[GridTarget]:
        return list(self._targets)

    @property
    def students(self) -> list[GridStudent]:
        return list(self._rows)

    def target_at(self, column: int) -> GridTarget | None:
        return self._targets[column] if 0 <= column < len(self._targets) else None

    def cell(self, student_id: str, target_id: str) -> Cell | None:
        return self._cells.get((student_id, target_id))

    def cells(self) -> dict[PairKey, Cell]:
        return dict(self._cells)

    def index_of(self, student_id: str, target_id: str) -> QModelIndex:
        rows = [r for r, s in enumerate(self._rows) if s.id == student_id]
        columns = [c for c, t in enumerate(self._targets) if t.id == target_id]
        if not rows or not columns:
            return QModelIndex()
        return self.index(rows[0], columns[0])

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._targets)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._rows):
                return None
            absent = self.absent_at(section)  # greyed; the row's cells say "Absent today"
            if role == Qt.ItemDataRole.DisplayRole:
                return self._rows[section].name
            if role == Qt.ItemDataRole.ForegroundRole and absent:
                return QColor(absent_colour().text)
            if role == Qt.ItemDataRole.ToolTipRole and absent:
                return "Marked absent in today's plan: not checked today."
            return None
        target = self.target_at(section)
        if target is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return target.short
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{target.statement}\nScale: {target.scale.name}"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        student = self.valid_row(index)
        target = self.target_at(index.column())
        if student is None or target is None:
            return None
        cell = self._cells.get((student.id, target.id))
        if role == StateRole:
            return cell.state.value if cell else None
        if role == CheckIdRole:
            return cell.check_id if cell else None
        if self._shows_absent_today(student, cell):
            return self._absent_today_data(student, role)
        if cell is None or (cell.blank and cell.state is SaveState.SAVED):
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{student.name} · {target.short}: not checked yet"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(cell, target.scale)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell, student, target)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if role == Qt.ItemDataRole.FontRole and cell.state is not SaveState.SAVED:
            font = QFont()
            font.setItalic(True)
            font.setBold(cell.state is SaveState.FAILED)
            return font
        colour = self._colour(cell, target.scale)
        if colour is not None and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(colour.background)
        if colour is not None and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(colour.text)
        return None

    # --- presentation -------------------------------------------------------------

    @staticmethod
    def _absent_today_data(student: GridStudent, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return ABSENT_TODAY
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{student.name} is marked absent in today's plan: not checked today."
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(absent_colour().background)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(absent_colour().text)
        return None

    @staticmethod
    def level(cell: Cell, scale: Scale) -> str:
        if cell.absent:
            return "Absent"
        if cell.score is None:
            return "(withdrawn)"
        return level_text(scale, cell.score)

    def _text(self, cell: Cell, scale: Scale) -> str:
        text = self.level(cell, scale)
        if cell.note:
            text += " ✎"
        if cell.state is SaveState.SAVING:
            return f"{text} · saving…"
        if cell.state is SaveState.FAILED:
            return f"⚠ {text} · NOT saved"
        if cell.saved_at is not None:
            return f"{text}  ✓ {local_time(cell.saved_at)}"
        return text

    def _tooltip(self, cell: Cell, student: GridStudent, target: GridTarget) -> str:
        lines = [f"{student.name} · {target.short}: {self.level(cell, target.scale)}"]
        if cell.state is SaveState.FAILED:
            lines.append("Not saved. Type the level again (or press Retry) to save it.")
        elif cell.saved_at is not None:
            lines.append(f"Saved at {local_time(cell.saved_at, seconds=True)}")
        if cell.note:
            lines.append(f"Note: {cell.note}")
        return "\n".join(lines)

    @staticmethod
    def _colour(cell: Cell, scale: Scale) -> LevelColour | None:
        if cell.state is SaveState.FAILED:  # never in a level's colour: it is not saved
            return LevelColour(NOT_SAVED_BACKGROUND, NOT_SAVED_TEXT)
        if cell.state is SaveState.SAVING:
            return LevelColour(SAVING_BACKGROUND, NOT_SAVED_TEXT)
        if cell.absent:
            return absent_colour()
        if cell.score is None:
            return None
        return level_colour(cell.score - scale.first_value, len(scale.levels))


def _local_day(moment: datetime) -> date:
    return as_utc(moment).astimezone().date()


def local_time(moment: datetime, *, seconds: bool = False) -> str:
    return as_utc(moment).astimezone().strftime("%H:%M:%S" if seconds else "%H:%M")
