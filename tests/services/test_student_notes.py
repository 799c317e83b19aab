"""A teacher keeps private notes on a student and flags who needs support for grouping."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.plans.class_today import load_context
from station_rotation.store.models import ChangeLog, ClassSection


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services, students=4)


def _student(services: AppServices, class_id: str, index: int = 0) -> str:
    return services.roster.roster(class_id)[index].student.id


def test_notes_are_added_edited_ended_and_synced(
    services: AppServices, sample: ClassSection
) -> None:
    """Each change is a stamped record with an outbox row; an ended note stays listed."""
    student = _student(services, sample.id)
    notes = services.student_notes
    support = notes.add(sample.id, student, kind="support", text="Sits near the front")
    comment = notes.add(sample.id, student, kind="comment", text="Loves ratio tables")
    notes.edit(support.id, "Sits near the board")
    notes.end(support.id)
    listed = notes.notes(sample.id, student)
    assert [(n.kind, n.text, n.active) for n in listed] == [
        ("comment", "Loves ratio tables", True),
        ("support", "Sits near the board", False),
    ]
    assert listed[1].ended_at is not None
    assert [n.id for n in notes.notes(sample.id, student, include_ended=False)] == [comment.id]
    with services.store.read() as session:
        log = session.exec(select(ChangeLog).where(ChangeLog.record_id == support.id)).all()
    assert [json.loads(row.payload)["text"] for row in log] == [
        "Sits near the front",
        "Sits near the board",
        "Sits near the board",
    ]
    assert all(row.entity == "student_note" for row in log)


def test_a_note_written_by_mistake_is_deleted_as_a_tombstone(
    services: AppServices, sample: ClassSection
) -> None:
    """Deleting hides the note but keeps a tombstone that syncs."""
    student = _student(services, sample.id)
    note = services.student_notes.add(sample.id, student, kind="comment", text="wrong kid")
    services.student_notes.delete(note.id)
    assert services.student_notes.notes(sample.id, student) == []
    with pytest.raises(NotFoundError):
        services.student_notes.edit(note.id, "again")
    with services.store.read() as session:
        ops = session.exec(select(ChangeLog.op).where(ChangeLog.record_id == note.id)).all()
    assert list(ops) == ["upsert", "delete"]


def test_flag_and_unflag_needs_support(services: AppServices, sample: ClassSection) -> None:
    """One active flag per student; unflagging ends it, and the plan's grouping sees it."""
    first, second = _student(services, sample.id, 0), _student(services, sample.id, 1)
    notes = services.student_notes
    assert notes.flag(sample.id, first, "fractions") is not None
    assert notes.flag(sample.id, first) is None  # already flagged: no second note
    notes.flag(sample.id, second)
    assert notes.flagged(sample.id) == {first, second}
    with services.store.read() as session:
        assert load_context(session, sample.id).flagged == {first, second}
    assert notes.unflag(sample.id, first) == 1
    assert notes.flagged(sample.id) == {second} and not notes.is_flagged(sample.id, first)
    kinds = [(n.kind, n.active) for n in notes.notes(sample.id, first)]
    assert kinds == [("needs_support", False)]


def test_refusals_are_plain(services: AppServices, sample: ClassSection) -> None:
    """Empty notes, unknown kinds and strangers are refused with a sentence."""
    student = _student(services, sample.id)
    with pytest.raises(ValidationError, match="few words"):
        services.student_notes.add(sample.id, student, kind="comment", text="   ")
    with pytest.raises(ValidationError, match="support, an intervention or a comment"):
        services.student_notes.add(sample.id, student, kind="grade", text="A")
    other = create_sample_class(services, students=1)
    stranger = _student(services, other.id)
    with pytest.raises(NotFoundError, match="not in this class"):
        services.student_notes.add(sample.id, stranger, kind="comment", text="hi")
