"""An independent checker and a brute-force search for timetables, written from the issue's rules.

Nothing here imports the generator's search: the checker reads the request and the grid
only, so a bug in the generator cannot hide behind the same bug in the check.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from datetime import datetime, timedelta

from station_rotation.core.scheduling.model import (
    Cell,
    CellKind,
    Group,
    PlanRequest,
    Stop,
    Timetable,
)


def stay(group: Group, request: PlanRequest) -> int:
    return 1 + group.extra_rounds + math.ceil(group.extra_minutes / request.pace.round_minutes)


def effective_path(group: Group, request: PlanRequest) -> list[Stop]:
    """A support group with no teacher stop on its path meets the only teacher-led station."""
    path = list(group.path)
    teachers = [s.id for s in request.stations if s.teacher_led]
    if group.needs_support:
        if not any(request.station(s.station_id).teacher_led for s in path) and len(teachers) == 1:
            path.insert(0, Stop(teachers[0]))
        path = [
            Stop(s.station_id, True) if request.station(s.station_id).teacher_led else s
            for s in path
        ]
    return path


def pinned_station(group: Group, request: PlanRequest) -> str | None:
    if not group.needs_support:
        return None
    for stop in effective_path(group, request):
        if request.station(stop.station_id).teacher_led:
            return stop.station_id
    return None


def group_violations(group: Group, request: PlanRequest, column: list[Cell]) -> list[str]:
    """What is wrong with one group's column on its own (path, stays, order, teacher round)."""
    out = []
    path = effective_path(group, request)
    length = stay(group, request)
    pin = pinned_station(group, request)
    starts: dict[str, int] = {}
    kinds = {s.station_id: (CellKind.MUST_DO if s.must_do else CellKind.MAY_DO) for s in path}
    for station_id in {c.station_id for c in column if c.station_id is not None}:
        if station_id not in kinds:
            out.append(f"{group.name} at {station_id}, not on its path")
            continue
        rounds = [t for t, c in enumerate(column) if c.station_id == station_id]
        if rounds != list(range(rounds[0], rounds[0] + length)):
            out.append(f"{group.name} at {station_id} in rounds {rounds}, not one stay of {length}")
        if any(column[t].kind is not kinds[station_id] for t in rounds):
            out.append(f"{group.name} at {station_id} marked with the wrong kind")
        starts[station_id] = rounds[0]
    for cell in column:
        if (cell.station_id is None) != (cell.kind is CellKind.FREE):
            out.append(f"{group.name} has a malformed cell {cell}")
    for stop in path:
        if stop.must_do and stop.station_id not in starts:
            out.append(f"{group.name} never visits must-do {stop.station_id}")
    if pin is not None and starts.get(pin) != (group.teacher_round or 1) - 1:
        out.append(f"{group.name} does not meet the teacher in round {group.teacher_round or 1}")
    if request.pace.ordered_paths:
        seq = [starts[s.station_id] for s in path if s.station_id in starts and s.station_id != pin]
        if seq != sorted(seq):
            out.append(f"{group.name} visits its path out of order")
    return out


def room_violations(request: PlanRequest, columns: list[list[Cell]]) -> list[str]:
    out = []
    rounds = len(columns[0]) if columns else 0
    for t in range(rounds):
        for station in request.stations:
            here = [
                g
                for g, col in zip(request.groups, columns, strict=True)
                if col[t].station_id == station.id
            ]
            if sum(g.size for g in here) > station.capacity:
                out.append(f"{station.name} over capacity in round {t + 1}")
            if station.teacher_led and len(here) > 1:
                out.append(f"{station.name} holds {len(here)} groups in round {t + 1}")
    return out


def violations(request: PlanRequest, table: Timetable) -> list[str]:
    """Every rule the timetable breaks; an empty list means it is a valid plan."""
    out = []
    pace = request.pace
    rounds = len(table.rounds)
    if pace.rounds is not None and rounds != pace.rounds:
        out.append(f"{rounds} rounds instead of {pace.rounds}")
    if table.group_ids != tuple(g.id for g in request.groups):
        out.append("groups missing or out of order")
    day = datetime(2000, 1, 1)
    for t, times in enumerate(table.rounds):
        start = datetime.combine(day, request.start) + timedelta(
            minutes=t * (pace.round_minutes + pace.transition_minutes)
        )
        if times.number != t + 1 or datetime.combine(day, times.start) != start:
            out.append(f"round {t + 1} starts at the wrong time")
        if datetime.combine(day, times.end) != start + timedelta(minutes=pace.round_minutes):
            out.append(f"round {t + 1} ends at the wrong time")
        if datetime.combine(day, times.end) > datetime.combine(day, request.end):
            out.append(f"round {t + 1} ends after the period")
    if len(table.cells) != rounds or any(len(row) != len(request.groups) for row in table.cells):
        return [*out, "grid has the wrong shape"]
    columns = [[table.cells[t][g] for t in range(rounds)] for g in range(len(request.groups))]
    for group, column in zip(request.groups, columns, strict=True):
        out += group_violations(group, request, column)
    return out + room_violations(request, columns)


def _columns(group: Group, request: PlanRequest, rounds: int) -> Iterator[list[Cell]]:
    """Every valid column for a group alone: must-do stops only, the rest free."""
    options = [Cell(CellKind.FREE)] + [
        Cell(CellKind.MUST_DO, s.station_id) for s in effective_path(group, request) if s.must_do
    ]
    for column in itertools.product(options, repeat=rounds):
        if not group_violations(group, request, list(column)):
            yield list(column)


def brute_force_exists(request: PlanRequest, rounds: int) -> bool:
    """Whether any grid with ``rounds`` rounds meets every rule, by trying them all."""
    if any(g.needs_support and pinned_station(g, request) is None for g in request.groups):
        return False  # no teacher to meet
    day = datetime(2000, 1, 1)
    period = datetime.combine(day, request.end) - datetime.combine(day, request.start)
    pace = request.pace
    if (
        timedelta(minutes=rounds * pace.round_minutes + (rounds - 1) * pace.transition_minutes)
        > period
    ):
        return False
    per_group = [list(_columns(g, request, rounds)) for g in request.groups]
    return any(not room_violations(request, list(combo)) for combo in itertools.product(*per_group))
