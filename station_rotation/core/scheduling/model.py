"""The inputs and outputs of schedule generation, as frozen dataclasses.

The rotation is synchronous: one timer for the room, every group moves at the end of a
round. A slower group's pace is therefore expressed in whole rounds: it stays more than
one round at each of its stops (see :func:`rounds_per_stop`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from station_rotation.core.stations import StationKind


@dataclass(frozen=True)
class Station:
    """A place in the room; ``capacity`` counts students."""

    id: str
    name: str
    capacity: int
    kind: StationKind = StationKind.OTHER

    @property
    def teacher_led(self) -> bool:
        """A teacher-led station holds one group at a time, whatever its capacity."""
        return self.kind is StationKind.TEACHER_LED


@dataclass(frozen=True)
class Stop:
    """One station on a group's path; a may-do stop is visited only if a slot is left."""

    station_id: str
    must_do: bool = True


@dataclass(frozen=True)
class Group:
    """Students who rotate together, their path for today and their pace.

    ``teacher_round`` (1-based) is the round a needs-support group meets the teacher;
    ``None`` means the first round. ``extra_minutes`` and ``extra_rounds`` slow the
    group down: it stays longer at every stop.
    """

    id: str
    name: str
    size: int
    path: tuple[Stop, ...]
    needs_support: bool = False
    teacher_round: int | None = None
    extra_minutes: int = 0
    extra_rounds: int = 0


@dataclass(frozen=True)
class Pace:
    """The plan's pace: ``rounds=None`` means "as many as the paths need and the period holds"."""

    round_minutes: int
    transition_minutes: int = 0
    rounds: int | None = None
    ordered_paths: bool = True


@dataclass(frozen=True)
class PlanRequest:
    """Everything schedule generation needs for one lesson."""

    stations: tuple[Station, ...]
    groups: tuple[Group, ...]
    pace: Pace
    start: time
    end: time

    def station(self, station_id: str) -> Station:
        for station in self.stations:
            if station.id == station_id:
                return station
        raise KeyError(station_id)


def rounds_per_stop(group: Group, pace: Pace) -> int:
    """Whole rounds the group stays at each stop: extra minutes round up to a full round."""
    return 1 + group.extra_rounds + math.ceil(group.extra_minutes / pace.round_minutes)


class CellKind(StrEnum):
    MUST_DO = "must-do"
    MAY_DO = "may-do"
    FREE = "free choice"


@dataclass(frozen=True)
class Cell:
    """Where one group is during one round."""

    kind: CellKind
    station_id: str | None = None


FREE = Cell(CellKind.FREE)


@dataclass(frozen=True)
class RoundTimes:
    number: int  # 1-based, as the teacher counts
    start: time
    end: time


@dataclass(frozen=True)
class Timetable:
    """The rounds × groups grid: ``cells[r][g]`` is group ``group_ids[g]`` in round ``r``."""

    rounds: tuple[RoundTimes, ...]
    group_ids: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]

    def at(self, round_index: int, group_id: str) -> Cell:
        return self.cells[round_index][self.group_ids.index(group_id)]


@dataclass(frozen=True)
class Problem:
    """One constraint that breaks, said plainly; ``code`` is for programs and tests."""

    code: str
    message: str


@dataclass(frozen=True)
class Fix:
    """A change that makes the plan work; ``applied`` is the changed request, verified to solve."""

    code: str
    message: str
    applied: PlanRequest


@dataclass(frozen=True)
class Infeasible:
    """No schedule exists: why, and the smallest changes that would make one."""

    problems: tuple[Problem, ...]
    fixes: tuple[Fix, ...]

    def explanation(self) -> str:
        lines = ["This plan cannot work yet:"]
        lines += [f"- {p.message}" for p in self.problems]
        if self.fixes:
            lines.append("Any one of these would fix it:")
            lines += [f"- {f.message}" for f in self.fixes]
        return "\n".join(lines)


ScheduleResult = Timetable | Infeasible
