"""Classes (sections): list, create, rename, archive; who teaches them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from station_rotation.core.errors import NotFoundError
from station_rotation.core.roster_order import teacher_names
from station_rotation.services.shapes import ClassCreate, ClassUpdate, build
from station_rotation.store.database import Store
from station_rotation.store.models import ClassSection, ClassTeacher, Enrollment, Student, Teacher


class ClassService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_classes(self, *, include_archived: bool = False) -> list[ClassSection]:
        """Live classes by name (archived ones too when asked)."""
        with self._store.read() as session:
            query = select(ClassSection).where(col(ClassSection.deleted).is_(False))
            if not include_archived:
                query = query.where(col(ClassSection.archived).is_(False))
            return list(session.exec(query.order_by(col(ClassSection.name))))

    def active_student_counts(self) -> dict[str, int]:
        """Active (not archived) students per class id, in one query."""
        with self._store.read() as session:
            rows = session.exec(
                select(Enrollment.class_id, func.count())
                .join(Student, col(Student.id) == col(Enrollment.student_id))
                .where(
                    col(Enrollment.archived).is_(False),
                    col(Enrollment.deleted).is_(False),
                    col(Student.archived).is_(False),
                    col(Student.deleted).is_(False),
                )
                .group_by(col(Enrollment.class_id))
            ).all()
        return {class_id: count for class_id, count in rows}

    def get_class(self, class_id: str) -> ClassSection:
        with self._store.read() as session:
            return load_class(session, class_id)

    def find_class(self, text: str) -> ClassSection:
        """The class ``text`` names: its id, its district sourcedId or its name (any case).

        For the command line, where an admin types what `station-rotation classes` shows.
        A name several classes share is refused with their ids, never guessed; an active
        class is preferred to an archived one of the same name.
        """
        wanted = text.strip()
        with self._store.read() as session:
            found = session.get(ClassSection, wanted)
            if found is not None and not found.deleted:
                return found
            live = list(
                session.exec(select(ClassSection).where(col(ClassSection.deleted).is_(False)))
            )
        by_source = [c for c in live if c.source_id and c.source_id == wanted]
        named = by_source or [c for c in live if c.name.casefold() == wanted.casefold()]
        if len(named) > 1:
            named = [c for c in named if not c.archived] or named
        if len(named) == 1:
            return named[0]
        if not named:
            raise NotFoundError(
                f"There is no class {wanted!r}. List the classes (and their ids) with "
                "`station-rotation classes --all`."
            )
        ids = ", ".join(f"{c.id} ({c.period or c.school_year or 'no period'})" for c in named)
        raise NotFoundError(
            f"{len(named)} classes are named {wanted!r}: {ids}. Give the class's id instead "
            "(`station-rotation classes` lists them)."
        )

    def teachers_of(self, class_id: str) -> list[str]:
        """The names of the class's teachers as the district roster gives them, by name.

        Empty for a class made on this laptop or from a plain CSV (no teachers there).
        """
        with self._store.read() as session:
            rows = session.exec(
                select(Teacher)
                .join(ClassTeacher, col(ClassTeacher.teacher_id) == col(Teacher.id))
                .where(
                    ClassTeacher.class_id == class_id,
                    col(ClassTeacher.deleted).is_(False),
                    col(Teacher.deleted).is_(False),
                )
            ).all()
        return teacher_names((t.given_name, t.family_name, t.email) for t in rows)

    def create_class(self, **fields: Any) -> ClassSection:
        shape = build(ClassCreate, **fields)
        with self._store.write() as tx:
            return tx.put(ClassSection(**shape.model_dump()))  # type: ignore[return-value]

    def update_class(self, class_id: str, **fields: Any) -> ClassSection:
        changes = build(ClassUpdate, **fields).model_dump(exclude_unset=True)
        with self._store.write() as tx:
            section = load_class(tx.session, class_id)
            for name, value in changes.items():
                setattr(section, name, value)
            tx.put(section)
            return section

    def set_archived(self, class_id: str, archived: bool) -> ClassSection:
        with self._store.write() as tx:
            section = load_class(tx.session, class_id)
            section.archived = archived
            tx.put(section)
            return section


def load_class(session: Session, class_id: str) -> ClassSection:
    """The live class ``class_id``, or a NotFoundError the teacher can read."""
    section = session.get(ClassSection, class_id)
    if section is None or section.deleted:
        raise NotFoundError("That class no longer exists.")
    return section
