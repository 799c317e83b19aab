"""After class the teacher sees each student's latest level, their history and the trend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from station_rotation.services.app import AppServices
from station_rotation.services.checks.insights import InsightService, group_summaries
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection

DAY = timedelta(days=1)
START = datetime(2026, 9, 7, 14, 0, tzinfo=UTC)


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services, students=5)


@pytest.fixture
def insights(services: AppServices) -> InsightService:
    return InsightService(services.store)


def _ids(services: AppServices, class_id: str) -> tuple[list[str], list[str]]:
    students = [e.student.id for e in services.roster.roster(class_id)]
    targets = [t.id for t in services.targets.list_for(class_id)]
    return students, targets


@contextmanager
def count_queries(services: AppServices) -> Iterator[list[str]]:
    """Every query (SELECT or WITH) run on the read engine while inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(str(args[2]))

    engine = services.store.read_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_heatmap_shows_the_latest_standing_level(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """Older checks, corrected ones and absences never hide the level the teacher knows."""
    (ana, ben, *_), (t1, t2, *_) = _ids(services, sample.id)
    record = services.quick_checks.record
    record(class_id=sample.id, student_id=ana, target_id=t1, score=1, observed_at=START)
    typo = record(
        class_id=sample.id, student_id=ana, target_id=t1, score=4, observed_at=START + DAY
    )
    services.quick_checks.correct(typo.id, score=3)
    record(class_id=sample.id, student_id=ana, target_id=t2, score=2, observed_at=START)
    record(class_id=sample.id, student_id=ana, target_id=t2, absent=True, observed_at=START + DAY)
    slip = record(class_id=sample.id, student_id=ben, target_id=t1, score=2)
    services.quick_checks.withdraw(slip.id)

    heatmap = insights.heatmap(sample.id)
    assert heatmap.cell(ana, t1) is not None and heatmap.cell(ana, t1).score == 3  # type: ignore[union-attr]
    assert heatmap.cell(ana, t1).label == "3 Proficient"  # type: ignore[union-attr]
    assert heatmap.cell(ana, t2).score == 2  # type: ignore[union-attr]
    assert heatmap.cell(ben, t1) is None  # the withdrawn entry leaves the cell empty
    assert len(heatmap.cells) == 2
    assert heatmap.student_mean(ana) == pytest.approx((2 / 3 + 1 / 3) / 2)


def test_levels_on_different_scales_are_normalised(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """7 on a 0-10 points scale and "Almost" on a three-level scale sit on one 0..1 axis."""
    student, _ = _ids(services, sample.id)
    points = services.targets.create(sample.id, code="P", statement="Points", scale="points:10")
    three = services.targets.create(sample.id, code="G", statement="Got it", scale="three-level")
    record = services.quick_checks.record
    record(class_id=sample.id, student_id=student[0], target_id=points.id, score=7)
    record(class_id=sample.id, student_id=student[0], target_id=three.id, score=2)
    heatmap = insights.heatmap(sample.id)
    assert heatmap.cell(student[0], points.id).normalised == pytest.approx(0.7)  # type: ignore[union-attr]
    almost = heatmap.cell(student[0], three.id)
    assert almost is not None and almost.label == "Almost" and almost.normalised == 0.5


def test_each_view_is_one_query_for_its_data(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """The heat map costs a fixed number of queries however many cells it has."""
    students, targets = _ids(services, sample.id)
    for day in range(3):
        for s in students:
            for t in targets:
                services.quick_checks.record(
                    class_id=sample.id, student_id=s, target_id=t, score=1 + day,
                    observed_at=START + day * DAY,
                )  # fmt: skip
    with count_queries(services) as statements:
        heatmap = insights.heatmap(sample.id)
    cell_queries = [s for s in statements if "quick_check" in s]
    assert len(cell_queries) == 1 and len(statements) <= 3  # targets, students, cells
    assert len(heatmap.cells) == len(students) * len(targets)
    assert {level.score for level in heatmap.cells.values()} == {3}
    with count_queries(services) as statements:
        insights.sparklines(sample.id)
    assert len([s for s in statements if "quick_check" in s]) == 1


def test_timeline_lists_a_students_checks_per_target_in_order(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """The history shows levels and absences, oldest first; a corrected entry only once."""
    (ana, *_), (t1, t2, *_) = _ids(services, sample.id)
    record = services.quick_checks.record
    record(class_id=sample.id, student_id=ana, target_id=t1, score=3, observed_at=START + DAY)
    record(class_id=sample.id, student_id=ana, target_id=t1, score=1, observed_at=START)
    wrong = record(class_id=sample.id, student_id=ana, target_id=t1, score=1,
                   observed_at=START + 2 * DAY)  # fmt: skip
    services.quick_checks.correct(wrong.id, score=4)
    record(class_id=sample.id, student_id=ana, target_id=t2, absent=True, observed_at=START)
    timelines = {t.target.id: t for t in insights.timelines(sample.id, ana)}
    assert [p.level.score for p in timelines[t1].points if p.level] == [1, 3, 4]
    assert [p.absent for p in timelines[t2].points] == [True]
    assert len(timelines) == len(services.targets.list_for(sample.id))


def test_sparkline_is_the_daily_mean_over_targets(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """Two targets on one day average into one point; later days follow in order."""
    (ana, ben, *_), (t1, t2, *_) = _ids(services, sample.id)
    record = services.quick_checks.record
    record(class_id=sample.id, student_id=ana, target_id=t1, score=1, observed_at=START)
    record(class_id=sample.id, student_id=ana, target_id=t2, score=3, observed_at=START)
    record(class_id=sample.id, student_id=ana, target_id=t1, score=4, observed_at=START + DAY)
    series = insights.sparklines(sample.id)
    assert series[ana] == pytest.approx([1 / 3, 1.0])
    assert ben not in series
    assert insights.sparklines(sample.id, last_days=1)[ana] == pytest.approx([1.0])


def test_group_summaries_show_means_and_spread(
    services: AppServices, sample: ClassSection, insights: InsightService
) -> None:
    """A group's mean per target, and how many of its students sit at each level."""
    (a, b, c, *_), (t1, *_) = _ids(services, sample.id)
    for student, score in ((a, 1), (b, 4), (c, 4)):
        services.quick_checks.record(
            class_id=sample.id, student_id=student, target_id=t1, score=score
        )
    services.student_notes.flag(sample.id, a)
    heatmap = insights.heatmap(sample.id)
    assert [s.needs_support for s in heatmap.students if s.id == a] == [True]
    (first, second) = group_summaries(heatmap, [("Red", [a, b]), ("Blue", [c])])
    assert first.means[t1] == pytest.approx(0.5) and first.counts[t1] == [1, 0, 0, 1]
    assert second.means[t1] == 1.0 and second.overall == 1.0
