"""Load the district's OneRoster export into the server: ``station-rotation-server load-roster``.

Classes, students, enrollments and teachers become server records (``district=True``)
that come down to laptops on pull; each class is put in the scope of the teachers the
roster names (matched to server accounts by ``sourcedId``, then e-mail; created when
new). Record ids are derived from the ``sourcedId``, so loading the next export updates
the same records. The roster's fields stay the district's: a laptop edit of them is
overwritten (see ``exchange`` and docs/sync.md); other fields (a preferred name, support
notes) stay the teacher's. A class the roster moves to another teacher leaves the first
teacher's scope; her laptops drop it on their next pull (a ``scope_exit`` record).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from station_rotation.core.ids import RosterKind, roster_id
from station_rotation.importing.oneroster import SOURCED_ID, _roles, parse_oneroster
from station_rotation.importing.source import RosterSource
from station_rotation.importing.table import read_table
from station_rotation.importing.values import is_deleted
from station_rotation.server import audit
from station_rotation.server.district import (
    SCOPE_EXIT,
    district_id,
    district_stamp,
    with_district_fields,
)
from station_rotation.server.exchange import next_seq
from station_rotation.server.tables import ClassScope, PersonScope, Record, ServerTeacher
from station_rotation.store.models import (
    ClassSection,
    ClassTeacher,
    Enrollment,
    Student,
    SyncedRecord,
    Teacher,
)


@dataclass
class RosterReport:
    classes: int = 0
    students: int = 0
    teachers: int = 0
    enrollments: int = 0
    changed: int = 0
    scopes_added: int = 0
    scopes_removed: int = 0
    created_accounts: list[str] = field(default_factory=list)
    # Classes and people laptops pushed under other ids (imported before roster ids).
    older_copies: int = 0

    def summary(self) -> str:
        text = (
            f"{self.classes} classes, {self.students} students, {self.teachers} teachers, "
            f"{self.enrollments} enrollments; {self.changed} records changed; "
            f"{self.scopes_added} class assignments added, {self.scopes_removed} removed; "
            f"{len(self.created_accounts)} teacher accounts created."
        )
        if self.older_copies:
            text += (
                f" {self.older_copies} classes or people were sent by teachers' laptops from "
                "rosters they imported before this version, under other ids: they stay as "
                "they are, next to the district's (docs/sync.md, 'Rosters imported before')."
            )
        return text


@dataclass(frozen=True)
class _RosterTeacher:
    key: str
    given_name: str
    family_name: str
    email: str


def _teachers(source: RosterSource) -> tuple[dict[str, _RosterTeacher], dict[str, set[str]]]:
    """The roster's teachers and, per class sourcedId, the teachers' sourcedIds."""
    users = read_table(source.read("users.csv"), "users.csv")
    enrollments = read_table(source.read("enrollments.csv"), "enrollments.csv")
    roles = _roles(source, users)
    teachers: dict[str, _RosterTeacher] = {}
    for row in users.rows:
        key = row.get(*SOURCED_ID)
        if key and roles.get(key, "") in {"teacher", "administrator"}:
            teachers[key] = _RosterTeacher(
                key,
                row.get("givenname", "firstname"),
                row.get("familyname", "lastname", "surname"),
                row.get("email"),
            )
    taught: dict[str, set[str]] = defaultdict(set)
    for row in enrollments.rows:
        user = row.get("usersourcedid", "userid")
        role = row.get("role").casefold() or roles.get(user, "")
        if user in teachers and role == "teacher" and not is_deleted(row.get("status")):
            taught[row.get("classsourcedid", "classid")].add(user)
    return teachers, taught


def _account(session: Session, teacher: _RosterTeacher, report: RosterReport) -> str:
    """The server account of a roster teacher: by sourcedId, then e-mail; else a new one."""
    found = session.exec(
        select(ServerTeacher).where(ServerTeacher.source_id == teacher.key)
    ).first()
    if found is None and teacher.email:
        for candidate in session.exec(select(ServerTeacher).where(ServerTeacher.email != "")):
            if candidate.email.casefold() == teacher.email.casefold():
                found = candidate
                break
    if found is None:
        name = f"{teacher.given_name} {teacher.family_name}".strip() or teacher.key
        found = ServerTeacher(name=name, email=teacher.email)
        report.created_accounts.append(found.id)
    found.source_id = teacher.key
    session.add(found)
    session.flush()
    return found.id


def _upsert(session: Session, record: SyncedRecord, entity: str, class_id: str | None) -> bool:
    """Write one district record unless it already says the same; True when changed."""
    district = record.model_dump(mode="json")
    existing = session.get(Record, (entity, record.id))
    base = dict(existing.payload) if existing is not None else district
    payload = with_district_fields(entity, base, district)
    # A record a teacher pushed first (from her own import of this roster: same id) is
    # taken over even when it already says the same: it becomes the district's.
    if existing is not None and not existing.deleted and existing.district:
        before = {k: v for k, v in existing.payload.items() if k != "hlc"}
        if before == {k: v for k, v in payload.items() if k != "hlc"}:
            return False
    stamp = district_stamp(existing.hlc if existing is not None else "")
    payload["hlc"] = stamp
    if existing is None:
        existing = Record(entity=entity, id=record.id, hlc=stamp, payload=payload, server_seq=0)
    existing.hlc = stamp
    existing.payload = payload
    existing.deleted = bool(payload.get("deleted"))
    existing.class_id = class_id
    existing.owner_teacher_id = None
    existing.district = True
    existing.overwrote_hlc = ""
    existing.server_seq = next_seq(session)
    session.add(existing)
    session.flush()
    return True


def _scope_exit(session: Session, teacher_id: str, class_id: str, *, gone: bool) -> None:
    """Tell ``teacher_id``'s laptops that ``class_id`` left (or, ``gone=False``, came back)."""
    record_id = district_id("exit", teacher_id, class_id)
    existing = session.get(Record, (SCOPE_EXIT, record_id))
    if existing is None and not gone:
        return
    stamp = district_stamp(existing.hlc if existing is not None else "")
    payload = {"id": record_id, "class_id": class_id, "deleted": not gone, "hlc": stamp}
    if existing is None:
        existing = Record(entity=SCOPE_EXIT, id=record_id, hlc=stamp, payload=payload, server_seq=0)
    existing.hlc, existing.payload, existing.deleted = stamp, payload, not gone
    existing.owner_teacher_id, existing.district = teacher_id, True
    existing.server_seq = next_seq(session)
    session.add(existing)
    session.flush()


