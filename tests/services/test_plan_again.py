"""Stories: the sample comes with today's plan; with no plan for today, the last plan is
started again, regrouped from the latest quick checks, and says who moved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from station_rotation.core.errors import ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import SAMPLE_PLAN_NAME, create_sample_class
from station_rotation.services.plans.again import plan_again

TODAY = date(2026, 11, 18)
YESTERDAY = TODAY - timedelta(days=1)


def test_the_sample_tried_today_has_a_plan_for_today(services: AppServices) -> None:
    """ "Try a sample class" leaves a plan the Rotation page offers as today's, ready to run."""
    section = create_sample_class(services, todays_plan=TODAY)
    plan = services.plans.plan_for_day(section.id, TODAY)
    assert plan is not None and plan.name == SAMPLE_PLAN_NAME
    spec, board = services.plans.run_for(plan.id)
    assert spec.rounds == 4 and len(board.groups) == 4


def test_the_last_plan_again_is_copied_to_today_and_regrouped_by_the_checks(
    services: AppServices,
) -> None:
    """Yesterday's plan, then quick checks: today's copy has tier groups and lists who
    moved, by name and new group."""
    section = create_sample_class(services)
    yesterday = services.plans.create(section.id, "Ratios", YESTERDAY)
    services.plans.edit_pace(yesterday.id, {"auto_advance": False})
    [target, *_] = services.targets.list_for(section.id)
    roster = services.roster.roster(section.id)
    for index, entry in enumerate(roster):
        services.quick_checks.record(
            class_id=section.id,
            student_id=entry.student.id,
            target_id=target.id,
            score=1 + index % 4,
        )

    again = plan_again(services, section.id, day=TODAY)

    assert again.regrouped and again.source.id == yesterday.id
    assert again.plan.id != yesterday.id and again.plan.lesson_date == TODAY
    assert services.plans.plan_for_day(section.id, TODAY) == again.plan
    assert again.plan.body.pace.auto_advance is False  # the pace goes with the copy
    assert len(again.plan.body.groups) == 4
    before = {sid: g.name for g in yesterday.body.groups for sid in g.student_ids}
    after = {sid: g.name for g in again.plan.body.groups for sid in g.student_ids}
    names = {e.student.id: e.student.display_name for e in roster}
    expected = {names[sid] for sid in after if after[sid] != before[sid]}
    assert expected and {m.student for m in again.moved} == expected
    line = again.summary()
    assert f"{len(expected)} students moved: " in line
    first = again.moved[0]
    assert f"{first.student} → {first.to_group}" in line
    assert services.plans.get(yesterday.id).body.groups == yesterday.body.groups


def test_with_no_quick_checks_the_groups_stay_and_it_says_why(services: AppServices) -> None:
    section = create_sample_class(services)
    last = services.plans.create(section.id, "Ratios", YESTERDAY)
    again = plan_again(services, section.id, day=TODAY)
    assert not again.regrouped and again.plan.body.groups[0].student_ids == (
        last.body.groups[0].student_ids
    )
    assert "no quick checks yet" in again.summary()


def test_a_class_without_any_plan_is_told_what_to_do(services: AppServices) -> None:
    section = create_sample_class(services)
    with pytest.raises(ValidationError, match="Plan page"):
        plan_again(services, section.id, day=TODAY)
