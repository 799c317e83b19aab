"""The plan page's small edits are the plan service's: one group's fields, the pace, an
own path; each checked like a whole plan, saved, queued for sync and announced."""

from __future__ import annotations

from datetime import date, time

import pytest

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.plan_body import Plan, PlanStop

TUESDAY = date(2026, 11, 17)


@pytest.fixture
def plan(services: AppServices) -> Plan:
    section = create_sample_class(services)
    return services.plans.create(section.id, "Ratios day 1", TUESDAY)


def test_a_group_is_renamed_and_recoloured(services: AppServices, plan: Plan) -> None:
    """Only the named fields of that one group change; the change is announced."""
    heard: list[Changes] = []
    services.bus.subscribe(heard.append)
    first, second = plan.body.groups[0], plan.body.groups[1]
    saved = services.plans.edit_group(plan.id, first.id, {"name": "Foxes", "colour": "#0072B2"})
    stored = services.plans.get(plan.id)
    assert saved == stored
    assert (stored.body.groups[0].name, stored.body.groups[0].colour) == ("Foxes", "#0072B2")
    assert stored.body.groups[0].student_ids == first.student_ids
    assert stored.body.groups[1] == second
    assert heard and heard[-1].touches("rotation_plan")


def test_a_path_extra_time_and_support_are_saved(services: AppServices, plan: Plan) -> None:
    """A reordered path with a may-do stop, extra minutes, the teacher's round."""
    group = plan.body.groups[0]
    path = [PlanStop(station_id=s.station_id, must_do=False) for s in reversed(group.path)]
    services.plans.edit_group(
        plan.id,
        group.id,
        {"path": path, "needs_support": True, "teacher_round": 2, "extra_minutes": 5},
    )
    stored = services.plans.get(plan.id).body.groups[0]
    assert stored.path == path
    assert (stored.needs_support, stored.teacher_round, stored.extra_minutes) == (True, 2, 5)


def test_an_own_path_is_given_and_edited(services: AppServices, plan: Plan) -> None:
    """A student leaves the group with its path; their own path is then edited alone."""
    group = plan.body.groups[0]
    student = group.student_ids[0]
    given = services.plans.give_own_path(plan.id, student)
    assert [o.student_id for o in given.body.own_paths] == [student]
    assert given.body.own_paths[0].path == group.path
    assert student not in given.body.groups[0].student_ids
    assert services.plans.give_own_path(plan.id, student) == given  # already: unchanged

    services.plans.edit_group(plan.id, f"own:{student}", {"path": group.path[:2]})
    assert services.plans.get(plan.id).body.own_paths[0].path == group.path[:2]
    assert services.plans.get(plan.id).body.groups[0].path == group.path


def test_a_student_no_longer_on_an_own_path_changes_nothing(
    services: AppServices, plan: Plan
) -> None:
    """An edit for an own path that is gone (a stale screen): the plan is left as it is."""
    assert services.plans.edit_group(plan.id, "own:nobody", {"extra_minutes": 5}) == plan
    assert services.plans.get(plan.id) == plan


@pytest.mark.parametrize(
    ("group_id", "fields", "message"),
    [
        ("no-such-group", {"name": "Foxes"}, "no longer in this plan"),
        (None, {"colour": "red"}, "colour"),
        (None, {"extra_minutes": 999}, "xtra"),
    ],
)
def test_a_refused_group_edit_leaves_the_plan(
    services: AppServices, plan: Plan, group_id: str | None, fields: dict[str, object],
    message: str,
) -> None:  # fmt: skip
    """A group that is gone, a colour that is no colour, too much extra time: refused with
    a message, nothing saved."""
    with pytest.raises(StationRotationError, match=message):
        services.plans.edit_group(plan.id, group_id or plan.body.groups[0].id, fields)  # type: ignore[arg-type]
    assert services.plans.get(plan.id) == plan


def test_an_own_path_has_no_name(services: AppServices, plan: Plan) -> None:
    """Only groups have names; an own path refuses one instead of growing a field."""
    student = plan.body.groups[0].student_ids[0]
    given = services.plans.give_own_path(plan.id, student)
    with pytest.raises(StationRotationError, match="no name"):
        services.plans.edit_group(plan.id, f"own:{student}", {"name": "Solo"})
    assert services.plans.get(plan.id) == given


def test_the_pace_period_and_fast_finisher_text(services: AppServices, plan: Plan) -> None:
    """The pace goes into ``pace``, the period and the text into the body; the rest stays."""
    services.plans.edit_pace(
        plan.id,
        {"round_minutes": 12, "rounds": 3, "start": time(8, 30), "fast_finisher": "Read on"},
    )
    body = services.plans.get(plan.id).body
    assert (body.pace.round_minutes, body.pace.rounds) == (12, 3)
    assert body.pace.transition_minutes == plan.body.pace.transition_minutes
    assert (body.start, body.end, body.fast_finisher) == (time(8, 30), plan.body.end, "Read on")
    assert body.groups == plan.body.groups


def test_a_refused_pace_leaves_the_plan(services: AppServices, plan: Plan) -> None:
    """A round of no minutes is refused with a message; the stored plan is unchanged."""
    with pytest.raises(StationRotationError):
        services.plans.edit_pace(plan.id, {"round_minutes": 0})
    assert services.plans.get(plan.id) == plan
