"""Stories: groups suggested from the class's quick checks, notes and pairs, then moved by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.model import Timetable
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection, StudentNote
from station_rotation.store.plan_body import Plan

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services)


def _ids(services: AppServices, section: ClassSection) -> list[str]:
    return [entry.student.id for entry in services.roster.roster(section.id)]


def _record_levels(
    services: AppServices, section: ClassSection, levels: dict[str, int], *, days_ago: int = 0
) -> None:
    """One check per student on each of the first two targets (mastery 1-4)."""
    targets = services.targets.list_for(section.id)[:2]
    for student_id, level in levels.items():
        for target in targets:
            services.quick_checks.record(
                class_id=section.id,
                student_id=student_id,
                target_id=target.id,
                score=level,
                observed_at=MONDAY - timedelta(days=days_ago),
            )


def test_tiers_put_low_scorers_together_with_the_teacher_first(
    services: AppServices, sample: ClassSection
) -> None:
    """Seven students at level 1 form one group that meets the teacher in round 1."""
    ids = _ids(services, sample)
    low, high = ids[:7], ids[7:14]
    levels = {s: 1 for s in low} | {s: 4 for s in high} | {s: 3 for s in ids[14:]}
    _record_levels(services, sample, levels)
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=3)

    groups = formed.plan.body.groups
    support = [g for g in groups if g.needs_support]
    assert len(support) == 1 and set(support[0].student_ids) == set(low)
    assert formed.group_tiers[support[0].id] == "Needs support"
    assert any(set(g.student_ids) == set(high) for g in groups)
    assert all(formed.student_tiers[s] == "Needs support" for s in low)
    assert {g.name for g in groups} == {"Blue", "Orange", "Green", "Yellow"}  # colours only
    assert all("support" not in g.name.casefold() for g in groups)
    teacher = services.stations.list_for(sample.id)[0]
    assert support[0].path[0].station_id == teacher.id
    timetable = services.plans.schedule(plan.id)
    assert isinstance(timetable, Timetable)
    assert timetable.at(0, support[0].id).station_id == teacher.id
    assert services.plans.get(plan.id).body.groups == groups  # saved


def test_two_support_groups_meet_the_teacher_one_after_the_other(
    services: AppServices, sample: ClassSection
) -> None:
    """Fourteen low scorers make two support groups: the teacher sees one in round 1, one in 2."""
    ids = _ids(services, sample)
    _record_levels(services, sample, {s: (1 if i < 14 else 4) for i, s in enumerate(ids)})
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=1)

    support = [g for g in formed.plan.body.groups if g.needs_support]
    assert len(support) == 2
    timetable = services.plans.schedule(plan.id)
    assert isinstance(timetable, Timetable)
    teacher = services.stations.list_for(sample.id)[0].id
    assert timetable.at(0, support[0].id).station_id == teacher
    assert timetable.at(1, support[1].id).station_id == teacher


def test_only_the_latest_standing_result_counts(
    services: AppServices, sample: ClassSection
) -> None:
    """An old low score, a corrected one and an absent check do not pull a student down."""
    ids = _ids(services, sample)
    _record_levels(services, sample, {s: (1 if i < 7 else 3) for i, s in enumerate(ids)})
    improved, corrected = ids[0], ids[1]
    _record_levels(services, sample, {improved: 4}, days_ago=-1)  # a day later: got it
    targets = services.targets.list_for(sample.id)[:2]
    for check in services.quick_checks.history(sample.id, student_id=corrected):
        services.quick_checks.correct(check.id, score=4)
    services.quick_checks.record(
        class_id=sample.id, student_id=ids[2], target_id=targets[0].id, absent=True
    )
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=2)

    assert formed.student_tiers[improved] == "Ready for challenge"
    assert formed.student_tiers[corrected] == "Ready for challenge"
    assert formed.student_tiers[ids[2]] == "Needs support"  # absent check ignored


def test_targets_on_other_scales_are_normalised(
    services: AppServices, sample: ClassSection
) -> None:
    """9 out of 10 points is high, 2 out of 10 is low, on a points target chosen alone."""
    ids = _ids(services, sample)
    target = services.targets.create(
        sample.id, statement="I can divide fractions", scale="points:10"
    )
    for i, student_id in enumerate(ids):
        services.quick_checks.record(
            class_id=sample.id, student_id=student_id, target_id=target.id, score=2 if i < 7 else 9
        )
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(
        plan.id, method="tiers", count=4, target_ids=[target.id], seed=0
    )

    assert {s for s, t in formed.student_tiers.items() if t == "Needs support"} == set(ids[:7])
    assert {s for s, t in formed.student_tiers.items() if t == "Ready for challenge"} == set(
        ids[7:]
    )


def test_a_needs_support_note_flags_a_student(services: AppServices, sample: ClassSection) -> None:
    """A student with an active needs-support note joins the support tier whatever the score."""
    ids = _ids(services, sample)
    _record_levels(services, sample, {s: (1 if i < 6 else 4) for i, s in enumerate(ids)})
    flagged, ended = ids[20], ids[21]
    with services.store.write() as tx:
        tx.put(StudentNote(class_id=sample.id, student_id=flagged, kind="needs_support"))
        tx.put(
            StudentNote(class_id=sample.id, student_id=ended, kind="needs_support", active=False)
        )
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=0)

    support = next(g for g in formed.plan.body.groups if g.needs_support)
    assert flagged in support.student_ids and ended not in support.student_ids


def test_mixed_groups_spread_the_levels(services: AppServices, sample: ClassSection) -> None:
    """Mixed-ability: every group has low and high scorers, and none needs the teacher first."""
    ids = _ids(services, sample)
    levels = {s: (1 if i < 8 else 4 if i < 16 else 3) for i, s in enumerate(ids)}
    _record_levels(services, sample, levels)
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="mixed", count=4, seed=5)

    for group in formed.plan.body.groups:
        assert [levels[s] for s in group.student_ids].count(1) == 2
        assert [levels[s] for s in group.student_ids].count(4) == 2
        assert not group.needs_support


@pytest.mark.parametrize("method", ["random", "balanced", "tiers", "mixed"])
def test_keep_apart_and_together_are_honoured(
    services: AppServices, sample: ClassSection, method: str
) -> None:
    """Two pairs kept apart and one kept together, whatever the method; absent left out."""
    ids = _ids(services, sample)
    _record_levels(services, sample, {s: 1 + i % 4 for i, s in enumerate(ids)})
    plan = services.plans.create(sample.id, "Tuesday")
    services.plans.set_absent(plan.id, ids[27], True)
    apart = [(ids[0], ids[1]), (ids[4], ids[8])]
    together = [(ids[10], ids[11])]

    for seed in range(5):
        formed = services.plans.form_groups(
            plan.id,
            method=method,  # type: ignore[arg-type]
            size=7,
            keep_apart=apart,
            keep_together=together,
            seed=seed,
        )
        groups = formed.plan.body.groups
        where = {s: g.id for g in groups for s in g.student_ids}
        assert all(where[a] != where[b] for a, b in apart)
        assert where[ids[10]] == where[ids[11]]
        assert ids[27] not in where
        assert sorted(len(g.student_ids) for g in groups) == [6, 7, 7, 7]
        assert formed.warnings == ()


def test_moving_a_student_by_hand(services: AppServices, sample: ClassSection) -> None:
    """Drag (or keyboard) a student from Blue to Yellow; an unknown group is refused."""
    plan: Plan = services.plans.create(sample.id, "Tuesday")
    student = plan.body.groups[0].student_ids[0]
    yellow = plan.body.groups[3].id

    moved = services.plans.move_student(plan.id, student, yellow)

    assert student not in moved.body.groups[0].student_ids
    assert moved.body.groups[3].student_ids[-1] == student
    with pytest.raises(ValidationError, match="no longer in this plan"):
        services.plans.move_student(plan.id, student, "no-such-group")


@pytest.mark.parametrize("method", ["random", "balanced", "tiers", "mixed"])
def test_suggested_groups_always_make_a_working_schedule(
    services: AppServices, sample: ClassSection, method: str
) -> None:
    """One group per station: every method's groups and paths fit the default period."""
    ids = _ids(services, sample)
    _record_levels(services, sample, {s: 1 + (i * 7) % 4 for i, s in enumerate(ids)})
    plan = services.plans.create(sample.id, "Tuesday")
    for seed in range(4):
        formed = services.plans.form_groups(
            plan.id,
            method=method,  # type: ignore[arg-type]
            count=4,
            seed=seed,
        )
        result = services.plans.schedule(plan.id)
        assert isinstance(result, Timetable), (seed, result)
        assert len(result.group_ids) == 4 == len(formed.plan.body.groups)