def _touch(session: Session, condition: Any) -> None:
    """Give records new server sequence numbers so laptops newly in scope pull them."""
    for row in session.exec(select(Record).where(condition).order_by(col(Record.server_seq))):
        row.server_seq = next_seq(session)
        session.add(row)
    session.flush()


def load_roster(engine: Engine, path: Path, actor: str | None = None) -> RosterReport:
    """Load a OneRoster CSV folder or zip (one transaction); return what it did.

    The audit log's row (``actor``: the staff account, by default the OS user) is in the
    same transaction: a load that fails leaves neither records nor a row.
    """
    source = RosterSource.open(path)
    roster = parse_oneroster(source)
    roster_teachers, taught = _teachers(source)
    report = RosterReport(
        classes=len(roster.classes),
        students=len(roster.students),
        teachers=len(roster_teachers),
        enrollments=len(roster.enrollments),
    )
    with Session(engine) as session:
        accounts = {key: _account(session, t, report) for key, t in roster_teachers.items()}
        class_ids = {key: roster_id("class", key) for key in roster.classes}
        student_ids = {key: roster_id("student", key) for key in roster.students}
        teacher_ids = {key: roster_id("teacher", key) for key in roster_teachers}
        claimed = _claimed(session, set(class_ids.values()))
        changed = 0
        for key, c in roster.classes.items():
            section = ClassSection(
                id=class_ids[key], name=c.name, subject=c.subject, grade=c.grade,
                period=c.period, school_year=c.school_year, source_id=key,
                archived=not c.active,
            )  # fmt: skip
            changed += _upsert(session, section, "class_section", section.id)
        for key, s in roster.students.items():
            student = Student(
                id=student_ids[key], given_name=s.given_name, family_name=s.family_name,
                preferred_name=s.preferred_name, identifier=s.identifier, email=s.email,
                grade=s.grade, source_id=key, archived=not s.active,
            )  # fmt: skip
            changed += _upsert(session, student, "student", None)
        for key, t in roster_teachers.items():
            person = Teacher(
                id=teacher_ids[key], given_name=t.given_name, family_name=t.family_name,
                email=t.email, source_id=key,
            )  # fmt: skip
            changed += _upsert(session, person, "teacher", None)
        for e in roster.enrollments:
            enrollment = Enrollment(
                id=roster_id("enrollment", e.class_key, e.student_key),
                class_id=class_ids[e.class_key], student_id=student_ids[e.student_key],
                source_id=e.source_id, archived=not e.active,
            )  # fmt: skip
            changed += _upsert(session, enrollment, "enrollment", enrollment.class_id)
        taught_links: set[str] = set()
        for class_key, keys in taught.items():
            if class_key not in class_ids:
                continue
            for key in sorted(keys):
                taught_links.add(roster_id("class_teacher", class_key, key))
                link = ClassTeacher(
                    id=roster_id("class_teacher", class_key, key),
                    class_id=class_ids[class_key], teacher_id=teacher_ids[key],
                    source_id=f"{class_key}/{key}",
                )  # fmt: skip
                changed += _upsert(session, link, "class_teacher", link.class_id)
        if roster.bulk:
            changed += _retire_links(session, set(class_ids.values()), taught_links)
        report.changed = changed
        report.older_copies = _older_copies(
            session, {"class_section": set(roster.classes), "student": set(roster.students),
                      "teacher": set(roster_teachers)}
        )  # fmt: skip
        _assign_scopes(session, roster.bulk, class_ids, taught, accounts, report)
        _drop_claims(session, claimed, class_ids, taught, accounts, report)
        _assign_people(session, roster, class_ids, student_ids, teacher_ids, taught, accounts)
        _audit(session, path, roster, report, actor or audit.staff_actor())
        session.commit()
    return report


