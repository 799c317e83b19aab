"""Stories: a teacher plans a period, and hears plainly why an impossible plan cannot work."""

from __future__ import annotations

from datetime import time

import pytest
from schedule_checker import violations

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.model import (
    CellKind,
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

ROOM = (
    Station("teacher", "Teacher table", 6, StationKind.TEACHER_LED),
    Station("online", "Computers", 8, StationKind.ONLINE),
    Station("collab", "Group work", 12, StationKind.COLLABORATIVE),
    Station("practice", "Practice", 12, StationKind.INDEPENDENT),
)


def rotating_path(shift: int) -> tuple[Stop, ...]:
    ids = [s.id for s in ROOM]
    return tuple(Stop(i) for i in ids[shift:] + ids[:shift])


def test_class_with_an_absent_student_and_a_support_group() -> None:
    """Blue (5 today, one absent) needs support and meets the teacher first; all paths fit."""
    groups = (
        Group("blue", "Blue", 5, rotating_path(1), needs_support=True),
        Group("orange", "Orange", 6, rotating_path(1)),
        Group("green", "Green", 6, rotating_path(2)),
        Group("yellow", "Yellow", 6, rotating_path(3)),
    )
    request = PlanRequest(ROOM, groups, Pace(15, 2), time(9, 0), time(10, 15))
    result = generate_schedule(request)
    assert isinstance(result, Timetable)
    assert violations(request, result) == []
    assert result.at(0, "blue").station_id == "teacher"
    assert [r.start for r in result.rounds] == [time(9, 0), time(9, 17), time(9, 34), time(9, 51)]
    assert result.rounds[-1].end == time(10, 6)


def test_may_do_stops_fill_free_rounds_and_the_rest_is_free_choice() -> None:
    """A quick group with one must-do and a may-do gets both; what is left is free choice."""
    groups = (
        Group("blue", "Blue", 6, (Stop("online"), Stop("collab", must_do=False))),
        Group("orange", "Orange", 6, tuple(Stop(s.id) for s in ROOM)),
    )
    request = PlanRequest(ROOM, groups, Pace(12, 3), time(13, 0), time(14, 0))
    result = generate_schedule(request)
    assert isinstance(result, Timetable)
    assert violations(request, result) == []
    blue = [result.at(r, "blue") for r in range(len(result.rounds))]
    assert [c.kind for c in blue] == [
        CellKind.MUST_DO,
        CellKind.MAY_DO,
        CellKind.FREE,
        CellKind.FREE,
    ]


def test_six_groups_cannot_share_the_teacher_in_five_rounds() -> None:
    """An impossible plan names the broken rule and offers fixes that each really work."""
    groups = tuple(
        Group(f"g{i}", name, 5, (Stop("teacher"), Stop("practice")))
        for i, name in enumerate(["Blue", "Orange", "Green", "Yellow", "Sky", "Purple"])
    )
    request = PlanRequest(ROOM, groups, Pace(15, 2, rounds=5), time(9, 0), time(10, 30))
    result = generate_schedule(request)
    assert isinstance(result, Infeasible)
    text = result.explanation()
    assert (
        "6 groups must visit the teacher-led station (Teacher table), but there are only 5 rounds."
        in text
    )
    # Six rounds would leave the last visitor of the teacher no round for practice after it.
    assert "Make rounds 11 minutes long, so 7 rounds fit in the period." in text
    for fix in result.fixes:
        assert isinstance(generate_schedule(fix.applied), Timetable)


def test_a_group_too_big_for_the_computers_is_told_the_capacity_to_ask_for() -> None:
    """Nine students cannot all sit at eight computers: say so, and suggest nine seats."""
    groups = (Group("blue", "Blue", 9, (Stop("online"),)),)
    request = PlanRequest(ROOM, groups, Pace(15), time(9, 0), time(9, 30))
    result = generate_schedule(request)
    assert isinstance(result, Infeasible)
    assert "Blue has 9 students, but Computers holds only 8." in result.explanation()
    assert "Let Computers hold 9 students instead of 8." in result.explanation()


def test_a_period_too_short_for_the_rounds_asked_for() -> None:
    """Four 20-minute rounds do not fit in 45 minutes; the explanation says how long they take."""
    groups = (Group("blue", "Blue", 5, (Stop("online"),)),)
    request = PlanRequest(ROOM, groups, Pace(20, 5, rounds=4), time(9, 0), time(9, 45))
    result = generate_schedule(request)
    assert isinstance(result, Infeasible)
    assert (
        "4 rounds of 20 minutes with 5-minute transitions take 95 minutes" in result.explanation()
    )


def test_same_input_same_timetable() -> None:
    """Generating twice gives the same grid, so a re-plan does not shuffle the room."""
    groups = tuple(Group(f"g{i}", f"G{i}", 6, rotating_path(i)) for i in range(4))
    request = PlanRequest(ROOM, groups, Pace(15, 2), time(9, 0), time(10, 15))
    assert generate_schedule(request) == generate_schedule(request)


def test_support_group_meets_the_teacher_in_the_round_she_picks() -> None:
    """Blue needs support but arrives late: the teacher sees them in round 3, path order kept."""
    groups = (
        Group(
            "blue", "Blue", 5, (Stop("online"), Stop("collab")), needs_support=True, teacher_round=3
        ),
        Group("orange", "Orange", 6, rotating_path(0)),
    )
    request = PlanRequest(ROOM, groups, Pace(15, 2), time(9, 0), time(10, 15))
    result = generate_schedule(request)
    assert isinstance(result, Timetable)
    assert violations(request, result) == []
    assert [result.at(r, "blue").station_id for r in range(3)] == ["online", "collab", "teacher"]


def test_a_slow_group_stays_two_rounds_at_each_stop() -> None:
    """Five extra minutes on 15-minute rounds round up: Green spends two rounds per station."""
    groups = (Group("green", "Green", 6, (Stop("online"), Stop("practice")), extra_minutes=5),)
    request = PlanRequest(ROOM, groups, Pace(15, 0), time(9, 0), time(10, 0))
    result = generate_schedule(request)
    assert isinstance(result, Timetable)
    assert [result.at(r, "green").station_id for r in range(4)] == [
        "online",
        "online",
        "practice",
        "practice",
    ]


def test_a_period_that_ends_before_it_starts_is_refused_plainly() -> None:
    """A swapped start and end time is a form mistake; the message says what to fix."""
    request = PlanRequest(ROOM, (), Pace(15), time(10, 0), time(9, 0))
    with pytest.raises(ValidationError, match="The period must end after it starts"):
        generate_schedule(request)
