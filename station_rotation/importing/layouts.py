"""The common school systems' CSV exports, recognised by their telltale headers.

Each layout lists one or more sets of (folded) headers (and labels of the rows that are
not students, such as a gradebook's ``Class average``), written from the systems' public
descriptions of their exports as we know them; when every header of a set is in the file,
the preview names the system ("Looks like a PowerSchool student export") so a teacher or
IT sees the file was understood, and a layout may say which of its columns is the id.
The largest matching set wins, so a specific layout beats a generic one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from station_rotation.importing.headers import fold


@dataclass(frozen=True)
class Layout:
    system: str
    export: str
    signatures: tuple[frozenset[str], ...]
    # field -> folded header to read it from when the file has it (before the guess)
    prefer: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return f"Looks like {self.export_with_article}."

    @property
    def export_with_article(self) -> str:
        article = "an" if self.system[0] in "AEIOU" else "a"
        return f"{article} {self.system} {self.export}"


def _sig(*headers: str) -> frozenset[str]:
    return frozenset(headers)


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "Clever",
        "students file",
        (_sig("schoolid", "studentid", "studentnumber", "stateid", "lastname", "firstname"),),
        {"identifier": "studentid"},
    ),
    Layout(
        "ClassLink",
        "user export",
        (_sig("loginid", "firstname", "lastname", "role", "building"),),
        {"identifier": "loginid"},
    ),
    Layout(
        "Microsoft School Data Sync",
        "Student.csv",
        (_sig("sisid", "schoolsisid", "username", "firstname", "lastname"),),
        {"identifier": "sisid"},
    ),
    Layout(
        "Google Classroom",
        "grades export",
        (_sig("lastname", "firstname", "emailaddress", "classaverage"),),
    ),
    Layout(
        "PowerSchool",
        "student export",
        (
            _sig("studentnumber", "lastfirst"),
            _sig("dcid", "studentnumber", "gradelevel"),
        ),
        {"identifier": "studentnumber"},
    ),
    Layout(
        "Infinite Campus",
        "ad hoc export",
        (
            _sig("studentpersonid", "studentlastname", "studentfirstname"),
            _sig("studentstudentnumber", "studentlastname", "studentfirstname"),
        ),
        {"identifier": "studentstudentnumber"},
    ),
    Layout(
        "Skyward",
        "student export",
        (_sig("otherid", "stuname"), _sig("otherid", "alphakey"), _sig("stualphakey")),
        {"identifier": "otherid"},
    ),
    Layout(
        "Aeries",
        "student export",
        (_sig("permid", "lastname", "firstname"), _sig("permid", "studentid", "grade")),
        {"identifier": "permid"},
    ),
    Layout(
        "Canvas",
        "gradebook export",
        (_sig("student", "id", "sisuserid", "section"), _sig("student", "sisloginid")),
        {"identifier": "sisuserid"},
    ),
    Layout(
        "Moodle",
        "grades export",
        (
            _sig("firstname", "surname", "emailaddress", "lastdownloadedfromthiscourse"),
            _sig("firstname", "surname", "idnumber", "institution", "department"),
        ),
        {"identifier": "idnumber"},
    ),
    Layout(
        "Moodle",
        "user list",
        (_sig("username", "firstname", "lastname", "email", "idnumber"),),
        {"identifier": "idnumber"},
    ),
)


def recognise(headers: list[str], row_labels: Iterable[str] = ()) -> Layout | None:
    """The layout whose telltale headers (and row labels) the file has, most specific first."""
    keys = {fold(h) for h in headers} | {fold(label) for label in row_labels}
    best: tuple[int, Layout] | None = None
    for layout in LAYOUTS:
        for signature in layout.signatures:
            if signature <= keys and (best is None or len(signature) > best[0]):
                best = (len(signature), layout)
    return best[1] if best else None
