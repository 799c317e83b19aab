"""Turn the search's must-do visits into the grid, fitting may-do stops into free rounds.

May-do stops are a bonus: each goes into the earliest free window of the group that
keeps its path order (when the plan asks for it) and every station within its room.
What stays empty is the group's free choice (what a fast finisher does next).
"""

from __future__ import annotations

from station_rotation.core.scheduling.instance import Instance
from station_rotation.core.scheduling.model import FREE, Cell, CellKind, PlanRequest
from station_rotation.core.scheduling.search import Starts


def add_may_do(inst: Instance, rounds: int, starts: Starts) -> Starts:
    stations = len(inst.capacity)
    load = [[0] * stations for _ in range(rounds)]
    count = [[0] * stations for _ in range(rounds)]
    busy = [[False] * rounds for _ in inst.jobs]
    for g, job in enumerate(inst.jobs):
        for visit, first in starts[g].items():
            v = job.visits[visit]
            for t in range(first, first + v.length):
                load[t][v.station] += job.size
                count[t][v.station] += 1
                busy[g][t] = True
    out = [dict(s) for s in starts]
    for g, job in enumerate(inst.jobs):
        for i, v in enumerate(job.visits):
            if v.must_do:
                continue
            low, high = 0, rounds
            if inst.ordered:
                for j, first in out[g].items():
                    if j == job.pin:
                        continue
                    if j < i:
                        low = max(low, first + job.visits[j].length)
                    else:
                        high = min(high, first)
            for first in range(low, high - v.length + 1):
                window = range(first, first + v.length)
                if all(
                    not busy[g][t]
                    and load[t][v.station] + job.size <= inst.capacity[v.station]
                    and not (inst.teacher[v.station] and count[t][v.station])
                    for t in window
                ):
                    for t in window:
                        load[t][v.station] += job.size
                        count[t][v.station] += 1
                        busy[g][t] = True
                    out[g][i] = first
                    break
    return out


def grid(
    request: PlanRequest, inst: Instance, rounds: int, starts: Starts
) -> tuple[tuple[Cell, ...], ...]:
    rows = [[FREE] * len(inst.jobs) for _ in range(rounds)]
    for g, job in enumerate(inst.jobs):
        for visit, first in starts[g].items():
            v = job.visits[visit]
            kind = CellKind.MUST_DO if v.must_do else CellKind.MAY_DO
            cell = Cell(kind, request.stations[v.station].id)
            for t in range(first, first + v.length):
                rows[t][g] = cell
    return tuple(tuple(row) for row in rows)