def _audit(session: Session, path: Path, roster: Any, report: RosterReport, actor: str) -> None:
    """The load's audit row: the classes by sourcedId, the people counted, never named."""
    years = sorted({c.school_year for c in roster.classes.values() if c.school_year})
    audit.record(
        session,
        "load-roster",
        actor=actor,
        records=report.changed,
        students=report.students,
        scope={
            "source": path.name,
            "bulk": bool(roster.bulk),
            "classes": sorted(roster.classes),
            "school_years": years,
            "counts": {
                "classes": report.classes,
                "teachers": report.teachers,
                "enrollments": report.enrollments,
                "class_assignments_added": report.scopes_added,
                "class_assignments_removed": report.scopes_removed,
                "teacher_accounts_created": len(report.created_accounts),
            },
        },
    )


def _retire_links(session: Session, classes: set[str], current: set[str]) -> int:
    """A bulk roster no longer names a teacher of a class: her link becomes a tombstone."""
    retired = 0
    query = select(Record).where(
        Record.entity == "class_teacher",
        col(Record.district),
        col(Record.class_id).in_(classes),
        col(Record.deleted).is_(False),
    )
    for link in session.exec(query):
        if link.id in current:
            continue
        stamp = district_stamp(link.hlc)
        link.payload = {**link.payload, "deleted": True, "hlc": stamp}
        link.hlc, link.deleted = stamp, True
        link.server_seq = next_seq(session)
        session.add(link)
        retired += 1
    session.flush()
    return retired


def _assign_scopes(
    session: Session,
    bulk: bool,
    class_ids: dict[str, str],
    taught: dict[str, set[str]],
    accounts: dict[str, str],
    report: RosterReport,
) -> None:
    """Class scopes as the roster says; a bulk roster also takes away what it no longer says."""
    desired = {
        (accounts[key], class_ids[c])
        for c, keys in taught.items()
        if c in class_ids
        for key in keys
    }
    current = {
        (row.teacher_id, row.class_id)
        for row in session.exec(
            select(ClassScope).where(
                ClassScope.source == "roster", col(ClassScope.class_id).in_(class_ids.values())
            )
        )
    }
    for teacher_id, class_id in sorted(desired - current):
        scope = session.get(ClassScope, (teacher_id, class_id))
        if scope is None:
            session.add(ClassScope(teacher_id=teacher_id, class_id=class_id, source="roster"))
            report.scopes_added += 1
        else:
            # She pushed the class from her own import of this roster first: from now on
            # the roster decides (a bulk roster that gives it to another teacher takes it).
            scope.source = "roster"
            session.add(scope)
        _scope_exit(session, teacher_id, class_id, gone=False)
    session.flush()
    added_classes = {class_id for _, class_id in desired - current}
    if added_classes:
        _touch(session, col(Record.class_id).in_(added_classes))
    if not bulk:
        return
    for teacher_id, class_id in sorted(current - desired):
        scope = session.get(ClassScope, (teacher_id, class_id))
        if scope is not None:
            session.delete(scope)
            report.scopes_removed += 1
        _scope_exit(session, teacher_id, class_id, gone=True)
    session.flush()


