"""Re-plan the rounds a run has not started yet, with the scheduling core.

Rounds before ``from_round`` stay as they were. For the rest, each group still owes the
stations the board gave it from ``from_round`` on that it has not visited yet, less the
stations taken out; the core schedules those visits over the stations left, in any
order (mid-run, the order matters less than a place for everyone), with as many rounds
as the run has left. The clock is not touched: the run keeps its rounds and lengths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.lineup import Lineup
from station_rotation.core.scheduling.model import (
    Group,
    Infeasible,
    Pace,
    PlanRequest,
    Station,
    Stop,
)
from station_rotation.core.scheduling.schedule import generate_schedule
from station_rotation.core.scheduling.timing import minutes_needed
from station_rotation.core.stations import MAX_CAPACITY, StationKind

Room = Mapping[str, Station]
"""The class's stations by id, with their capacity (what the board does not keep)."""

_PACE_MINUTES = 10  # the board has no times: any round length schedules the same
_START = time(8, 0)


def station_of(room: Room, lineup: Lineup, station_id: str) -> Station:
    """The station's capacity and kind: the room's, else the board's (no room limit)."""
    if station_id in room:
        return room[station_id]
    shown = lineup.board.station(station_id)
    kind = StationKind(shown.kind) if shown and shown.kind in set(StationKind) else None
    return Station(station_id, shown.name if shown else "", MAX_CAPACITY, kind or StationKind.OTHER)


def conflicts(
    lineup: Lineup, room: Room, g: int, from_round: int, to_round: int | None = None
) -> bool:
    """Group ``g`` shares a station it cannot share in a round from ``from_round`` on:
    the teacher-led table with another group, or more students than the station holds."""
    board, sizes = lineup.board, _sizes(lineup)
    last = len(board.rounds) - 1 if to_round is None else to_round
    for r in range(max(0, from_round), last + 1):
        row = board.rounds[r]
        here = row[g] if g < len(row) else None
        if here is None:
            continue
        station = station_of(room, lineup, here)
        sharing = [i for i, cell in enumerate(row) if cell == here]
        if station.teacher_led and len(sharing) > 1:
            return True
        if sum(sizes[i] for i in sharing) > station.capacity:
            return True
    return False


def too_small_for(lineup: Lineup, room: Room, g: int, from_round: int) -> list[Station]:
    """The stations on group ``g``'s way from ``from_round`` on that cannot seat it even
    alone, in the order it reaches them: no re-plan fixes that, the group owes the visits."""
    size = _sizes(lineup)[g]
    out: list[Station] = []
    for row in lineup.board.rounds[max(0, from_round) :]:
        here = row[g] if g < len(row) else None
        if here is None or any(s.id == here for s in out):
            continue
        station = station_of(room, lineup, here)
        if size > station.capacity:
            out.append(station)
    return out


def place_until_bell(lineup: Lineup, room: Room, g: int, current: int) -> str | None:
    """Where group ``g``, whose station in round ``current`` is gone, spends the rest of
    that round: the first station of its own rounds to come that it has not visited, is
    still in the rotation and has room for it now; ``None`` (free choice) if none has."""
    board = lineup.board
    visited = {row[g] for row in board.rounds[:current]}
    for row in board.rounds[current + 1 :]:
        station_id = row[g]
        if station_id is None or station_id in visited or station_id in lineup.stations_out:
            continue
        rounds = [list(r) for r in board.rounds]
        rounds[current][g] = station_id
        trial = replace(lineup, board=replace(board, rounds=tuple(map(tuple, rounds))))
        if not conflicts(trial, room, g, current, current):
            return station_id
    return None


