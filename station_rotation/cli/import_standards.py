"""``station-rotation import-standards CLASS FILE``: learning targets from a CASE package.

The package is the CASE 1.0 JSON a state publishes its standards framework as (read
offline). ``--list`` shows the codes in it; ``--codes`` and ``--under`` choose the
standards; ``--dry-run`` says what would change. Re-importing never duplicates a target.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import-standards",
        help="add learning targets to a class from a standards framework (CASE JSON file)",
        description="Add the chosen standards of a CASE 1.0 JSON package as the class's "
        "learning targets (code and statement). A standard the class already has is "
        "recognised by its identifier and never added twice.",
    )
    parser.add_argument("cls", metavar="CLASS", help="the class's id, sourcedId or name")
    parser.add_argument("file", type=Path, help="the CASE package (.json)")
    parser.add_argument(
        "--codes",
        default="",
        metavar="CODE,CODE",
        help="the standards' codes, comma-separated (e.g. 6.RP.A.1,6.RP.A.3)",
    )
    parser.add_argument(
        "--under", metavar="CODE", help="every standard under this code (e.g. 6.RP)"
    )
    parser.add_argument(
        "--list", action="store_true", help="list the package's codes and statements; add nothing"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing"
    )
    parser.set_defaults(handler=_import_standards)


def _import_standards(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.core.errors import ImportError_
    from station_rotation.services.app import AppServices

    services = AppServices.open(data_dir)
    try:
        section = services.classes.find_class(args.cls)
        package = services.standards.read_package(args.file)
        if args.list:
            print(f"{package.title} ({package.framework_id}): {len(package.items)} items")
            for standard in package.items.values():
                print(f"{standard.code or '-':<16} {standard.statement}")
            return 0
        codes = [code.strip() for code in args.codes.split(",") if code.strip()]
        if not codes and not args.under:
            raise ImportError_(
                "Choose the standards: --codes 6.RP.A.1,6.RP.A.3 or --under 6.RP "
                "(--list shows the codes in the package)."
            )
        chosen = package.pick(codes=codes, under=args.under)
        result = services.standards.import_standards(
            section.id, package, chosen, dry_run=args.dry_run
        )
    finally:
        services.close()
    for verb, labels in (("add", result.added), ("update", result.updated)):
        for label in labels:
            print(f"  {verb} {label}")
    if args.dry_run:
        print(f"{section.name}, from {result.framework}: would be {result}.")
        print("Dry run: nothing was written.")
    else:
        print(f"{section.name}, from {result.framework}: {result}.")
    return 0