def _older_copies(session: Session, keys: dict[str, set[str]]) -> int:
    """Laptop-pushed classes and people naming a roster sourcedId under another id."""
    kinds: dict[str, RosterKind] = {
        "class_section": "class",
        "student": "student",
        "teacher": "teacher",
    }
    query = select(Record.entity, Record.id, Record.payload).where(
        col(Record.entity).in_(list(keys)),
        col(Record.district).is_(False),
        col(Record.deleted).is_(False),
    )
    count = 0
    for entity, record_id, payload in session.exec(query):
        source = payload.get("source_id")
        if source in keys[entity] and record_id != roster_id(kinds[entity], source):
            count += 1
    return count


def _claimed(session: Session, class_ids: set[str]) -> set[str]:
    """The roster's classes a teacher pushed before the district had them (not district yet)."""
    query = select(Record.id).where(
        Record.entity == "class_section",
        col(Record.id).in_(class_ids),
        col(Record.district).is_(False),
    )
    return set(session.exec(query))


def _drop_claims(
    session: Session,
    claimed: set[str],
    class_ids: dict[str, str],
    taught: dict[str, set[str]],
    accounts: dict[str, str],
    report: RosterReport,
) -> None:
    """A class pushed first from a teacher's own import is the roster's now: who teaches it
    is the roster's word, so a teacher it does not name loses the class (her laptops drop
    it; nothing is deleted). A class the roster names no teacher for stays as it is."""
    for key, class_id in class_ids.items():
        named = {accounts[t] for t in taught.get(key, ()) if t in accounts}
        if class_id not in claimed or not named:
            continue
        scopes = list(session.exec(select(ClassScope).where(ClassScope.class_id == class_id)))
        for scope in scopes:
            if scope.teacher_id not in named and scope.source == "created":
                session.delete(scope)
                report.scopes_removed += 1
                _scope_exit(session, scope.teacher_id, class_id, gone=True)
    session.flush()


def _assign_people(
    session: Session,
    roster: Any,
    class_ids: dict[str, str],
    student_ids: dict[str, str],
    teacher_ids: dict[str, str],
    taught: dict[str, set[str]],
    accounts: dict[str, str],
) -> None:
    """Each teacher sees the students enrolled in her classes and her classes' teachers."""
    desired: set[tuple[str, str]] = set()
    for e in roster.enrollments:
        for key in taught.get(e.class_key, ()):
            desired.add((accounts[key], student_ids[e.student_key]))
    # Every teacher record a class-teacher link of her classes names (a former teacher's
    # too: the link stays, as a tombstone, and must resolve on her laptop).
    named: dict[str, set[str]] = defaultdict(set)
    links = select(Record).where(Record.entity == "class_teacher", col(Record.district))
    for link in session.exec(links):
        named[str(link.class_id)].add(str(link.payload.get("teacher_id")))
    scopes = select(ClassScope).where(col(ClassScope.class_id).in_(list(named)))
    for scope in session.exec(scopes):
        desired |= {(scope.teacher_id, person) for person in named[scope.class_id]}
    district_people = set(student_ids.values()) | set(teacher_ids.values())
    current = {
        (row.teacher_id, row.record_id)
        for row in session.exec(
            select(PersonScope).where(col(PersonScope.record_id).in_(district_people))
        )
    }
    for teacher_id, record_id in current - desired:
        row = session.get(PersonScope, (teacher_id, record_id))
        if row is not None:
            session.delete(row)
    for teacher_id, record_id in desired - current:
        session.add(PersonScope(teacher_id=teacher_id, record_id=record_id))
    session.flush()
    new_people = {record_id for _, record_id in desired - current}
    if new_people:
        _touch(
            session,
            col(Record.entity).in_(("student", "teacher")) & col(Record.id).in_(new_people),
        )
