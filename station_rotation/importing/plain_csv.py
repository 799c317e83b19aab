"""A plain CSV from any SIS or LMS: one row per student, columns found by header name.

The automatic mapping recognises the usual headers (First Name, Surname, Student ID...);
the user can override it (the GUI's mapping step, the CLI's ``--map field=Header``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from station_rotation.core.errors import ImportError_
from station_rotation.importing.content import guess_by_content, looks_headerless, without_header
from station_rotation.importing.headers import FIELD_ALIASES, bare, fold
from station_rotation.importing.layouts import Layout, recognise
from station_rotation.importing.model import Roster, RosterClass, RosterEnrollment, RosterStudent
from station_rotation.importing.names import order_of, split_name
from station_rotation.importing.not_students import (
    LeftOut,
    is_role_column,
    is_student_role,
    is_test_student,
    summary_label,
)
from station_rotation.importing.table import Row, Table, header_key

__all__ = ["FIELD_ALIASES", "FIELD_LABELS", "ColumnMapping", "auto_mapping", "parse_plain_csv"]

FIELD_LABELS: dict[str, str] = {
    "given_name": "Given name",
    "family_name": "Family name",
    "full_name": "Whole name (given and family)",
    "preferred_name": "Preferred name",
    "source_id": "District id (sourcedId)",
    "identifier": "Student id",
    "email": "Email",
    "grade": "Grade",
    "class_name": "Class",
    "role": "Role (only students are imported)",
}
# What a cell holds when the exporter had nothing to write (a gradebook's "-" section).
# Words only outside names: "Null" and "None" are family names too.
_DASHES = frozenset({"-", "--", "—", "–"})
_PLACEHOLDERS = _DASHES | {"n/a", "#n/a", "none", "null", "(none)"}
_NAME_FIELDS = frozenset({"given_name", "family_name", "full_name", "preferred_name"})
REQUIRED_FIELDS = ("given_name",)  # ... or a whole name to split


@dataclass(frozen=True)
class ReadCsv:
    """A plain CSV as understood before the mapping: the table and what was noticed."""

    table: Table
    headerless: bool = False
    layout: Layout | None = None
    notes: list[str] = field(default_factory=list)


def understand(table: Table) -> ReadCsv:
    """Name the layout, and read a file without a header row by its columns' content."""
    if looks_headerless(table):
        return ReadCsv(
            without_header(table),
            headerless=True,
            notes=["The file has no header row: its columns were recognised by what they hold."],
        )
    labels = {
        label
        for row in table.rows[:3] + table.rows[-3:]
        if (label := summary_label(*list(row.values.values())[:3]))
    }
    layout = recognise(table.headers, labels)
    return ReadCsv(table, layout=layout, notes=[layout.description] if layout else [])


@dataclass(frozen=True)
class ColumnMapping:
    """Which header (as written in the file) feeds each field; None = not in the file."""

    columns: Mapping[str, str | None]

    def header(self, field: str) -> str | None:
        return self.columns.get(field)


def auto_mapping(headers: list[str], read: ReadCsv | None = None) -> ColumnMapping:
    """Guess each field's column from the header names (or, headerless, from the content).

    A header as written wins over one that only matches without its prefix or suffix;
    a recognised layout's own id column wins over the generic guess.
    """
    if read is not None and read.headerless:
        return ColumnMapping(guess_by_content(read.table))
    folded = [(fold(h), h) for h in headers]
    columns: dict[str, str | None] = {}
    used: set[str] = set()
    prefer = read.layout.prefer if read and read.layout else {}
    for field_name, aliases in FIELD_ALIASES.items():
        found = None
        choices = [(prefer[field_name],)] if field_name in prefer else []
        for candidates in (*choices, aliases):
            for shape in (lambda k: k, bare):
                found = next(
                    (h for a in candidates for k, h in folded if shape(k) == a and h not in used),
                    None,
                )
                if found:
                    break
            if found:
                break
        columns[field_name] = found
        if found:
            used.add(found)
    # German "Name, Vorname": beside a given name, "Name" is the family name.
    whole = columns["full_name"]
    if columns["given_name"] and not columns["family_name"] and whole and fold(whole) == "name":
        columns["family_name"], columns["full_name"] = whole, None
    return ColumnMapping(columns)


