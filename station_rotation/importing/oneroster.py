"""OneRoster 1.1 and 1.2 CSV (bulk or delta) to a :class:`Roster`.

Tolerates what real exports do: unknown and ``ext_*`` columns, headers in any case or
spacing, ``status`` filled in a bulk file, booleans as ``TRUE``/``1``, several date
forms. Students and teachers are told apart by role: ``users.role`` (1.1),
``roles.csv`` (1.2) or ``enrollments.role``. Teachers are kept apart from the students,
with the classes their teacher enrollments say they teach.

What the spec makes required is not tolerated when missing: an export without a required
column or value is refused whole (``oneroster_spec.check_export``) before it is read.
"""

from __future__ import annotations

from station_rotation.core.errors import ImportError_
from station_rotation.importing.model import (
    Roster,
    RosterClass,
    RosterClassTeacher,
    RosterEnrollment,
    RosterStudent,
    RosterTeacher,
)
from station_rotation.importing.oneroster_spec import check_export
from station_rotation.importing.source import RosterSource
from station_rotation.importing.table import (
    Row,
    Table,
    decode,
    header_key,
    read_table,
    sniff_delimiter,
)
from station_rotation.importing.values import is_deleted, parse_date, school_year_of

SOURCED_ID = ("sourcedid", "id")
STUDENT_ROLES = {"student", "learner"}
TEACHER_ROLES = {"teacher"}


def looks_like_oneroster(source: RosterSource) -> bool:
    return source.has("manifest.csv") or (source.has("users.csv") and source.has("enrollments.csv"))


# Columns only OneRoster files have: a plain class list never holds them.
_ONEROSTER_ONLY = {
    "sourcedid",
    "enableduser",
    "orgsourcedids",
    "primaryorgsourcedid",
    "usersourcedid",
    "classsourcedid",
    "coursesourcedid",
    "termsourcedids",
    "schoolsourcedid",
}
_ONEROSTER_FILES = {"users.csv", "enrollments.csv", "classes.csv", "roles.csv", "orgs.csv"}


def refuse_part_of_export(source: RosterSource) -> None:
    """Refuse one file of a OneRoster export chosen alone (``users.csv`` from the folder).

    Read as a plain CSV it would import every user as a student with made-up ids and no
    class memberships; the export's other files are what make it a roster.
    """
    if len(source.files) != 1:
        return
    ((name, data),) = source.files.items()
    if name not in _ONEROSTER_FILES:
        return
    first = decode(data, name).split("\n", 1)[0]
    keys = {header_key(h) for h in first.split(sniff_delimiter(first))}
    if keys & _ONEROSTER_ONLY:
        raise ImportError_(
            f"{name} is one file of a OneRoster export, which is read whole (users, "
            "classes and enrollments together). Choose the folder or the zip holding it "
            "with the other files."
        )


def parse_oneroster(source: RosterSource) -> Roster:
    """Parse the files of a OneRoster export (manifest.csv optional)."""
    for needed in ("classes.csv", "users.csv", "enrollments.csv"):
        if not source.has(needed):
            raise ImportError_(
                f"{source.name}: {needed} is missing. A OneRoster export has classes.csv, "
                "users.csv and enrollments.csv; export the roster again."
            )
    tables = check_export(source)  # refuses a missing required column or empty value
    bulk = _is_bulk(tables)
    classes = tables["classes.csv"]
    users = tables["users.csv"]
    enrollments = tables["enrollments.csv"]

    roles = _roles(source, users, tables.get("roles.csv"))
    years = _school_years(tables)
    courses = _courses(tables)
    roster = Roster(source=source.name, bulk=bulk)
    for row in classes.rows:
        key = _sourced_id(row)
        course = courses.get(row.get("coursesourcedid"), {})
        terms = [t.strip() for t in row.get("termsourcedids").split(",") if t.strip()]
        roster.classes[key] = RosterClass(
            source_id=key,
            name=row.get("title", "name"),
            subject=row.get("subjects", "subject") or course.get("subject", ""),
            grade=row.get("grades", "grade") or course.get("grade", ""),
            period=row.get("periods", "period"),
            school_year=next((years[t] for t in terms if t in years), ""),
            active=not is_deleted(row.get("status")),
        )
    enrolled_as: dict[str, str] = {}
    rows: list[tuple[Row, str, str]] = []
    for row in enrollments.rows:
        class_key = row.get("classsourcedid", "classid")
        user_key = row.get("usersourcedid", "userid")
        if not class_key or not user_key:
            raise ImportError_(
                f"{row.where('classSourcedId' if not class_key else 'userSourcedId')}: the "
                "value is empty. Fix that line or export the roster again."
            )
        if class_key not in roster.classes:
            raise ImportError_(
                f"{row.where('classSourcedId')}: class {class_key!r} is not in classes.csv. "
                "Export the whole roster again (classes.csv and enrollments.csv together)."
            )
        role = row.get("role").casefold()
        if role:
            enrolled_as.setdefault(user_key, role)
        rows.append((row, class_key, user_key))
    if not roles and not enrolled_as and users.rows:
        raise ImportError_(
            f"{source.name}: no roles are given (users.csv has no role column, there is no "
            "roles.csv and enrollments.csv has no role column), so students cannot be told "
            "from teachers. Export the roster again with roles."
        )
    for row in users.rows:
        key = _sourced_id(row)
        role = roles.get(key) or enrolled_as.get(key, "")
        if role in TEACHER_ROLES:
            roster.teachers[key] = RosterTeacher(
                source_id=key,
                given_name=row.get("givenname", "firstname"),
                family_name=row.get("familyname", "lastname", "surname"),
                email=row.get("email"),
            )
        if role not in STUDENT_ROLES:
            continue
        roster.students[key] = _student(row, key)
    for row, class_key, user_key in rows:
        role = row.get("role").casefold() or roles.get(user_key, "")
        if role in TEACHER_ROLES and user_key in roster.teachers:
            roster.class_teachers.append(
                RosterClassTeacher(class_key, user_key, active=not is_deleted(row.get("status")))
            )
            continue
        if role not in STUDENT_ROLES:
            continue
        if user_key not in roster.students:
            if user_key in roles:
                continue  # a student record the file marks as someone else's role
            raise ImportError_(
                f"{row.where('userSourcedId')}: user {user_key!r} is not in users.csv. "
                "Export the whole roster again (users.csv and enrollments.csv together)."
            )
        roster.enrollments.append(
            RosterEnrollment(
                class_key=class_key,
                student_key=user_key,
                source_id=row.get(*SOURCED_ID) or None,
                active=not is_deleted(row.get("status")),
            )
        )
    return roster


