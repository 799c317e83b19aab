"""From a plan document to the core's PlanRequest, and from a timetable to a run's board.

Only students present today count: absent ones, and ones who have left the class, are
not in any group's size, and a group with nobody present drops out of the schedule. A
student with their own path is a one-student group named by their first name.
"""

from __future__ import annotations

from dataclasses import dataclass

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.core.scheduling.model import (
    Group,
    Pace,
    PlanRequest,
    Station,
    Stop,
    Timetable,
)
from station_rotation.services.plans.class_today import ClassContext
from station_rotation.store.plan_body import PlanBody, PlanStop

OWN_PATH_PREFIX = "own:"


@dataclass(frozen=True)
class ScheduledGroup:
    """A group as it is scheduled today: who is present, and how the room sees it."""

    id: str
    name: str
    colour: str
    present_ids: tuple[str, ...]


def _stops(path: list[PlanStop]) -> tuple[Stop, ...]:
    return tuple(Stop(stop.station_id, stop.must_do) for stop in path)


def scheduled_groups(body: PlanBody, context: ClassContext) -> list[ScheduledGroup]:
    """The groups (and own paths) with at least one student present, in plan order."""
    here = set(context.active_ids) - set(body.absent_ids)
    out = []
    for group in body.groups:
        present = tuple(sid for sid in group.student_ids if sid in here)
        if present:
            out.append(ScheduledGroup(group.id, group.name, group.colour, present))
    for own in body.own_paths:
        if own.student_id in here:
            member = context.members[own.student_id]
            out.append(
                ScheduledGroup(
                    OWN_PATH_PREFIX + own.student_id,
                    member.first_name,
                    own.colour,
                    (own.student_id,),
                )
            )
    return out


def build_request(body: PlanBody, context: ClassContext) -> PlanRequest:
    """The core's request: active stations, groups sized by who is present, the pace."""
    stations = tuple(Station(s.id, s.name, s.capacity, s.kind) for s in context.active_stations)
    present = {g.id: len(g.present_ids) for g in scheduled_groups(body, context)}
    groups = [
        Group(
            group.id,
            group.name,
            present[group.id],
            _stops(group.path),
            group.needs_support,
            group.teacher_round,
            group.extra_minutes,
            group.extra_rounds,
        )
        for group in body.groups
        if group.id in present
    ]
    for own in body.own_paths:
        gid = OWN_PATH_PREFIX + own.student_id
        if gid in present:
            groups.append(
                Group(
                    gid,
                    context.members[own.student_id].first_name,
                    1,
                    _stops(own.path),
                    own.needs_support,
                    own.teacher_round,
                    own.extra_minutes,
                    own.extra_rounds,
                )
            )
    pace = Pace(
        body.pace.round_minutes,
        body.pace.transition_minutes,
        body.pace.rounds,
        body.pace.ordered_paths,
    )
    return PlanRequest(stations, tuple(groups), pace, body.start, body.end)


def run_spec(body: PlanBody, timetable: Timetable) -> RunSpec:
    """Every round of the timetable at the plan's round length, its transition, and
    whether each round starts by itself."""
    return RunSpec(
        tuple(float(body.pace.round_minutes * 60) for _ in timetable.rounds),
        float(body.pace.transition_minutes * 60),
        body.pace.auto_advance,
    )


def board_for(plan_id: str, body: PlanBody, context: ClassContext, timetable: Timetable) -> Board:
    """What the room is shown: stations, groups with first names present, who goes where."""
    by_id = {g.id: g for g in scheduled_groups(body, context)}
    groups = tuple(
        BoardGroup(
            gid,
            by_id[gid].name,
            by_id[gid].colour,
            tuple(context.members[sid].first_name for sid in by_id[gid].present_ids),
        )
        for gid in timetable.group_ids
    )
    stations = tuple(
        BoardStation(s.id, s.name, s.kind.value, s.instructions, s.content_url)
        for s in context.active_stations
    )
    rounds = tuple(tuple(cell.station_id for cell in row) for row in timetable.cells)
    return Board(stations, groups, rounds, plan_id)