def own_way(lineup: Lineup, room: Room, g: int, beside: int, from_round: int) -> Board | None:
    """The board with a way of its own for group ``g`` (just split off group ``beside``,
    with the same cells so far) from ``from_round`` on, every other group kept where it
    goes: each station ``g`` still owes once, in any order, where it fits beside the
    groups already there (the teacher-led table alone, no station past its seats).
    Of those ways, the one sharing the fewest rounds with ``beside``; ``None`` if there
    is none (then only a re-plan of every group can help)."""
    board = lineup.board
    rounds = [list(r) for r in board.rounds]
    visited = {row[g] for row in rounds[:from_round]}
    owed: list[str] = []
    for row in rounds[from_round:]:
        cell = row[g]
        if cell and cell not in visited and cell not in owed and cell not in lineup.stations_out:
            owed.append(cell)
    slots = list(range(from_round, len(rounds)))
    sizes = _sizes(lineup)
    best: list[list[str | None]] = []
    fewest = len(slots) + 1
    path: list[str | None] = []

    def fits(r: int, station_id: str) -> bool:
        station = station_of(room, lineup, station_id)
        there = [i for i, cell in enumerate(rounds[r]) if cell == station_id and i != g]
        if station.teacher_led and there:
            return False
        return sizes[g] + sum(sizes[i] for i in there) <= station.capacity

    def place(k: int, left: list[str], shared: int) -> None:
        nonlocal fewest, best
        if shared >= fewest or len(left) > len(slots) - k:
            return
        if k == len(slots):
            fewest, best = shared, [list(path)]
            return
        r = slots[k]
        for station_id in left:
            if fits(r, station_id):
                path.append(station_id)
                same = rounds[r][beside] == station_id
                place(k + 1, [s for s in left if s != station_id], shared + same)
                path.pop()
                if fewest == 0:
                    return
        path.append(None)  # free choice in this round
        place(k + 1, left, shared)
        path.pop()

    place(0, owed, 0)
    if not best:
        return None
    for r, cell in zip(slots, best[0], strict=True):
        rounds[r][g] = cell
    return replace(board, rounds=tuple(map(tuple, rounds)))


def replan(
    lineup: Lineup,
    room: Room,
    from_round: int,
    *,
    drop: Mapping[str, str] | None = None,
    strict: bool = True,
) -> Board | Infeasible:
    """The board with rounds ``from_round``… scheduled again, or why that cannot work.

    ``drop``: per group id, a station it no longer visits (a skipped one). ``strict``:
    every visit it still owes is a must-do; otherwise each is a may-do, visited when a
    place is free (what stays empty is free choice), which always succeeds.
    """
    board = lineup.board
    left = len(board.rounds) - from_round
    if left <= 0:
        return board
    open_ids = [s.id for s in board.stations if s.id not in lineup.stations_out]
    sizes = _sizes(lineup)
    groups = []
    for g, group in enumerate(board.groups):
        visited = {row[g] for row in board.rounds[:from_round] if g < len(row)}
        owed: list[str] = []
        for row in board.rounds[from_round:]:
            cell = row[g] if g < len(row) else None
            if cell is None or cell in visited or cell in owed or cell not in open_ids:
                continue
            if drop and drop.get(group.id) == cell:
                continue
            owed.append(cell)
        path = tuple(Stop(s, must_do=strict) for s in owed)
        groups.append(Group(group.id, group.name, max(1, sizes[g]), path))
    stations = tuple(station_of(room, lineup, s) for s in open_ids)
    pace = Pace(_PACE_MINUTES, 0, left, ordered_paths=False)
    end = datetime.combine(datetime(2000, 1, 1), _START) + timedelta(
        minutes=minutes_needed(left, pace)
    )
    request = PlanRequest(stations, tuple(groups), pace, _START, end.time())
    result = generate_schedule(request)
    if isinstance(result, Infeasible):
        return result
    rounds = list(board.rounds[:from_round])
    rounds += [tuple(cell.station_id for cell in row) for row in result.cells]
    return replace(board, rounds=tuple(rounds))


def replan_forgiving(
    lineup: Lineup, room: Room, from_round: int, *, drop: Mapping[str, str] | None = None
) -> Board:
    """Every owed visit if a timetable has room for them all; else as many as fit."""
    planned = replan(lineup, room, from_round, drop=drop)
    if isinstance(planned, Board):
        return planned
    relaxed = replan(lineup, room, from_round, drop=drop, strict=False)
    return relaxed if isinstance(relaxed, Board) else lineup.board


def _sizes(lineup: Lineup) -> list[int]:
    return [
        len(lineup.members[g.id]) if g.id in lineup.members else len(g.first_names)
        for g in lineup.board.groups
    ]
