"""Property tests: every timetable is valid, and the generator is as complete as brute force."""

from __future__ import annotations

from datetime import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_checker import brute_force_exists, violations

from station_rotation.core.scheduling.model import (
    Group,
    Infeasible,
    Pace,
    PlanRequest,
    Station,
    Stop,
    Timetable,
)
from station_rotation.core.scheduling.schedule import generate_schedule
from station_rotation.core.stations import StationKind


@st.composite
def requests(
    draw: st.DrawFn, max_stations: int = 3, max_groups: int = 3, max_rounds: int = 4
) -> PlanRequest:
    """Small random plans: one optional teacher-led station, paths, pace and support groups."""
    n_stations = draw(st.integers(1, max_stations))
    with_teacher = draw(st.booleans())
    stations = tuple(
        Station(
            f"s{i}",
            f"Station {i}",
            draw(st.integers(1, 12)),
            StationKind.TEACHER_LED if with_teacher and i == 0 else StationKind.INDEPENDENT,
        )
        for i in range(n_stations)
    )
    groups = []
    for g in range(draw(st.integers(1, max_groups))):
        ids = draw(st.permutations([s.id for s in stations]))
        length = draw(st.integers(0, len(ids)))
        path = tuple(Stop(i, draw(st.booleans() | st.just(True))) for i in ids[:length])
        groups.append(
            Group(
                f"g{g}",
                f"Group {g}",
                draw(st.integers(1, 8)),
                path,
                needs_support=draw(st.booleans()) if with_teacher else False,
                teacher_round=draw(st.none() | st.integers(1, 3)),
                extra_minutes=draw(st.sampled_from([0, 0, 0, 5])),
                extra_rounds=draw(st.sampled_from([0, 0, 0, 1])),
            )
        )
    pace = Pace(
        round_minutes=draw(st.sampled_from([10, 15])),
        transition_minutes=draw(st.integers(0, 3)),
        rounds=draw(st.integers(1, max_rounds)),
        ordered_paths=draw(st.booleans()),
    )
    end_minutes = draw(st.integers(10, 80))
    return PlanRequest(
        stations, tuple(groups), pace, time(9), time(9 + end_minutes // 60, end_minutes % 60)
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_generator_agrees_with_brute_force(request: PlanRequest) -> None:
    """When brute force finds a timetable the generator does too, and what it returns is valid."""
    assert request.pace.rounds is not None
    result = generate_schedule(request)
    exists = brute_force_exists(request, request.pace.rounds)
    if isinstance(result, Timetable):
        assert violations(request, result) == []
        assert exists
    else:
        assert not exists, "generator said impossible but brute force found a timetable"
        assert result.problems


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_stations=5, max_groups=5, max_rounds=6))
def test_every_timetable_is_valid_and_every_fix_works(request: PlanRequest) -> None:
    """Larger plans: any timetable breaks no rule, and every suggested fix really solves."""
    result = generate_schedule(request)
    if isinstance(result, Timetable):
        assert violations(request, result) == []
        return
    assert isinstance(result, Infeasible)
    for fix in result.fixes:
        fixed = generate_schedule(fix.applied)
        assert isinstance(fixed, Timetable), fix.message
        assert violations(fix.applied, fixed) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_rounds=4), st.booleans())
def test_auto_rounds_finds_a_plan_when_any_round_count_fits(request: PlanRequest, _: bool) -> None:
    """With rounds on auto, the generator succeeds whenever some round count that fits works."""
    auto = PlanRequest(
        request.stations,
        request.groups,
        Pace(
            request.pace.round_minutes,
            request.pace.transition_minutes,
            None,
            request.pace.ordered_paths,
        ),
        request.start,
        request.end,
    )
    result = generate_schedule(auto)
    step = auto.pace.round_minutes + auto.pace.transition_minutes
    period = (auto.end.hour - 9) * 60 + auto.end.minute
    fit = (period + auto.pace.transition_minutes) // step
    if isinstance(result, Timetable):
        assert violations(auto, result) == []
    else:
        assert not any(brute_force_exists(auto, r) for r in range(1, min(fit, 5) + 1))
