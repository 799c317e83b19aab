"""Quick checks are saved at once, corrected by new facts, and never overwritten."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from station_rotation.core.errors import ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ChangeLog, ClassSection


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services, students=6)


def test_a_check_is_saved_and_queued_for_sync(services: AppServices, sample: ClassSection) -> None:
    """One keystroke's worth: the check is in the file with its outbox entry."""
    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    check = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=3
    )
    assert services.quick_checks.current(sample.id)[(student.id, target.id)].id == check.id
    with services.store.read() as session:
        entry = session.exec(select(ChangeLog).where(ChangeLog.record_id == check.id)).one()
    assert entry.entity == "quick_check" and json.loads(entry.payload)["score"] == 3
    assert entry.hlc == check.hlc


def test_a_correction_supersedes_and_history_stays(
    services: AppServices, sample: ClassSection
) -> None:
    """Typing 2 then correcting to 3 shows 3; both facts remain in the history."""
    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    first = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=2
    )
    fixed = services.quick_checks.correct(first.id, score=3)
    assert fixed.supersedes == first.id
    assert services.quick_checks.current(sample.id)[(student.id, target.id)].score == 3
    assert [c.score for c in services.quick_checks.history(sample.id)] == [2, 3]


def test_the_latest_standing_check_wins_even_if_recorded_out_of_order(
    services: AppServices, sample: ClassSection
) -> None:
    """A check typed in later about an earlier moment does not hide today's result."""
    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    today = datetime.now(UTC)
    services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=4, observed_at=today
    )
    services.quick_checks.record(
        class_id=sample.id,
        student_id=student.id,
        target_id=target.id,
        score=1,
        observed_at=today - timedelta(days=3),
    )
    assert services.quick_checks.current(sample.id)[(student.id, target.id)].score == 4


def test_absent_and_bad_levels(services: AppServices, sample: ClassSection) -> None:
    """Absent needs no level; a level off the scale is refused with the scale's range."""
    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    absent = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, absent=True
    )
    assert absent.score is None and absent.absent
    with pytest.raises(ValidationError, match="1 to 4"):
        services.quick_checks.record(
            class_id=sample.id, student_id=student.id, target_id=target.id, score=7
        )
    with pytest.raises(ValidationError, match="Choose a level"):
        services.quick_checks.record(class_id=sample.id, student_id=student.id, target_id=target.id)


def test_a_changed_scale_is_respected_at_once(services: AppServices, sample: ClassSection) -> None:
    """After the teacher switches a target to points 0-10, a 9 is accepted."""
    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    with pytest.raises(ValidationError):
        services.quick_checks.record(
            class_id=sample.id, student_id=student.id, target_id=target.id, score=9
        )
    services.targets.update(target.id, scale="points:10")
    check = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=9
    )
    assert check.score == 9


def test_a_reflection_in_the_students_own_words(
    services: AppServices, sample: ClassSection
) -> None:
    student = services.roster.roster(sample.id)[0].student
    services.quick_checks.record_reflection(
        class_id=sample.id, student_id=student.id, confidence=3, words="  I get unit rates now "
    )
    [saved] = services.quick_checks.reflections(sample.id, student_id=student.id)
    assert (saved.confidence, saved.words) == (3, "I get unit rates now")
    with pytest.raises(ValidationError, match="1 \\(not yet\\) to 4"):
        services.quick_checks.record_reflection(
            class_id=sample.id, student_id=student.id, confidence=0
        )


def test_undo_with_nothing_before_withdraws_the_check(
    services: AppServices, sample: ClassSection
) -> None:
    """A level typed into an empty cell and taken back: a withdrawal supersedes it."""
    from station_rotation.services.checks.quick_checks import is_withdrawn

    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    typed = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=4
    )
    back = services.quick_checks.undo(typed.id, earlier=None)
    assert back.supersedes == typed.id and is_withdrawn(back)
    assert [c.id for c in services.quick_checks.history(sample.id)] == [typed.id, back.id]


def test_undo_restores_the_earlier_level_as_a_new_fact(
    services: AppServices, sample: ClassSection
) -> None:
    """Yesterday's 1, today's 4 typed over it, then undo: 1 again, at yesterday's moment
    with yesterday's note, recorded at the station the teacher is at; nothing deleted."""
    from station_rotation.services.checks.quick_checks import EarlierLevel

    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    yesterday = datetime.now(UTC) - timedelta(days=1)
    earlier = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=1,
        note="Counts on fingers", observed_at=yesterday,
    )  # fmt: skip
    typed = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=4
    )
    back = services.quick_checks.undo(
        typed.id,
        earlier=EarlierLevel(earlier.score, earlier.absent, earlier.note, earlier.observed_at),
        station_id=None,
    )
    standing = services.quick_checks.current(sample.id)[(student.id, target.id)]
    assert standing.id == back.id and back.supersedes == typed.id
    assert (standing.score, standing.note) == (1, "Counts on fingers")
    assert standing.observed_at.replace(tzinfo=UTC) == yesterday
    assert [c.score for c in services.quick_checks.history(sample.id)] == [1, 1, 4]


def test_undo_of_an_absence_restores_the_absence(
    services: AppServices, sample: ClassSection
) -> None:
    """An absent mark overtyped with a level, then undone: absent again."""
    from station_rotation.services.checks.quick_checks import EarlierLevel

    student = services.roster.roster(sample.id)[0].student
    target = services.targets.list_for(sample.id)[0]
    typed = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=3
    )
    back = services.quick_checks.undo(typed.id, earlier=EarlierLevel(None, absent=True))
    assert back.absent and back.score is None and back.supersedes == typed.id


def test_undo_of_a_check_that_is_gone_says_so(services: AppServices, sample: ClassSection) -> None:
    """Undoing a check that no longer exists is refused with a message, for both rules."""
    from station_rotation.core.errors import NotFoundError
    from station_rotation.services.checks.quick_checks import EarlierLevel

    with pytest.raises(NotFoundError, match="no longer exists"):
        services.quick_checks.undo("no-such-check", earlier=None)
    with pytest.raises(NotFoundError, match="no longer exists"):
        services.quick_checks.undo("no-such-check", earlier=EarlierLevel(2))
