"""Stories: a plan becomes a timetable, a run's board and a CSV; absences re-plan at once."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest

from station_rotation.core.errors import ValidationError
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.core.scheduling.model import Infeasible, Timetable
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.rotation import RotationService
from station_rotation.store.plan_body import OwnPath, Plan, PlanStop


def _plan(services: AppServices) -> tuple[Plan, list[str]]:
    section = create_sample_class(services)
    stations = [s.id for s in services.stations.list_for(section.id)]
    return services.plans.create(section.id, "Tuesday"), stations


def test_an_absent_student_re_plans_at_once(services: AppServices) -> None:
    """Marking a student absent returns the new timetable; a group nobody attends drops out."""
    plan, _ = _plan(services)
    blue = plan.body.groups[0]

    result = services.plans.set_absent(plan.id, blue.student_ids[0], True)
    assert isinstance(result, Timetable)
    assert services.plans.get(plan.id).body.absent_ids == [blue.student_ids[0]]

    for student_id in blue.student_ids[1:]:
        result = services.plans.set_absent(plan.id, student_id, True)
    assert isinstance(result, Timetable)
    assert blue.id not in result.group_ids and len(result.group_ids) == 3

    back = services.plans.set_absent(plan.id, blue.student_ids[0], False)
    assert isinstance(back, Timetable) and back.group_ids[0] == blue.id
    _, board = services.plans.run_for(plan.id)
    assert len(board.groups[0].first_names) == 1


def test_a_support_group_meets_the_teacher_first(services: AppServices) -> None:
    """Paths in any order: a support group starting elsewhere meets the teacher in round 1."""
    plan, stations = _plan(services)
    body = plan.body.model_copy(deep=True)
    body.pace.ordered_paths = False
    green = body.groups[2]
    green.needs_support = True
    services.plans.save(plan.id, body)

    result = services.plans.schedule(plan.id)

    assert isinstance(result, Timetable)
    assert result.at(0, green.id).station_id == stations[0]  # the teacher table
    for group in body.groups:
        visited = {result.at(r, group.id).station_id for r in range(len(result.rounds))}
        assert visited == set(stations)


def test_a_support_group_meets_the_teacher_in_the_round_picked(services: AppServices) -> None:
    """In-order paths: the teacher picks round 3 for Green, whose path gets there then."""
    plan, stations = _plan(services)
    body = plan.body.model_copy(deep=True)
    green = body.groups[2]
    green.needs_support, green.teacher_round = True, 3
    services.plans.save(plan.id, body)

    result = services.plans.schedule(plan.id)

    assert isinstance(result, Timetable)
    assert result.at(2, green.id).station_id == stations[0]


def test_run_for_gives_the_board_of_the_timetable(services: AppServices) -> None:
    """The board's rounds are the timetable's; groups carry present first names only."""
    plan, _ = _plan(services)
    absent = plan.body.groups[1].student_ids[0]
    services.plans.set_absent(plan.id, absent, True)
    timetable = services.plans.schedule(plan.id)
    assert isinstance(timetable, Timetable)

    spec, board = services.plans.run_for(plan.id)

    assert spec == RunSpec((900.0,) * 4, 120.0)
    assert board.plan_id == plan.id
    assert [g.id for g in board.groups] == list(timetable.group_ids)
    assert board.rounds == tuple(tuple(cell.station_id for cell in row) for row in timetable.cells)
    assert [g.name for g in board.groups] == ["Blue", "Orange", "Green", "Yellow"]
    assert board.groups[0].colour == "#0072B2"
    assert len(board.groups[1].first_names) == 6
    present = [s for s in plan.body.groups[1].student_ids if s != absent]
    assert board.groups[1].first_names == tuple(
        services.roster.get_student(s).first_name for s in present
    )
    online = next(s for s in board.stations if s.kind == "online")
    assert online.content_url.startswith("https://")
    assert online.instructions.startswith("Log in")


def test_a_student_on_their_own_path_is_a_group_of_one(services: AppServices) -> None:
    """An own path is scheduled as a one-student group named by the student's first name."""
    plan, stations = _plan(services)
    body = plan.body.model_copy(deep=True)
    student_id = body.groups[0].student_ids[0]
    body.own_paths.append(
        OwnPath(
            student_id=student_id,
            path=[PlanStop(station_id=stations[1]), PlanStop(station_id=stations[3])],
        )
    )
    saved = services.plans.save(plan.id, body)
    assert student_id not in saved.body.groups[0].student_ids

    spec, board = services.plans.run_for(plan.id)

    first = services.roster.get_student(student_id).first_name
    alone = next(g for g in board.groups if g.first_names == (first,))
    assert alone.name == first
    index = board.groups.index(alone)
    visited = [row[index] for row in board.rounds]
    assert stations[1] in visited and stations[3] in visited
    assert visited.index(stations[1]) < visited.index(stations[3])
    assert spec.rounds == len(board.rounds)


