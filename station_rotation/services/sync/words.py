"""Synced records in a teacher's words: "station “Reading corner” in 6B Maths", field by field.

The Sync page shows conflict records and refused changes; their payloads are raw record
JSON. This module turns them into what a teacher reads: which record it is, and the
meaningful fields of two versions as labelled plain values (never ids, stamps or JSON).
Qt-free: the page, the command line and tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from station_rotation.core.errors import ValidationError
from station_rotation.core.hlc import DISTRICT_DEVICE, HlcStamp
from station_rotation.core.scales import parse_scale
from station_rotation.core.stations import StationKind
from station_rotation.store.models import (
    SYNCED_TYPES,
    ClassSection,
    Station,
    Student,
    Teacher,
)
from station_rotation.store.plan_body import (
    BODY_VERSION,
    PlanBody,
    PlanGroup,
    PlanPace,
    PlanStop,
    load_body,
)

MAX_VALUE_CHARS = 160

_COMMON = {"name": "Name", "archived": "Archived", "deleted": "Deleted"}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "class_section": {
        "subject": "Subject",
        "grade": "Grade",
        "period": "Period",
        "school_year": "School year",
    },
    "student": {
        "given_name": "Given name",
        "family_name": "Family name",
        "preferred_name": "Preferred name",
        "identifier": "Student number",
        "email": "E-mail",
        "grade": "Grade",
        "support_notes": "Support notes",
        "iep": "IEP",
        "ell": "ELL",
    },
    "teacher": {"given_name": "Given name", "family_name": "Family name", "email": "E-mail"},
    "enrollment": {"class_id": "Class", "student_id": "Student"},
    "class_teacher": {"class_id": "Class", "teacher_id": "Teacher"},
    "station": {
        "kind": "Kind",
        "capacity": "Students at a time",
        "default_minutes": "Minutes",
        "instructions": "Instructions",
        "content_url": "Content link",
        "position": "Place in the list",
    },
    "learning_target": {
        "code": "Code",
        "statement": "Statement",
        "scale": "Scale",
        "position": "Place in the list",
    },
    "rotation_plan": {
        "lesson_date": "Lesson date",
        "is_template": "Template",
        "body": "Groups, paths and pace",
    },
    "student_note": {"kind": "Kind", "text": "Note", "active": "Active", "ended_at": "Ended"},
    "quick_check": {"score": "Score", "absent": "Absent", "note": "Note"},
    "reflection": {"confidence": "Confidence", "words": "Words"},
}
NOTE_KINDS = {
    "needs_support": "Needs support",
    "support": "Support",
    "intervention": "Intervention",
    "comment": "Comment",
}


@dataclass(frozen=True)
class FieldDifference:
    """One field that differs between two versions, in plain words."""

    label: str
    first: str
    second: str


@dataclass(frozen=True)
class Edit:
    """Who made a version and when, from its HLC stamp."""

    by: str  # "this laptop", "another laptop", "the district's roster"
    at: datetime | None  # aware (UTC); None when the stamp cannot be read
    mine: bool
    district: bool


def edit_of(hlc: str, my_device_id: str) -> Edit:
    """Read the author and the moment out of a stamp (stamps end with the device id)."""
    try:
        stamp = HlcStamp.decode(hlc)
    except ValueError:
        return Edit("another laptop", None, mine=False, district=False)
    at = datetime.fromtimestamp(stamp.wall_ms / 1000, UTC)
    if stamp.device_id == my_device_id:
        return Edit("this laptop", at, mine=True, district=False)
    if stamp.device_id == DISTRICT_DEVICE:
        return Edit("the district's roster", at, mine=False, district=True)
    return Edit("another laptop", at, mine=False, district=False)


def describe_record(
    session: Session, entity: str, record_id: str, payload: dict[str, Any] | None = None
) -> str:
    """``station “Reading corner” in 6B Maths``: which record, as the teacher knows it.

    Names come from the laptop's current copy of the record, else from ``payload`` (a
    record this laptop no longer has).
    """
    synced = SYNCED_TYPES.get(entity)
    fields: dict[str, Any] = dict(payload or {})
    if synced is not None:
        row = session.get(synced.model, record_id)
        if row is not None:
            fields = row.model_dump(mode="json")
    word = synced.word if synced is not None else f"record of type “{entity}”"
    in_class = _in_class(session, fields.get("class_id"))
    if entity == "class_section":
        return f"class {_quoted(fields.get('name'))}"
    if entity == "student":
        return f"student {_person(fields) or 'without a name'}"
    if entity == "teacher":
        return f"teacher {_person(fields) or 'without a name'}"
    if entity == "station":
        return f"station {_quoted(fields.get('name'))}{in_class}"
    if entity == "learning_target":
        text = " ".join(str(fields.get(k) or "") for k in ("code", "statement")).strip()
        return f"learning target {_quoted(_short(text, 60))}{in_class}"
    if entity == "rotation_plan":
        when = _plan_when(fields)
        return f"plan {_quoted(fields.get('name'))}{when}{in_class}"
    if entity == "student_note":
        return f"note about {_student_name(session, fields.get('student_id'))}{in_class}"
    if entity == "enrollment":
        return f"{_student_name(session, fields.get('student_id'))}'s place{in_class}"
    if entity == "class_teacher":
        teacher = _teacher_name(session, fields.get("teacher_id"))
        return f"{teacher} as a teacher{in_class}"
    if entity in ("quick_check", "reflection"):
        return f"{word} for {_student_name(session, fields.get('student_id'))}{in_class}"
    return word


def differences(
    session: Session, entity: str, first: dict[str, Any], second: dict[str, Any]
) -> list[FieldDifference]:
    """The meaningful fields whose values differ between two versions, labelled.

    Stamps, ids and bookkeeping (creation times, body versions) are left out; a field
    naming another record shows that record's name.
    """
    labels = {**_COMMON, **FIELD_LABELS.get(entity, {})}
    shown = []
    for name, label in labels.items():
        a, b = first.get(name), second.get(name)
        if a == b or (name not in first and name not in second):
            continue
        if name == "body" and entity == "rotation_plan":
            rows = plan_differences(session, str(a or "{}"), str(b or "{}"))
            if rows:
                shown.extend(rows)
                continue
        one = value_words(session, entity, name, a)
        two = value_words(session, entity, name, b)
        if one == two and name == "body":
            one, two = "(arranged differently)", "(arranged differently)"
        shown.append(FieldDifference(label, one, two))
    return shown


def value_words(session: Session, entity: str, name: str, value: Any) -> str:
    """One field's value as a teacher reads it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "kind" and entity == "station":
        try:
            return StationKind(value).label
        except ValueError:
            return str(value)
    if name == "kind" and entity == "student_note":
        return NOTE_KINDS.get(str(value), str(value))
    if name == "scale":
        try:
            return parse_scale(str(value)).name
        except Exception:  # an unreadable scale still shows as what it says
            return str(value)
    if name == "default_minutes":
        return f"{value} min"
    if name == "position":
        return f"{int(value) + 1}" if isinstance(value, int) else str(value)
    if name == "class_id":
        return _class_name(session, value)
    if name == "student_id":
        return _student_name(session, value)
    if name == "teacher_id":
        return _teacher_name(session, value)
    if name == "body":
        return plan_summary(session, str(value))
    if name in ("lesson_date", "ended_at"):
        return _date_words(str(value))
    return _short(str(value), MAX_VALUE_CHARS)


