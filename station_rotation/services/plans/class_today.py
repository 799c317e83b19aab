"""What a plan is checked and scheduled against: the class's stations and roster today.

Read once per operation in the caller's session and handed around as frozen values, so
the plan code never holds table rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from station_rotation.core.stations import StationKind
from station_rotation.services.classes.sections import load_class
from station_rotation.store.models import Enrollment, Station, Student, StudentNote


@dataclass(frozen=True)
class RoomStation:
    id: str
    name: str
    kind: StationKind
    capacity: int
    default_minutes: int
    instructions: str
    content_url: str
    archived: bool

    @property
    def teacher_led(self) -> bool:
        return self.kind is StationKind.TEACHER_LED


@dataclass(frozen=True)
class Member:
    """A student enrolled in the class; ``archived`` ones have left it."""

    id: str
    first_name: str
    display_name: str
    archived: bool


@dataclass(frozen=True)
class ClassContext:
    class_id: str
    stations: tuple[RoomStation, ...]  # every live station, in the teacher's order
    members: dict[str, Member]  # every enrolled student, by id, in roster order
    flagged: frozenset[str]  # active "needs support" notes

    @property
    def active_stations(self) -> tuple[RoomStation, ...]:
        return tuple(s for s in self.stations if not s.archived)

    @property
    def active_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members.values() if not m.archived)

    def station(self, station_id: str) -> RoomStation | None:
        return next((s for s in self.stations if s.id == station_id), None)

    def name_of(self, student_id: str) -> str:
        member = self.members.get(student_id)
        return member.display_name if member else "A student who is not in this class"


def _kind(text: str) -> StationKind:
    try:
        return StationKind(text)
    except ValueError:
        return StationKind.OTHER


def load_context(session: Session, class_id: str) -> ClassContext:
    """The class's live stations, enrolled students and needs-support flags."""
    load_class(session, class_id)
    station_rows = session.exec(
        select(Station).where(Station.class_id == class_id, col(Station.deleted).is_(False))
    ).all()
    stations = tuple(
        RoomStation(
            s.id,
            s.name,
            _kind(s.kind),
            s.capacity,
            s.default_minutes,
            s.instructions,
            s.content_url,
            s.archived,
        )
        for s in sorted(station_rows, key=lambda s: (s.archived, s.position))
    )
    rows = session.exec(
        select(Student, Enrollment)
        .join(Enrollment, col(Enrollment.student_id) == col(Student.id))
        .where(
            Enrollment.class_id == class_id,
            col(Enrollment.deleted).is_(False),
            col(Student.deleted).is_(False),
        )
    ).all()
    rows = sorted(
        rows, key=lambda r: (r[0].family_name.casefold(), r[0].first_name.casefold(), r[0].id)
    )
    members = {
        student.id: Member(
            student.id,
            student.first_name,
            student.display_name,
            enrollment.archived or student.archived,
        )
        for student, enrollment in rows
    }
    flagged = session.exec(
        select(StudentNote.student_id).where(
            StudentNote.class_id == class_id,
            StudentNote.kind == "needs_support",
            col(StudentNote.active).is_(True),
            col(StudentNote.deleted).is_(False),
        )
    ).all()
    return ClassContext(class_id, stations, members, frozenset(flagged))