def _table(source: RosterSource, name: str) -> Table:
    return read_table(source.read(name), name)


def _sourced_id(row: Row) -> str:
    key = row.get(*SOURCED_ID)
    if not key:
        raise ImportError_(
            f"{row.where('sourcedId')}: the sourcedId is empty. Every record needs one; fix "
            "that line or export the roster again."
        )
    return key


def _student(row: Row, key: str) -> RosterStudent:
    given = row.get("givenname", "firstname")
    if not given:
        raise ImportError_(
            f"{row.where('givenName')}: the student has no given name. Fix that line or "
            "export the roster again."
        )
    return RosterStudent(
        source_id=key,
        given_name=given,
        family_name=row.get("familyname", "lastname", "surname"),
        preferred_name=row.get("preferredgivenname", "preferredfirstname", "preferredname"),
        identifier=row.get("identifier", "studentid"),
        email=row.get("email"),
        grade=row.get("grades", "grade"),
        active=not is_deleted(row.get("status")),
    )


def _is_bulk(tables: dict[str, Table]) -> bool:
    """Bulk unless the manifest says the users or enrollments are a delta."""
    manifest = tables.get("manifest.csv")
    if manifest is None:
        return True
    modes = {
        row.get("propertyname").casefold(): row.get("value").casefold() for row in manifest.rows
    }
    return not any(modes.get(f"file.{n}") == "delta" for n in ("users", "enrollments"))


def _roles(source: RosterSource, users: Table, table: Table | None = None) -> dict[str, str]:
    """Each user's role: roles.csv (1.2, primary role first) else users.role (1.1).

    ``table``: roles.csv already read (else it is read from ``source`` when there).
    """
    roles: dict[str, str] = {}
    if table is None and source.has("roles.csv"):
        table = _table(source, "roles.csv")
    if table is not None:
        table.require("userSourcedId", "usersourcedid")
        for row in table.rows:
            user = row.get("usersourcedid")
            role = row.get("role").casefold()
            if row.get("roletype").casefold() == "primary" or user not in roles:
                roles[user] = role
    if users.has("role"):
        for row in users.rows:
            role = row.get("role").casefold()
            if role:
                roles.setdefault(row.get(*SOURCED_ID), role)
    return roles


def _school_years(tables: dict[str, Table]) -> dict[str, str]:
    if "academicsessions.csv" not in tables:
        return {}
    years: dict[str, str] = {}
    for row in tables["academicsessions.csv"].rows:
        start = parse_date(row.get("startdate"))
        year = row.get("schoolyear")
        if start is not None:
            years[row.get(*SOURCED_ID)] = school_year_of(start)
        elif year:
            years[row.get(*SOURCED_ID)] = year
    return years


def _courses(tables: dict[str, Table]) -> dict[str, dict[str, str]]:
    if "courses.csv" not in tables:
        return {}
    return {
        row.get(*SOURCED_ID): {"subject": row.get("subjects"), "grade": row.get("grades")}
        for row in tables["courses.csv"].rows
    }