def plan_summary(session: Session, body: str) -> str:
    """A plan document in a line: its groups with their sizes and paths, and the pace."""
    plan = _plan_body(body)
    if plan is None:
        return "(a plan this version cannot read)"
    parts = []
    for group in plan.groups:
        size = len(group.student_ids)
        parts.append(f"{group.name} ({size}): {_path(session, group.path)}")
    parts.append(f"{plan.pace.round_minutes}-minute rounds")
    if plan.own_paths:
        parts.append(f"{len(plan.own_paths)} on their own path")
    return _short("; ".join(parts), MAX_VALUE_CHARS * 2)


def plan_differences(session: Session, first: str, second: str) -> list[FieldDifference]:
    """Two plan documents compared group by group: who is in it, its path, and the pace.

    Empty when either document cannot be read (the caller then shows the summaries).
    """
    a, b = _plan_body(first), _plan_body(second)
    if a is None or b is None:
        return []
    groups_b = {g.id: g for g in b.groups}
    rows = []
    for one in a.groups:
        two = groups_b.get(one.id)
        if two is None:
            words = _group_words(session, one)
            rows.append(FieldDifference(f"Group {one.name}", words, "(not in this version)"))
        else:
            rows.extend(_group_differences(session, one, two))
    kept = {g.id for g in a.groups}
    for two in b.groups:
        if two.id not in kept:
            words = _group_words(session, two)
            rows.append(FieldDifference(f"Group {two.name}", "(not in this version)", words))
    if a.pace != b.pace:
        rows.append(FieldDifference("Pace", _pace(a.pace), _pace(b.pace)))
    if sorted(a.absent_ids) != sorted(b.absent_ids):
        rows.append(
            FieldDifference(
                "Absent",
                _members(session, a.absent_ids, count=False),
                _members(session, b.absent_ids, count=False),
            )
        )
    return rows


