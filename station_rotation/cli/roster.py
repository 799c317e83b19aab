"""``station-rotation roster CLASS``: a class's students, for scripts and IT checks.

The columns a district's IT compares with its student-information system (names, ids,
grade, e-mail, whether the student is still on the roster), as ``classes`` lists the
classes. Private information (IEP, ELL, support notes) is never printed unless a flag
asks for it, so the plain command is safe to paste into a help-desk ticket.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from station_rotation.services.roster.students import RosterEntry

COLUMNS: tuple[str, ...] = ("name", "given_name", "family_name", "preferred_name")
COLUMNS += ("identifier", "grade", "email", "source_id", "id", "status")
SUPPORT_COLUMNS = ("iep", "ell")
NOTES_COLUMNS = ("support_notes",)
_SHOWN = ("name", "identifier", "grade", "source_id", "id", "status")  # the readable table
_TITLES = {"identifier": "student id", "source_id": "sourcedId", "support_notes": "notes"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "roster",
        help="list a class's students (name, ids, grade; no private notes)",
        description="List a class's students as the Roster page does. IEP, ELL and support "
        "notes are private and printed only with --supports / --notes.",
    )
    parser.add_argument("cls", metavar="CLASS", help="the class's id, sourcedId or name")
    parser.add_argument("--all", action="store_true", help="include archived students")
    parser.add_argument(
        "--csv",
        action="store_true",
        help="machine output: CSV with a header line and every column, on standard output",
    )
    parser.add_argument(
        "--supports", action="store_true", help="add the private IEP and ELL columns"
    )
    parser.add_argument("--notes", action="store_true", help="add the private support notes column")
    parser.set_defaults(handler=_roster)


def _roster(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices

    services = AppServices.open(data_dir)
    try:
        section = services.classes.find_class(args.cls)
        entries = services.roster.roster(section.id, include_archived=args.all)
    finally:
        services.close()
    extra: tuple[str, ...] = (SUPPORT_COLUMNS if args.supports else ()) + (
        NOTES_COLUMNS if args.notes else ()
    )
    rows = [_row(entry) for entry in entries]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        columns = (*COLUMNS, *extra)
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)
        return 0
    columns = (*_SHOWN, *extra)
    count = len(rows)
    print(f"{section.name} ({section.id}): {count} student{'' if count == 1 else 's'}")
    if rows:
        _print_table(columns, rows)
    return 0


def _row(entry: RosterEntry) -> dict[str, str]:
    student = entry.student
    return {
        "name": student.display_name,
        "given_name": student.given_name,
        "family_name": student.family_name,
        "preferred_name": student.preferred_name,
        "identifier": student.identifier,
        "grade": student.grade,
        "email": student.email,
        "source_id": student.source_id or "",
        "id": student.id,
        "status": "archived" if entry.archived else "active",
        "iep": "yes" if student.iep else "",
        "ell": "yes" if student.ell else "",
        "support_notes": " ".join(student.support_notes.split()),
    }


def _print_table(columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    titles = [_TITLES.get(c, c.replace("_", " ")) for c in columns]
    widths = [max(len(t), *(len(r[c]) for r in rows)) for t, c in zip(titles, columns, strict=True)]
    print("  ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip())
    for row in rows:
        cells = (row[c].ljust(w) for c, w in zip(columns, widths, strict=True))
        print("  ".join(cells).rstrip())