def test_a_target_from_an_earlier_unit_still_counts(
    services: AppServices, sample: ClassSection
) -> None:
    """Checks from two months ago count for pairs not checked since; newer ones win."""
    ids = _ids(services, sample)
    old_unit, this_unit = services.targets.list_for(sample.id)[:2]

    def check(student_id: str, target_id: str, score: int, days_ago: int) -> None:
        services.quick_checks.record(
            class_id=sample.id,
            student_id=student_id,
            target_id=target_id,
            score=score,
            observed_at=MONDAY - timedelta(days=days_ago),
        )

    for i, student_id in enumerate(ids):
        check(student_id, old_unit.id, 1 if i < 7 else 4, days_ago=60)
        if i >= 7:
            check(student_id, this_unit.id, 4, days_ago=0)
    check(ids[7], old_unit.id, 1, days_ago=90)  # older than the old unit's check: ignored
    check(ids[8], old_unit.id, 1, days_ago=1)  # newer than it: counts
    plan = services.plans.create(sample.id, "Tuesday")

    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=0)

    tiers = formed.student_tiers
    assert {s for s in ids if tiers[s] == "Needs support"} == set(ids[:7])
    assert tiers[ids[7]] == "Ready for challenge"
    assert tiers[ids[8]] == "On target"  # (1 + 4) / 2 levels: 0.5


def test_a_wish_that_cannot_be_kept_is_said_with_names(
    services: AppServices, sample: ClassSection
) -> None:
    """One group cannot keep two students apart: the warning names them, never by id."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Tuesday")
    a, b = services.roster.get_student(ids[0]), services.roster.get_student(ids[1])

    formed = services.plans.form_groups(
        plan.id, method="random", count=1, keep_apart=[(a.id, b.id)], seed=0
    )

    assert formed.warnings == (
        f"{a.display_name} and {b.display_name} could not be kept apart with these group sizes.",
    )