# --- helpers ----------------------------------------------------------------------------


def _members(session: Session, student_ids: list[str], *, count: bool = True) -> str:
    names = sorted(_student_name(session, sid) for sid in student_ids)
    if not names:
        return "nobody"
    listed = _short(", ".join(names), MAX_VALUE_CHARS)
    if not count:
        return listed
    return f"{len(names)} student{'s' if len(names) != 1 else ''}: {listed}"


def _group_differences(session: Session, one: PlanGroup, two: PlanGroup) -> list[FieldDifference]:
    """One group's two versions: who is in it, its path and its name."""
    rows = []
    if sorted(one.student_ids) != sorted(two.student_ids):
        first, second = _members(session, one.student_ids), _members(session, two.student_ids)
        rows.append(FieldDifference(f"Group {one.name}", first, second))
    if one.path != two.path:
        first, second = _path(session, one.path), _path(session, two.path)
        rows.append(FieldDifference(f"Group {one.name}'s path", first, second))
    if one.name != two.name:
        rows.append(FieldDifference("Group name", one.name, two.name))
    return rows


def _plan_body(text: str) -> PlanBody | None:
    """The plan document as this version reads it; None when it cannot be read."""
    try:
        return load_body(text, BODY_VERSION)
    except (ValueError, TypeError, ValidationError):
        return None


def _path(session: Session, path: list[PlanStop]) -> str:
    stops = [_station_name(session, stop.station_id) for stop in path]
    return " → ".join(stops) if stops else "no stations yet"


def _group_words(session: Session, group: PlanGroup) -> str:
    return f"{_members(session, group.student_ids)}; {_path(session, group.path)}"


def _pace(pace: PlanPace) -> str:
    parts = [f"{pace.round_minutes}-minute rounds"]
    parts.append(f"{pace.transition_minutes} minutes to change")
    if pace.rounds:
        parts.append(f"{pace.rounds} rounds")
    return ", ".join(parts)


def _quoted(value: object) -> str:
    return f"“{value}”" if value else "without a name"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _person(fields: dict[str, Any]) -> str:
    first = fields.get("preferred_name") or fields.get("given_name") or ""
    return f"{first} {fields.get('family_name') or ''}".strip()


def _in_class(session: Session, class_id: object) -> str:
    return f" in {_class_name(session, class_id)}" if class_id else ""


def _class_name(session: Session, class_id: object) -> str:
    row = session.get(ClassSection, str(class_id)) if class_id else None
    return row.name if row is not None else "a class no longer on this laptop"


def _student_name(session: Session, student_id: object) -> str:
    row = session.get(Student, str(student_id)) if student_id else None
    return row.display_name if row is not None else "a student no longer on this laptop"


def _teacher_name(session: Session, teacher_id: object) -> str:
    row = session.get(Teacher, str(teacher_id)) if teacher_id else None
    name = _person(row.model_dump()) if row is not None else ""
    return name or "a teacher"


def _station_name(session: Session, station_id: object) -> str:
    row = session.get(Station, str(station_id)) if station_id else None
    return row.name if row is not None else "a removed station"


def _plan_when(fields: dict[str, Any]) -> str:
    if fields.get("is_template"):
        return " (template)"
    lesson = fields.get("lesson_date")
    return f" for {_date_words(str(lesson))}" if lesson else ""


def _date_words(text: str) -> str:
    try:
        if "T" in text or " " in text:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return f"{moment.astimezone():%a %d %b %Y %H:%M}"
        return f"{date.fromisoformat(text):%a %d %b %Y}"
    except ValueError:
        return text
