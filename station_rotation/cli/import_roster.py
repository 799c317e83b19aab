"""``station-rotation import-roster PATH``: preview or import a roster from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from station_rotation.core.errors import ImportError_


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import-roster",
        help="import a class roster (OneRoster CSV folder or zip, or a plain CSV)",
        description="Import a roster. Re-importing updates by sourcedId and never duplicates; "
        "students a full district export no longer lists are archived, never deleted.",
    )
    parser.add_argument("path", type=Path, help="OneRoster folder or zip, or a plain CSV file")
    parser.add_argument("--dry-run", action="store_true", help="show the plan; write nothing")
    parser.add_argument(
        "--class",
        dest="classes",
        action="append",
        default=[],
        metavar="SOURCEDID",
        help="import only this OneRoster class (repeat for several)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="plain CSV: read FIELD (given_name, family_name, full_name, preferred_name, "
        "identifier, source_id, email, grade, class_name, role) from the column HEADER; "
        "an empty HEADER leaves the field out",
    )
    parser.add_argument("--format", choices=("auto", "oneroster", "csv"), default="auto")
    parser.add_argument(
        "--into-class", metavar="CLASS_ID", help="plain CSV: add the students to this class"
    )
    parser.add_argument(
        "--archive-missing",
        action="store_true",
        help="plain CSV: archive (never delete) the class's students the file does not list; "
        "without it they stay on the roster",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list every change")
    parser.set_defaults(handler=_import_roster)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep:
            raise ImportError_(f"--map {pair!r}: write it as FIELD=HEADER, e.g. given_name=First.")
        mapping[field.strip()] = header.strip()
    return mapping


def _import_roster(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices
    from station_rotation.services.roster.imports import ImportOptions

    options = ImportOptions(
        format=args.format,
        classes=frozenset(args.classes),
        mapping=_mapping(args.map),
        into_class_id=args.into_class,
        archive_missing=args.archive_missing,
    )
    services = AppServices.open(data_dir)
    try:
        plan = services.roster_import.preview(args.path, options)
        print(plan.summary())
        for note in plan.notes:  # how the file was read: a wrong guess is seen before writing
            print(note)
        if plan.not_in_file:
            count = len(plan.not_in_file)
            what = (
                "to be archived, restorable on the Roster page"
                if plan.archive_missing
                else "kept; --archive-missing archives them"
            )
            print(
                f"{count} student{' is' if count == 1 else 's are'} not in this file ({what}): "
                + ", ".join(plan.not_in_file)
            )
        if args.verbose:
            for item in plan.items:
                detail = item.describe()
                print(
                    f"  {item.action} {item.kind} {item.label}" + (f" ({detail})" if detail else "")
                )
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        summary = services.roster_import.apply(plan)
    finally:
        services.close()
    print(f"Imported: {summary}.")
    return 0