def with_overrides(
    mapping: ColumnMapping, overrides: Mapping[str, str], headers: list[str]
) -> ColumnMapping:
    """Apply ``field=Header`` overrides; an empty header unmaps the field."""
    columns = dict(mapping.columns)
    by_key = {header_key(h): h for h in headers}
    for field_name, header in overrides.items():
        if field_name not in FIELD_ALIASES:
            raise ImportError_(
                f"Unknown field {field_name!r} in the column mapping; the fields are "
                f"{', '.join(FIELD_ALIASES)}."
            )
        if not header:
            columns[field_name] = None
            continue
        actual = by_key.get(header_key(header))
        if actual is None:
            raise ImportError_(
                f"The file has no column {header!r} (its columns are {', '.join(headers)}). "
                "Check the spelling in the mapping."
            )
        columns[field_name] = actual
    return ColumnMapping(columns)


def parse_plain_csv(
    table: Table,
    mapping: ColumnMapping,
    *,
    into_class_id: str | None = None,
    notes: list[str] | None = None,
) -> Roster:
    """Students (and their classes, when a class column is mapped) of a plain CSV.

    Summary rows, an LMS's test student and people whose role is not student are left
    out and named in ``Roster.notes``; anything else wrong refuses the whole file.
    """
    given_header, full_header = mapping.header("given_name"), mapping.header("full_name")
    if given_header is None and full_header is None:
        raise ImportError_(
            f"{table.name}: no column holds the given name or the whole name (columns: "
            f"{', '.join(table.headers)}). Choose it in the column mapping "
            "(--map given_name=HEADER, or --map full_name=HEADER for a column such as "
            "'Lopez, Ana')."
        )
    split = given_header is None  # the whole name is split only when no given name column
    roster = Roster(source=table.name, into_class_id=into_class_id, whole_classes=True)
    roster.notes.extend(notes or [])
    roster.notes.append(_columns_note(table, mapping, split))
    role_header = mapping.header("role")
    if role_header and not is_role_column(table.column(table.headers.index(role_header))):
        roster.notes.append(
            f"The column {role_header!r} holds no roles (student, teacher...): not read."
        )
        role_header = None
    left = LeftOut(role_column=role_header or "")
    default_class = table.name.rsplit(".", 1)[0]
    for row in table.rows:
        values = {f: _value(row, mapping, f) for f in FIELD_ALIASES}
        if split and values["full_name"]:
            values["given_name"], values["family_name"] = split_name(
                values["full_name"], full_header or ""
            )
        names = (values["full_name"] or values["given_name"], values["family_name"])
        label = None
        if not any(names):  # a gradebook's label may sit in any of the first cells
            label = summary_label(*list(row.values.values())[:3])
        elif not (values["identifier"] or values["source_id"]):
            label = summary_label(*names)
        if label:
            left.rows.append((row.line, label))
            continue
        if is_test_student(values["given_name"], values["family_name"]):
            left.tests.append((row.line, values["full_name"] or values["given_name"]))
            continue
        if role_header and not is_student_role(values["role"]):
            left.roles[values["role"].casefold()] += 1
            continue
        if not values["given_name"]:
            column = (full_header if split else given_header) or "given name"
            raise ImportError_(
                f"{row.where(column)}: the {'name' if split else 'given name'} is empty. "
                "Fill it in or remove the line."
            )
        _add_student(roster, row, mapping, values, into_class_id, default_class)
    roster.notes.extend(left.notes(table.blank_lines))
    if not roster.students:
        why = f"only people whose {role_header!r} is not student" if left.roles else "no student"
        raise ImportError_(
            f"{table.name} lists {why}, so there is nothing to import. Export the "
            "students (one per line) and try again."
        )
    return roster


def _add_student(
    roster: Roster,
    row: Row,
    mapping: ColumnMapping,
    values: dict[str, str],
    into_class_id: str | None,
    default_class: str,
) -> None:
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


def _columns_note(table: Table, mapping: ColumnMapping, split: bool) -> str:
    """``Columns: `LastFirst` → family name, given name; `Student_Number` → student id.``"""
    parts = []
    for field_name in FIELD_ALIASES:
        header = mapping.header(field_name)
        if header is None or (field_name == "full_name" and not split):
            continue
        if field_name == "full_name":
            what = order_of(table.column(table.headers.index(header)), header)
        else:
            what = FIELD_LABELS[field_name].split(" (")[0].lower()
        parts.append(f"`{header}` → {what}")
    return "Columns: " + "; ".join(parts) + "."


def student_key(student: RosterStudent) -> str:
    """How a plain-CSV student is recognised: sourcedId, else student id, else name."""
    if student.source_id:
        return student.source_id
    if student.identifier:
        return f"id:{student.identifier}"
    return f"name:{student.name_key}"


def _value(row: Row, mapping: ColumnMapping, field_name: str) -> str:
    header = mapping.header(field_name)
    value = row.values.get(header_key(header), "").strip() if header else ""
    empty = _DASHES if field_name in _NAME_FIELDS else _PLACEHOLDERS
    return "" if value.casefold() in empty else value
