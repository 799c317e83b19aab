"""Rows of a plain CSV that are not students: a gradebook's points row, totals, other roles.

A gradebook export has a ``Points Possible`` row under its header and averages at the
end; an export of all users has teachers, staff and parents beside the students. They are
left out, and the preview says which lines and why, so nothing is dropped unseen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from station_rotation.importing.headers import fold

# Folded labels of rows that summarise the students (en, es, fr, de, pt, it).
SUMMARY_LABELS = frozenset(
    {
        "pointspossible",
        "possiblepoints",
        "maxpoints",
        "maximumpoints",
        "points",
        "total",
        "totals",
        "average",
        "averages",
        "classaverage",
        "overallaverage",
        "courseaverage",
        "median",
        "maximum",
        "minimum",
        "duedate",
        "manualposting",
        "mutedassignment",
        "promedio",
        "moyenne",
        "durchschnitt",
        "summe",
        "gesamt",
        "media",
        "totale",
    }
)
# An LMS's pretend student (Canvas's "Student, Test"), there to preview the course.
TEST_STUDENTS = frozenset({"studenttest", "teststudent"})

STUDENT_ROLES = frozenset(
    {
        "student",
        "students",
        "learner",
        "pupil",
        "estudiante",
        "alumno",
        "alumna",
        "eleve",
        "schuler",
        "schueler",
        "aluno",
        "studente",
    }
)
OTHER_ROLES = frozenset(
    {
        "teacher",
        "staff",
        "parent",
        "guardian",
        "relative",
        "aide",
        "administrator",
        "admin",
        "districtadministrator",
        "siteadministrator",
        "systemadministrator",
        "counselor",
        "principal",
        "proctor",
        "employee",
        "faculty",
        "contact",
        "profesor",
        "docente",
        "enseignant",
        "lehrer",
        "lehrerin",
        "professor",
        "insegnante",
    }
)


def summary_label(*cells: str) -> str | None:
    """The cell that marks a summary row (``Points Possible``), as written; None if none."""
    for cell in cells:
        if fold(cell) in SUMMARY_LABELS:
            return cell.strip()
    return None


def is_test_student(given: str, family: str) -> bool:
    return fold(family + given) in TEST_STUDENTS or fold(given + family) in TEST_STUDENTS


def is_role_column(values: list[str]) -> bool:
    """A Role/Type column holds role words; a ``Type`` of something else is not one."""
    return any(fold(v) in STUDENT_ROLES | OTHER_ROLES for v in values)


def is_student_role(value: str) -> bool:
    """Student (any language or plural); an empty role counts as a student."""
    key = fold(value)
    return not key or key in STUDENT_ROLES


@dataclass
class LeftOut:
    """The lines left out of a plain CSV, by reason, for the preview."""

    rows: list[tuple[int, str]] = field(default_factory=list)  # (line, label)
    tests: list[tuple[int, str]] = field(default_factory=list)  # (line, name)
    roles: Counter[str] = field(default_factory=Counter)
    role_column: str = ""

    def notes(self, blank_lines: list[int]) -> list[str]:
        notes = []
        if self.rows:
            shown = ", ".join(f"{line} (“{label}”)" for line, label in self.rows[:6])
            more = f" and {len(self.rows) - 6} more" if len(self.rows) > 6 else ""
            notes.append(
                f"Left out {_lines(len(self.rows))} {shown}{more}: points, totals or "
                "averages, not students."
            )
        if self.tests:
            shown = ", ".join(f"{line} (“{name}”)" for line, name in self.tests)
            notes.append(
                f"Left out {_lines(len(self.tests))} {shown}: the learning system's test "
                "student, not a real one."
            )
        if self.roles:
            parts = ", ".join(f"{n} {role}" for role, n in sorted(self.roles.items()))
            total = sum(self.roles.values())
            who = (
                "1 person who is not a student"
                if total == 1
                else f"{total} people who are not students"
            )
            notes.append(f"Left out {who} ({parts}), by the column {self.role_column!r}.")
        if blank_lines:
            notes.append(f"Left out {_lines(len(blank_lines))} {_list(blank_lines)}: blank.")
        return notes


def _lines(count: int) -> str:
    return "line" if count == 1 else "lines"


def _list(lines: list[int]) -> str:
    """``7-9, 12`` for lines 7, 8, 9 and 12."""
    runs: list[list[int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
