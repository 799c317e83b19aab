"""The roster of a class: students, their private support notes, archive and restore.

Archiving takes a student off the class's active roster but keeps every record about
them (quick-check history must survive a student leaving and coming back).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from station_rotation.core.errors import NotFoundError
from station_rotation.core.roster_order import arrange
from station_rotation.services.classes.sections import load_class
from station_rotation.services.shapes import StudentCreate, StudentUpdate, build
from station_rotation.store.database import Store
from station_rotation.store.models import Enrollment, Student


@dataclass(frozen=True)
class RosterEntry:
    """A student as seen on one class's roster."""

    student: Student
    enrollment: Enrollment

    @property
    def archived(self) -> bool:
        return self.enrollment.archived or self.student.archived


class RosterService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def roster(
        self, class_id: str, *, include_archived: bool = False, search: str = ""
    ) -> list[RosterEntry]:
        """The class's students sorted by family then given name, optionally filtered."""
        with self._store.read() as session:
            rows = session.exec(
                select(Student, Enrollment)
                .join(Enrollment, col(Enrollment.student_id) == col(Student.id))
                .where(Enrollment.class_id == class_id)
                .where(col(Enrollment.deleted).is_(False), col(Student.deleted).is_(False))
            ).all()
        entries = (RosterEntry(student, enrollment) for student, enrollment in rows)
        return arrange(entries, include_archived=include_archived, search=search)

    def get_student(self, student_id: str) -> Student:
        with self._store.read() as session:
            return _load_student(session, student_id)

    def add_student(self, class_id: str, **fields: Any) -> Student:
        """Create a student and enrol them in the class, in one transaction."""
        shape = build(StudentCreate, **fields)
        with self._store.write() as tx:
            load_class(tx.session, class_id)
            student = Student(**shape.model_dump())
            tx.put(student)
            tx.put(Enrollment(class_id=class_id, student_id=student.id))
            return student

    def update_student(self, student_id: str, **fields: Any) -> Student:
        changes = build(StudentUpdate, **fields).model_dump(exclude_unset=True)
        if "source_id" in changes:
            changes["source_id"] = (changes["source_id"] or "").strip() or None
        with self._store.write() as tx:
            student = _load_student(tx.session, student_id)
            for name, value in changes.items():
                setattr(student, name, value)
            tx.put(student)
            return student

    def set_archived(self, class_id: str, student_id: str, archived: bool) -> None:
        """Archive (or restore) a student on one class's roster."""
        with self._store.write() as tx:
            enrollment = tx.session.exec(
                select(Enrollment).where(
                    Enrollment.class_id == class_id, Enrollment.student_id == student_id
                )
            ).first()
            if enrollment is None or enrollment.deleted:
                raise NotFoundError("That student is not on this class's roster.")
            enrollment.archived = archived
            tx.put(enrollment)
            if not archived:
                student = _load_student(tx.session, student_id)
                if student.archived:  # left the district and came back
                    student.archived = False
                    tx.put(student)


def _load_student(session: Session, student_id: str) -> Student:
    student = session.get(Student, student_id)
    if student is None or student.deleted:
        raise NotFoundError("That student no longer exists.")
    return student
