"""The plain exports in tests/fixtures/plain (synthetic names) and what each must import as.

Shared by the command-line and the wizard stories, so both check the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PLAIN = Path(__file__).parent / "fixtures" / "plain"
BOTH = ["Amara Okafor", "Tove Lindqvist"]


@dataclass(frozen=True)
class Export:
    file: str
    students: list[str]
    notes: tuple[str, ...] = ()  # each must be in the preview's notes

    @property
    def path(self) -> Path:
        return PLAIN / self.file


EXPORTS = [
    # the common layouts, named
    Export("clever_students.csv", BOTH, ("Looks like a Clever students file.",)),
    Export(
        "classlink_users.csv",
        BOTH,
        ("Looks like a ClassLink user export.", "Left out 1 person who is not a student"),
    ),
    Export("sds_student.csv", BOTH, ("Looks like a Microsoft School Data Sync Student.csv.",)),
    Export(
        "google_classroom_grades.csv",
        BOTH,
        (
            "Looks like a Google Classroom grades export.",
            "Left out lines 2 (“Points possible”), 5 (“Class average”)",
        ),
    ),
    Export(
        "powerschool_students.csv",
        ["Inés Jalapeño-Pérez", "Amara Okafor"],
        ("Looks like a PowerSchool student export.", "`LastFirst` → family name, given name"),
    ),
    Export(
        "infinite_campus_adhoc.csv",
        BOTH,
        ("Looks like an Infinite Campus ad hoc export.", "`student.studentNumber` → student id"),
    ),
    Export(
        "skyward_students.csv",
        BOTH,
        ("Looks like a Skyward student export.", "`Stu Name` → family name, given name"),
    ),
    Export("aeries_students.csv", BOTH, ("Looks like an Aeries student export.",)),
    Export(
        "canvas_gradebook.csv",
        BOTH,
        (
            "Looks like a Canvas gradebook export.",
            "`Student` → family name, given name",
            "`SIS User ID` → student id",
            "Left out line 2 (“Points Possible”): points, totals or averages, not students.",
            "Left out line 4 (“Student, Test”): the learning system's test student",
            "Left out lines 6–7: blank.",
        ),
    ),
    Export("moodle_grades.csv", BOTH, ("Looks like a Moodle grades export.",)),
    # headers with a prefix or suffix, in other languages, or none
    Export("child_prefixed.csv", BOTH, ("`Child first name` → given name",)),
    Export("student_prefixed.csv", BOTH, ("`Student Last Name` → family name",)),
    Export("legal_suffix.csv", BOTH, ("`First_Name_Legal` → given name",)),
    Export("spanish.csv", ["Amara Okafor Ruiz", "Tove Lindqvist"], ("`Apellidos` → family name",)),
    Export("french.csv", ["Amara Okafor", "Chloé Bérard"], ("`Prénom` → given name",)),
    Export("german.csv", ["Amara Okafor", "Jürgen Groß"], ("`Nachname` → family name",)),
    Export("german_name_vorname.csv", ["Amara Okafor", "Jürgen Groß"], ("`Name` → family name",)),
    Export("portuguese.csv", ["Amara Okafor", "João Conceição"], ("`Sobrenome` → family name",)),
    Export("italian.csv", ["Amara Okafor", "Niccolò Bellandi"], ("`Cognome` → family name",)),
    Export(
        "no_header.csv",
        BOTH,
        ("The file has no header row", "`Column 2` → family name, given name"),
    ),
    Export(
        "no_header_two_names.csv",
        BOTH,
        ("The file has no header row", "`Column 2` → given name; `Column 3` → family name"),
    ),
    # the whole name in one column, "Given Family"
    Export("given_family.csv", BOTH, ("`Student Name` → given name, family name",)),
    # rows that are not students
    Export(
        "all_users.csv",
        BOTH,
        ("Left out 3 people who are not students (1 parent, 1 staff, 1 teacher)",),
    ),
    Export(
        "gradebook_totals.csv",
        BOTH,
        ("Left out line 4 (“Class Average”)", "Left out lines 5–6: blank."),
    ),
    # encodings
    Export("latin1_names.csv", ["Inés Jalapeño-Pérez", "Amara Okafor"]),
    Export("utf16_names.csv", ["Inés Jalapeño-Pérez", "Amara Okafor"]),
]
