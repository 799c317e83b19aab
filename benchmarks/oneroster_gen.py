"""Write a synthetic OneRoster 1.1 (or 1.2) CSV export: a district's classes and students.

Used by the import benchmark (5,000 students in 200 classes) and by the tests, which
also ask for the quirks real exports have (BOM, ``;``, Windows-1252, odd header case).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

GIVEN = ["Ava", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Iker", "Jonas"]
FAMILY = ["Adams", "Brown", "Çelik", "Diaz", "Evans", "Fischer", "García", "Huang", "Ito"]


@dataclass(frozen=True)
class Quirks:
    """How the export deviates from the spec."""

    bom: bool = False
    delimiter: str = ","
    encoding: str = "utf-8"
    odd_headers: bool = False  # "Given Name", "familyname", "sourcedid"...
    ext_columns: bool = False
    version: str = "1.1"


def write_roster(
    folder: Path,
    *,
    students: int = 30,
    classes: int = 1,
    quirks: Quirks = Quirks(),
    renamed: dict[str, str] | None = None,
    deleted: set[str] = frozenset(),  # type: ignore[assignment]
    omit: set[str] = frozenset(),  # type: ignore[assignment]
) -> Path:
    """Write the CSV files into ``folder``; returns it. Student ``i`` has sourcedId ``s{i}``.

    Student ``i`` is in class ``c{i % classes}``; each class has a teacher. ``renamed``
    maps a student sourcedId to a new given name; ``deleted`` marks users ``tobedeleted``;
    ``omit`` leaves students out of the file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    renamed = renamed or {}
    v12 = quirks.version == "1.2"
    files: dict[str, list[list[str]]] = {}
    files["manifest.csv"] = [
        ["propertyName", "value"],
        ["manifest.version", "1.0"],
        ["oneroster.version", quirks.version],
        ["file.users", "bulk"],
        ["file.classes", "bulk"],
        ["file.enrollments", "bulk"],
    ]
    files["orgs.csv"] = [["sourcedId", "status", "dateLastModified", "name", "type"]]
    files["orgs.csv"].append(["org1", "active", "2026-08-01", "Lincoln Middle", "school"])
    session_head = ["sourcedId", "status", "dateLastModified", "title", "type", "startDate"]
    term = ["term1", "", "08/15/2026", "Fall 2026", "term", "08/20/2026"]
    files["academicSessions.csv"] = [
        [*session_head, "endDate", "schoolYear"],
        [*term, "2026-12-20T00:00:00Z", "2027"],
    ]
    files["courses.csv"] = [
        ["sourcedId", "status", "title", "subjects", "grades", "orgSourcedId"],
        ["course1", "", "Mathematics 6", "Math", "06", "org1"],
    ]
    head = ["sourcedId", "status", "dateLastModified", "title", "courseSourcedId", "classCode"]
    head += ["classType", "schoolSourcedId", "termSourcedIds", "periods"]
    files["classes.csv"] = [head]
    for c in range(classes):
        row = [f"c{c}", "active", "2026-08-01", f"Math 6 - {c + 1}", "course1", f"M6-{c}"]
        files["classes.csv"].append([*row, "scheduled", "org1", "term1", str(c % 8 + 1)])
    given_h, family_h, sid_h = "givenName", "familyName", "sourcedId"
    if quirks.odd_headers:
        given_h, family_h, sid_h = "Given Name", "familyname", "sourcedid"
    users_head = [sid_h, "status", "dateLastModified", "enabledUser", "username"]
    users_head += [given_h, family_h, "identifier", "email", "grades"]
    if not v12:
        users_head += ["orgSourcedIds", "role"]
    else:
        users_head += ["preferredGivenName", "primaryOrgSourcedId"]
    if quirks.ext_columns:
        users_head += ["ext_district_flag"]
    users = [users_head]
    roles = [["sourcedId", "status", "userSourcedId", "roleType", "role", "orgSourcedId"]]
    enrol = [["sourcedId", "status", "classSourcedId", "schoolSourcedId", "userSourcedId"]]
    enrol[0] += ["role", "primary"]
    for c in range(classes):
        tid = f"t{c}"
        row = [tid, "active", "2026-08-01", "TRUE", f"teach{c}", "Pat", f"Teacher{c}", "", ""]
        row += [""]
        row += ["org1", "teacher"] if not v12 else ["", "org1"]
        users.append(row + (["x"] if quirks.ext_columns else []))
        roles.append([f"r{tid}", "active", tid, "primary", "teacher", "org1"])
        enrol.append([f"e{tid}", "active", f"c{c}", "org1", tid, "teacher", "true"])
    for i in range(students):
        sid = f"s{i}"
        if sid in omit:
            continue
        status = "tobedeleted" if sid in deleted else "active"
        given = renamed.get(sid, GIVEN[i % len(GIVEN)])
        row = [sid, status, "2026-08-01", "1" if i % 2 else "true", f"user{i}", given]
        row += [FAMILY[(i // 7) % len(FAMILY)] + (str(i // 63) if i >= 63 else "")]
        row += [f"ID{i:05d}", f"user{i}@lincoln.example", "06"]
        row += ["org1", "student"] if not v12 else ["", "org1"]
        users.append(row + (["x"] if quirks.ext_columns else []))
        roles.append([f"r{sid}", "active", sid, "primary", "student", "org1"])
        enrol.append([f"e{sid}", status, f"c{i % classes}", "org1", sid, "student", "FALSE"])
    files["users.csv"] = users
    files["enrollments.csv"] = enrol
    if v12:
        files["roles.csv"] = roles
    for name, rows in files.items():
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=quirks.delimiter, lineterminator="\r\n").writerows(rows)
        text = ("\ufeff" if quirks.bom else "") + buffer.getvalue()
        (folder / name).write_bytes(text.encode(quirks.encoding))
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target
