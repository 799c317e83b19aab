"""Find the smallest changes that make an impossible plan work, each verified by solving.

Every fix carries the changed request, and we only offer it after the search found a
timetable for it: a suggestion the teacher follows always works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from station_rotation.core.scheduling.attempt import attempt
from station_rotation.core.scheduling.diagnose import planned_rounds
from station_rotation.core.scheduling.model import Fix, Group, PlanRequest, Stop
from station_rotation.core.scheduling.timing import longest_round_for, rounds_that_fit

MIN_ROUND_MINUTES = 5
MAX_EXTRA_ROUNDS = 3
CHECK_BUDGET = 1_000  # search nodes per check: a fix too hard to confirm is not offered


def _works(request: PlanRequest) -> bool:
    return attempt(request, CHECK_BUDGET) is not None


def _more_rounds(request: PlanRequest) -> list[Fix]:
    pace = request.pace
    rounds = min(planned_rounds(request), rounds_that_fit(pace, request.start, request.end))
    for extra in range(1, MAX_EXTRA_ROUNDS + 1):
        wanted = rounds + extra
        minutes = min(
            pace.round_minutes, longest_round_for(wanted, pace, request.start, request.end)
        )
        if minutes < MIN_ROUND_MINUTES:
            return []
        fixed_rounds = wanted if pace.rounds is not None else None
        changed = replace(request, pace=replace(pace, round_minutes=minutes, rounds=fixed_rounds))
        if _works(changed):
            if minutes == pace.round_minutes:
                text = f"Add {'a round' if extra == 1 else f'{extra} rounds'} ({wanted} in all)."
            else:
                text = f"Make rounds {minutes} minutes long, so {wanted} rounds fit in the period."
            return [Fix("more-rounds", text, changed)]
    return []


def _bigger_station(request: PlanRequest) -> list[Fix]:
    out = []
    most = sum(g.size for g in request.groups)
    for s, station in enumerate(request.stations):
        if station.teacher_led or station.capacity >= most:
            continue

        def with_capacity(c: int, s: int = s) -> PlanRequest:
            stations = list(request.stations)
            stations[s] = replace(stations[s], capacity=c)
            return replace(request, stations=tuple(stations))

        if not _works(with_capacity(most)):
            continue
        low, high = station.capacity + 1, most
        while low < high:
            mid = (low + high) // 2
            if _works(with_capacity(mid)):
                high = mid
            else:
                low = mid + 1
        out.append(
            Fix(
                "larger-capacity",
                f"Let {station.name} hold {low} students instead of {station.capacity}.",
                with_capacity(low),
            )
        )
    return out


def _any_order(request: PlanRequest) -> list[Fix]:
    if not request.pace.ordered_paths:
        return []
    changed = replace(request, pace=replace(request.pace, ordered_paths=False))
    if _works(changed):
        return [Fix("any-order", "Let groups visit their stations in any order.", changed)]
    return []


def _with_group(request: PlanRequest, g: int, group: Group) -> PlanRequest:
    groups = list(request.groups)
    groups[g] = group
    return replace(request, groups=tuple(groups))


def _other_teacher_round(request: PlanRequest) -> list[Fix]:
    out = []
    rounds = planned_rounds(request)
    for g, group in enumerate(request.groups):
        if not group.needs_support:
            continue
        current = group.teacher_round or 1
        for r in range(1, rounds + 1):
            if r == current:
                continue
            changed = _with_group(request, g, replace(group, teacher_round=r))
            if _works(changed):
                out.append(
                    Fix(
                        "teacher-round",
                        f"Let {group.name} meet the teacher in round {r} instead of {current}.",
                        changed,
                    )
                )
                break
    return out


def _no_extra_time(request: PlanRequest) -> list[Fix]:
    out = []
    for g, group in enumerate(request.groups):
        if group.extra_minutes or group.extra_rounds:
            changed = _with_group(request, g, replace(group, extra_minutes=0, extra_rounds=0))
            if _works(changed):
                out.append(Fix("no-extra-time", f"Give {group.name} no extra time today.", changed))
    return out


def _may_do(request: PlanRequest) -> list[Fix]:
    for g, group in enumerate(request.groups):
        for i, stop in enumerate(group.path):
            if not stop.must_do:
                continue
            station = request.station(stop.station_id)
            if group.needs_support and station.teacher_led:
                continue
            path = list(group.path)
            path[i] = Stop(stop.station_id, must_do=False)
            changed = _with_group(request, g, replace(group, path=tuple(path)))
            if _works(changed):
                text = f"Make {station.name} a may-do station for {group.name} today."
                return [Fix("may-do", text, changed)]
    return []


def _fewer_groups(request: PlanRequest) -> list[Fix]:
    if len(request.groups) < 2:
        return []
    by_size = sorted(range(len(request.groups)), key=lambda g: (request.groups[g].size, g))
    a, b = sorted(by_size[:2])
    first, second = request.groups[a], request.groups[b]
    merged = replace(
        first,
        size=first.size + second.size,
        needs_support=first.needs_support or second.needs_support,
        teacher_round=first.teacher_round or second.teacher_round,
    )
    groups = [merged if g == a else group for g, group in enumerate(request.groups) if g != b]
    changed = replace(request, groups=tuple(groups))
    if _works(changed):
        text = (
            f"Combine {first.name} and {second.name} into one group "
            f"({len(groups)} groups instead of {len(request.groups)})."
        )
        return [Fix("fewer-groups", text, changed)]
    return []


FINDERS: tuple[Callable[[PlanRequest], list[Fix]], ...] = (
    _more_rounds,
    _bigger_station,
    _other_teacher_round,
    _any_order,
    _fewer_groups,
    _no_extra_time,
    _may_do,
)


def fixes(request: PlanRequest, limit: int = 6) -> list[Fix]:
    """Verified fixes, the gentlest kinds first."""
    out: list[Fix] = []
    for finder in FINDERS:
        out += finder(request)
        if len(out) >= limit:
            break
    return out[:limit]
