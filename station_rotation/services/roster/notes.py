"""The teacher's private notes about a student: supports, interventions, comments, and
the "needs support" flag that the grouping suggestion reads.

Notes are teacher-edited synced records (``StudentNote``) written through
``Store.write()``, so each change is stamped and queued for sync. Ending a note keeps it
(with ``ended_at``) so the teacher can see what was tried and when; only a note written
by mistake is deleted (a tombstone). Nothing here is ever shown on the projector.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.moments import as_utc
from station_rotation.services.classes.sections import load_class
from station_rotation.store.database import Store
from station_rotation.store.models import Enrollment, StudentNote, utc_now

NEEDS_SUPPORT = "needs_support"
KINDS = {
    NEEDS_SUPPORT: "Needs support",
    "support": "Support",
    "intervention": "Intervention",
    "comment": "Comment",
}
MAX_TEXT = 4000


class StudentNoteService:
    """Add, edit, end and list private notes; flag and unflag "needs support"."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, class_id: str, student_id: str, *, kind: str, text: str = "") -> StudentNote:
        """Write a new active note about a student of the class."""
        text = _text(text)
        if kind not in KINDS:
            raise ValidationError("A note is a support, an intervention or a comment.")
        if kind != NEEDS_SUPPORT and not text:
            raise ValidationError("Write a few words for the note.")
        with self._store.write() as tx:
            _check_member(tx.session, class_id, student_id)
            note = StudentNote(class_id=class_id, student_id=student_id, kind=kind, text=text)
            tx.put(note)
        return note

    def edit(self, note_id: str, text: str) -> StudentNote:
        """Change a note's words (its kind and dates stay)."""
        text = _text(text)
        with self._store.write() as tx:
            note = _load(tx.session, note_id)
            if note.kind != NEEDS_SUPPORT and not text:
                raise ValidationError("A note cannot be empty; end or delete it instead.")
            note.text = text
            tx.put(note)
        return note

    def end(self, note_id: str) -> StudentNote:
        """Mark a support or intervention as over; it stays in the student's history."""
        with self._store.write() as tx:
            note = _load(tx.session, note_id)
            if note.active:
                note.active = False
                note.ended_at = utc_now()
                tx.put(note)
        return note

    def delete(self, note_id: str) -> None:
        """Remove a note written by mistake (a tombstone, so the delete syncs)."""
        with self._store.write() as tx:
            tx.delete(_load(tx.session, note_id))

    def notes(
        self, class_id: str, student_id: str, *, include_ended: bool = True
    ) -> list[StudentNote]:
        """The student's notes in this class, active ones first, newest first within."""
        with self._store.read() as session:
            query = select(StudentNote).where(
                StudentNote.class_id == class_id,
                StudentNote.student_id == student_id,
                col(StudentNote.deleted).is_(False),
            )
            if not include_ended:
                query = query.where(col(StudentNote.active).is_(True))
            rows = list(session.exec(query))
        rows.sort(key=lambda n: as_utc(n.created_at), reverse=True)
        rows.sort(key=lambda n: not n.active)
        return rows

    # --- the needs-support flag ------------------------------------------------------

    def flagged(self, class_id: str) -> set[str]:
        """Ids of the class's students with an active needs-support flag."""
        with self._store.read() as session:
            return set(
                session.exec(
                    select(StudentNote.student_id).where(
                        StudentNote.class_id == class_id,
                        StudentNote.kind == NEEDS_SUPPORT,
                        col(StudentNote.active).is_(True),
                        col(StudentNote.deleted).is_(False),
                    )
                )
            )

    def is_flagged(self, class_id: str, student_id: str) -> bool:
        return student_id in self.flagged(class_id)

    def flag(self, class_id: str, student_id: str, reason: str = "") -> StudentNote | None:
        """Flag the student as needing support (no second flag if one is active)."""
        if self.is_flagged(class_id, student_id):
            return None
        return self.add(class_id, student_id, kind=NEEDS_SUPPORT, text=reason)

    def unflag(self, class_id: str, student_id: str) -> int:
        """End every active needs-support flag of the student; returns how many ended."""
        ended = 0
        with self._store.write() as tx:
            rows = tx.session.exec(
                select(StudentNote).where(
                    StudentNote.class_id == class_id,
                    StudentNote.student_id == student_id,
                    StudentNote.kind == NEEDS_SUPPORT,
                    col(StudentNote.active).is_(True),
                    col(StudentNote.deleted).is_(False),
                )
            ).all()
            for note in rows:
                note.active = False
                note.ended_at = utc_now()
                tx.put(note)
                ended += 1
        return ended


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())


def _text(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"A note can be at most {MAX_TEXT} characters.")
    return text


def _load(session: Session, note_id: str) -> StudentNote:
    note = session.get(StudentNote, note_id)
    if note is None or note.deleted:
        raise NotFoundError("That note no longer exists.")
    return note


def _check_member(session: Session, class_id: str, student_id: str) -> None:
    load_class(session, class_id)
    enrolled = session.exec(
        select(Enrollment.id).where(
            Enrollment.class_id == class_id,
            Enrollment.student_id == student_id,
            col(Enrollment.deleted).is_(False),
        )
    ).first()
    if enrolled is None:
        raise NotFoundError("That student is not in this class.")
