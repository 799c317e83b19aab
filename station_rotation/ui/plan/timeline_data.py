"""What the timeline shows, in words: the timetable with its group and station names.

Both the on-screen grid and the printed sheet read this one shape, so the screen and
the paper always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from station_rotation.core.scheduling.model import CellKind, RoundTimes, Timetable
from station_rotation.core.scheduling.symbols import Symbol, symbols_for


@dataclass(frozen=True)
class GroupLabel:
    id: str
    name: str
    colour: str  # "#RRGGBB"
    size: int = 0


@dataclass(frozen=True)
class StationLabel:
    id: str
    name: str
    teacher_led: bool = False


def clock(value: time) -> str:
    """ "9:05": how a teacher writes a time on the board."""
    return f"{value.hour}:{value.minute:02d}"


def round_label(times: RoundTimes) -> str:
    return f"Round {times.number}\n{clock(times.start)}–{clock(times.end)}"


@dataclass(frozen=True)
class TimelineData:
    """A timetable ready to draw; ``stations`` are in room order (it fixes their colours)."""

    timetable: Timetable
    groups: tuple[GroupLabel, ...]
    stations: tuple[StationLabel, ...]

    @property
    def round_count(self) -> int:
        return len(self.timetable.rounds)

    @property
    def group_count(self) -> int:
        return len(self.timetable.group_ids)

    def group(self, column: int) -> GroupLabel:
        group_id = self.timetable.group_ids[column]
        for group in self.groups:
            if group.id == group_id:
                return group
        return GroupLabel(group_id, group_id, "#777777")

    def symbols(self) -> list[Symbol]:
        """Each column's group shape, by the rule of the board and the paper cards (the
        groups' colours in timetable order)."""
        return symbols_for([self.group(c).colour for c in range(self.group_count)])

    def station_index(self, row: int, column: int) -> int | None:
        """The room position of the station a group is at, or None for free choice."""
        station_id = self.timetable.cells[row][column].station_id
        for index, station in enumerate(self.stations):
            if station.id == station_id:
                return index
        return None

    def station(self, row: int, column: int) -> StationLabel | None:
        index = self.station_index(row, column)
        return None if index is None else self.stations[index]

    def cell_text(self, row: int, column: int) -> str:
        cell = self.timetable.cells[row][column]
        station = self.station(row, column)
        if cell.kind is CellKind.FREE or station is None:
            return "Free choice"
        if cell.kind is CellKind.MAY_DO:
            return f"{station.name}\n(may-do)"
        return station.name

    def period_text(self) -> str:
        rounds = self.timetable.rounds
        if not rounds:
            return ""
        return f"{clock(rounds[0].start)}–{clock(rounds[-1].end)}"
