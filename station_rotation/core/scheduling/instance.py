"""The request reduced to what the search needs: indexes, stay lengths and pinned rounds.

Malformed input (a path naming an unknown station, a group of no students) is a
programming or form error and raises :class:`ValidationError`; conflicts a teacher can
resolve (a support group with no teacher to meet) come back as :class:`Problem`s.
"""

from __future__ import annotations

from dataclasses import dataclass

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.model import PlanRequest, Problem, Stop, rounds_per_stop


@dataclass(frozen=True)
class Visit:
    station: int  # index into request.stations
    length: int  # consecutive rounds
    must_do: bool


@dataclass(frozen=True)
class GroupJob:
    """One group's visits in path order; ``pin`` is the index of its pinned teacher visit."""

    size: int
    visits: tuple[Visit, ...]
    pin: int | None
    pin_round: int | None  # 0-based

    @property
    def must(self) -> tuple[int, ...]:
        return tuple(i for i, v in enumerate(self.visits) if v.must_do)


@dataclass(frozen=True)
class Instance:
    capacity: tuple[int, ...]
    teacher: tuple[bool, ...]
    jobs: tuple[GroupJob, ...]
    ordered: bool


def validate(request: PlanRequest) -> None:
    """Refuse input no plan could be made of, with a message for the teacher."""
    if request.end <= request.start:
        raise ValidationError("The period must end after it starts.")
    if request.pace.round_minutes <= 0:
        raise ValidationError("A round must last at least one minute.")
    if request.pace.transition_minutes < 0:
        raise ValidationError("A transition cannot be negative.")
    if request.pace.rounds is not None and request.pace.rounds <= 0:
        raise ValidationError("A plan needs at least one round.")
    ids = [s.id for s in request.stations]
    if len(set(ids)) != len(ids):
        raise ValidationError("Two stations have the same id.")
    if any(s.capacity <= 0 for s in request.stations):
        raise ValidationError("Every station must hold at least one student.")
    if len({g.id for g in request.groups}) != len(request.groups):
        raise ValidationError("Two groups have the same id.")
    for group in request.groups:
        if group.size <= 0:
            raise ValidationError(f"Group {group.name} has no students.")
        if group.extra_minutes < 0 or group.extra_rounds < 0:
            raise ValidationError(f"Group {group.name} cannot have less than no extra time.")
        path_ids = [stop.station_id for stop in group.path]
        if len(set(path_ids)) != len(path_ids):
            raise ValidationError(f"Group {group.name} visits the same station twice.")
        unknown = set(path_ids) - set(ids)
        if unknown:
            raise ValidationError(f"Group {group.name}'s path names a station that is gone.")


def build(request: PlanRequest, rounds: int) -> Instance | list[Problem]:
    """Index the request; a needs-support group without a teacher stop gets the only one."""
    index = {s.id: i for i, s in enumerate(request.stations)}
    teacher_ids = [s.id for s in request.stations if s.teacher_led]
    problems: list[Problem] = []
    jobs = []
    for group in request.groups:
        path = list(group.path)
        pin: int | None = None
        pin_round: int | None = None
        if group.needs_support:
            at = [i for i, stop in enumerate(path) if request.station(stop.station_id).teacher_led]
            if not at and len(teacher_ids) == 1:
                path.insert(0, Stop(teacher_ids[0]))
                at = [0]
            if not at:
                problems.append(
                    Problem(
                        "no-teacher-station",
                        f"{group.name} needs support, but there is no teacher-led station "
                        "on its path to meet the teacher.",
                    )
                )
                continue
            pin = at[0]
            path[pin] = Stop(path[pin].station_id, must_do=True)
            pin_round = (group.teacher_round or 1) - 1
            if not 0 <= pin_round < rounds:
                problems.append(
                    Problem(
                        "teacher-round-missing",
                        f"{group.name} should meet the teacher in round {pin_round + 1}, "
                        f"but the plan has {rounds} rounds.",
                    )
                )
        length = rounds_per_stop(group, request.pace)
        visits = tuple(Visit(index[s.station_id], length, s.must_do) for s in path)
        jobs.append(GroupJob(group.size, visits, pin, pin_round))
    if problems:
        return problems
    return Instance(
        tuple(s.capacity for s in request.stations),
        tuple(s.teacher_led for s in request.stations),
        tuple(jobs),
        request.pace.ordered_paths,
    )