def test_an_impossible_plan_says_why_and_cannot_be_run(services: AppServices) -> None:
    """A 40-minute period cannot hold four 15-minute rounds: explained, with a fix."""
    plan, _ = _plan(services)
    body = plan.body.model_copy(deep=True)
    body.end = time(9, 40)
    services.plans.save(plan.id, body)

    result = services.plans.schedule(plan.id)

    assert isinstance(result, Infeasible)
    assert result.fixes, result.explanation()
    with pytest.raises(ValidationError, match="This plan cannot work yet") as raised:
        services.plans.run_for(plan.id)
    assert str(raised.value) == result.explanation()
    with pytest.raises(ValidationError, match="cannot work"):
        services.plans.timetable_csv(plan.id)


def test_the_timetable_opens_cleanly_in_a_spreadsheet(services: AppServices) -> None:
    """CSV: a BOM, CRLF rows, a header of groups, clock times and station names."""
    plan, _ = _plan(services)

    text = services.plans.timetable_csv(plan.id)

    assert text.startswith("\ufeffRound,Start,End,Blue,Orange,Green,Yellow\r\n")
    assert text.count("\r\n") == 5 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][:4] == ["1", "09:00", "09:15", "Teacher table"]
    assert rows[4][:3] == ["4", "09:51", "10:06"]
    assert sorted(row[3] for row in rows[1:]) == sorted(
        s.name for s in services.stations.list_for(plan.class_id)
    )


def test_a_may_do_stop_is_marked_in_the_csv(services: AppServices) -> None:
    """A may-do stop says so in its cell."""
    plan, stations = _plan(services)
    body = plan.body.model_copy(deep=True)
    for group in body.groups:
        group.path = [
            PlanStop(station_id=s.station_id, must_do=s.station_id != stations[3])
            for s in group.path
        ]
    services.plans.save(plan.id, body)

    text = services.plans.timetable_csv(plan.id)

    assert text.count("Independent practice (may do)") == 4


def test_a_day_with_everybody_absent_has_nothing_to_run(services: AppServices) -> None:
    """Nobody present: no rotation to start, and forming groups keeps the plan's groups."""
    plan, _ = _plan(services)
    for group in plan.body.groups:
        for student_id in group.student_ids:
            services.plans.set_absent(plan.id, student_id, True)

    with pytest.raises(ValidationError, match="Nobody is in a group today"):
        services.plans.run_for(plan.id)
    with pytest.raises(ValidationError, match="Nobody is marked present"):
        services.plans.form_groups(plan.id, method="random", count=4)
    assert services.plans.get(plan.id).body.groups == plan.body.groups


def test_todays_plan_starts_a_run_that_survives_a_restart(services: AppServices) -> None:
    """The rotation panel finds today's plan, starts a run from it; the board is kept."""
    plan, _ = _plan(services)
    today = date.today()
    services.plans.set_lesson_date(plan.id, today)
    services.plans.create(plan.class_id, "Tomorrow", today + timedelta(days=1))
    found = services.plans.plan_for_day(plan.class_id)
    assert found is not None and found.id == plan.id
    assert services.plans.plan_for_day(plan.class_id, today - timedelta(days=1)) is None

    spec, board = services.plans.run_for(plan.id)
    live = services.rotation.start(plan.class_id, spec, title=plan.name, board=board)

    rebuilt = RotationService(services.store).live(live.run_id)
    assert rebuilt.board == board
    assert rebuilt.clock.spec == spec
