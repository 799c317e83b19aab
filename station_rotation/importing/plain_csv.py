"""A plain CSV from any SIS or LMS: one row per student, columns found by header name.

The automatic mapping recognises the usual headers (First Name, Surname, Student ID...);
the user can override it (the GUI's mapping step, the CLI's ``--map field=Header``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from station_rotation.core.errors import ImportError_
from station_rotation.importing.model import Roster, RosterClass, RosterEnrollment, RosterStudent
from station_rotation.importing.table import Row, Table, header_key

# field -> header keys that mean it, best first
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": ("givenname", "firstname", "first", "forename", "given"),
    "family_name": ("familyname", "lastname", "surname", "last", "family"),
    "preferred_name": ("preferredname", "nickname", "preferredgivenname", "preferredfirstname"),
    "source_id": ("sourcedid",),
    "identifier": ("studentid", "id", "identifier", "studentnumber", "localid", "sisid"),
    "email": ("email", "emailaddress", "mail", "studentemail"),
    "grade": ("grade", "grades", "gradelevel", "year"),
    "class_name": ("class", "section", "classname", "sectionname", "course", "period"),
}
FIELD_LABELS: dict[str, str] = {
    "given_name": "Given name",
    "family_name": "Family name",
    "preferred_name": "Preferred name",
    "source_id": "District id (sourcedId)",
    "identifier": "Student id",
    "email": "Email",
    "grade": "Grade",
    "class_name": "Class",
}
REQUIRED_FIELDS = ("given_name",)


@dataclass(frozen=True)
class ColumnMapping:
    """Which header (as written in the file) feeds each field; None = not in the file."""

    columns: Mapping[str, str | None]

    def header(self, field: str) -> str | None:
        return self.columns.get(field)


def auto_mapping(headers: list[str]) -> ColumnMapping:
    """Guess each field's column from the header names."""
    by_key = {header_key(h): h for h in reversed(headers)}
    columns: dict[str, str | None] = {}
    used: set[str] = set()
    for field, aliases in FIELD_ALIASES.items():
        found = next((by_key[a] for a in aliases if a in by_key and by_key[a] not in used), None)
        columns[field] = found
        if found:
            used.add(found)
    return ColumnMapping(columns)


def with_overrides(
    mapping: ColumnMapping, overrides: Mapping[str, str], headers: list[str]
) -> ColumnMapping:
    """Apply ``field=Header`` overrides; an empty header unmaps the field."""
    columns = dict(mapping.columns)
    by_key = {header_key(h): h for h in headers}
    for field, header in overrides.items():
        if field not in FIELD_ALIASES:
            raise ImportError_(
                f"Unknown field {field!r} in the column mapping; the fields are "
                f"{', '.join(FIELD_ALIASES)}."
            )
        if not header:
            columns[field] = None
            continue
        actual = by_key.get(header_key(header))
        if actual is None:
            raise ImportError_(
                f"The file has no column {header!r} (its columns are {', '.join(headers)}). "
                "Check the spelling in the mapping."
            )
        columns[field] = actual
    return ColumnMapping(columns)


def parse_plain_csv(
    table: Table, mapping: ColumnMapping, *, into_class_id: str | None = None
) -> Roster:
    """Students (and their classes, when a class column is mapped) of a plain CSV."""
    for field in REQUIRED_FIELDS:
        if mapping.header(field) is None:
            raise ImportError_(
                f"{table.name}: no column holds the {FIELD_LABELS[field].lower()} (columns: "
                f"{', '.join(table.headers)}). Choose it in the column mapping "
                f"(--map {field}=HEADER)."
            )
    roster = Roster(source=table.name, into_class_id=into_class_id, whole_classes=True)
    default_class = table.name.rsplit(".", 1)[0]
    for row in table.rows:
        values = {f: _value(row, mapping, f) for f in FIELD_ALIASES}
        if not values["given_name"]:
            raise ImportError_(
                f"{row.where(mapping.header('given_name') or 'given name')}: the given name "
                "is empty. Fill it in or remove the line."
            )
        student = RosterStudent(
            source_id=values["source_id"] or None,
            given_name=values["given_name"],
            family_name=values["family_name"],
            preferred_name=values["preferred_name"],
            identifier=values["identifier"],
            email=values["email"],
            grade=values["grade"],
        )
        key = student_key(student)
        if key in roster.students and roster.students[key] != student:
            raise ImportError_(
                f"{row.where(mapping.header('identifier') or 'id')}: this student appears "
                "twice with different details. Remove one of the lines."
            )
        roster.students[key] = student
        class_name = "" if into_class_id else values["class_name"] or default_class
        class_key = "into" if into_class_id else f"name:{class_name.casefold()}"
        if class_key not in roster.classes:
            roster.classes[class_key] = RosterClass(
                source_id=None, name=class_name, grade=values["grade"]
            )
        roster.enrollments.append(RosterEnrollment(class_key=class_key, student_key=key))
    return roster


def student_key(student: RosterStudent) -> str:
    """How a plain-CSV student is recognised: sourcedId, else student id, else name."""
    if student.source_id:
        return student.source_id
    if student.identifier:
        return f"id:{student.identifier}"
    return f"name:{student.name_key}"


def _value(row: Row, mapping: ColumnMapping, field: str) -> str:
    header = mapping.header(field)
    return row.values.get(header_key(header), "").strip() if header else ""
