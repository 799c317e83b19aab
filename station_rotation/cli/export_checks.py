"""``station-rotation export-checks``: quick checks and reflections as a spreadsheet CSV."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export-checks",
        help="export quick checks and reflections to a CSV file (opens in Excel/LibreOffice)",
        description="Write every quick check and reflection, corrections included (a "
        "superseded row names the row that replaced it), as UTF-8 CSV with local dates.",
    )
    parser.add_argument("output", type=Path, help="the CSV file to write (replaced if it exists)")
    parser.add_argument(
        "--class",
        dest="classes",
        action="append",
        default=[],
        metavar="CLASS_ID",
        help="export only this class (repeat for several; see `station-rotation classes`)",
    )
    parser.set_defaults(handler=_export_checks)


def _export_checks(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices
    from station_rotation.services.checks.export import export_checks

    services = AppServices.open(data_dir)
    try:
        for class_id in args.classes:
            services.classes.get_class(class_id)  # a mistyped id is refused plainly
        summary = export_checks(services.store, args.output, class_ids=args.classes)
    finally:
        services.close()
    print(
        f"Wrote {summary.checks} quick checks and {summary.reflections} reflections "
        f"to {summary.path}"
    )
    return 0
