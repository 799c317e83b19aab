"""What a roster file says, as plain data: classes, students, enrollments and teachers.

Both formats (OneRoster, plain CSV) parse into a :class:`Roster`; the plan (plan.py)
compares it with what the store holds. ``key`` is how a record is recognised on the next
import: the district's ``sourcedId`` when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RosterClass:
    source_id: str | None
    name: str
    subject: str = ""
    grade: str = ""
    period: str = ""
    school_year: str = ""
    active: bool = True


@dataclass(frozen=True)
class RosterStudent:
    source_id: str | None
    given_name: str
    family_name: str = ""
    preferred_name: str = ""
    identifier: str = ""
    email: str = ""
    grade: str = ""
    active: bool = True

    @property
    def name_key(self) -> str:
        """Who this is when the file has no id: given and family name, case-folded."""
        return f"{self.given_name.casefold()}|{self.family_name.casefold()}"


@dataclass(frozen=True)
class RosterEnrollment:
    """A student in a class; refers to both by their keys in this roster."""

    class_key: str
    student_key: str
    source_id: str | None = None
    active: bool = True


@dataclass(frozen=True)
class RosterTeacher:
    """A teacher (OneRoster user with role teacher); recognised by ``sourcedId``."""

    source_id: str
    given_name: str = ""
    family_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class RosterClassTeacher:
    """A teacher of a class (a teacher enrollment); refers to both by their keys."""

    class_key: str
    teacher_key: str
    active: bool = True


@dataclass
class Roster:
    """One parsed roster file.

    ``bulk``: the file is the district's whole roster, so a record it no longer lists has
    left (it is archived). A delta or a plain CSV only adds, changes and archives what it
    names.
    """

    source: str
    classes: dict[str, RosterClass] = field(default_factory=dict)
    students: dict[str, RosterStudent] = field(default_factory=dict)
    enrollments: list[RosterEnrollment] = field(default_factory=list)
    teachers: dict[str, RosterTeacher] = field(default_factory=dict)
    class_teachers: list[RosterClassTeacher] = field(default_factory=list)
    bulk: bool = False
    # For plain CSV: the existing class every student goes into.
    into_class_id: str | None = None
    # Only some classes of a bulk file were taken (--class): archive nothing outside them.
    partial: bool = False
    # The file lists each of its classes' whole roster (a plain CSV): a student of such a
    # class it does not list may have left; the import says so and archives on request.
    whole_classes: bool = False
    # How the file was read, for the preview: its layout, how each column was understood,
    # which lines were left out and why ("Left out line 2 (“Points Possible”): ...").
    notes: list[str] = field(default_factory=list)

    def only_classes(self, source_ids: set[str]) -> Roster:
        """The part of the roster about these classes (``--class``)."""
        missing = source_ids - set(self.classes)
        if missing:
            from station_rotation.core.errors import ImportError_

            raise ImportError_(
                f"{self.source}: no class with sourcedId {', '.join(sorted(missing))}. "
                "Check the ids (they are in the sourcedId column of classes.csv)."
            )
        enrollments = [e for e in self.enrollments if e.class_key in source_ids]
        wanted = {e.student_key for e in enrollments}
        links = [t for t in self.class_teachers if t.class_key in source_ids]
        teaching = {t.teacher_key for t in links}
        return Roster(
            source=self.source,
            classes={k: v for k, v in self.classes.items() if k in source_ids},
            students={k: v for k, v in self.students.items() if k in wanted},
            enrollments=enrollments,
            teachers={k: v for k, v in self.teachers.items() if k in teaching},
            class_teachers=links,
            bulk=self.bulk,
            into_class_id=self.into_class_id,
            partial=True,
        )
