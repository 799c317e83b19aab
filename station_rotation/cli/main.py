"""Entry point and composition root.

``station-rotation`` alone opens the GUI; subcommands do headless work. Heavy modules
(Qt, the store, Alembic) are imported only by the subcommand that needs them, so
``--help`` is instant and the GUI starts as fast as it can.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from station_rotation import APP_NAME, __version__
from station_rotation.core.errors import StationRotationError
from station_rotation.paths import DATA_DIR_ENV, resolve_data_dir

Handler = Callable[[argparse.Namespace, Path], int]


def _run_gui(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.gc_pause import pause_collection

    pause_collection()  # resumed by run_gui once the window is up
    from station_rotation.ui.app import run_gui

    return run_gui(data_dir, argv=[sys.argv[0]])


def _sample_class(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices
    from station_rotation.services.sample import create_sample_class

    services = AppServices.open(data_dir)
    try:
        section = create_sample_class(services, students=args.students)
    finally:
        services.close()
    print(f"Created {section.name!r} with {args.students} students in {data_dir}")
    return 0


def _list_classes(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices

    services = AppServices.open(data_dir)
    try:
        counts = services.classes.active_student_counts()
        for section in services.classes.list_classes(include_archived=args.all):
            count = counts.get(section.id, 0)
            flag = " (archived)" if section.archived else ""
            print(f"{section.id}  {section.name}{flag}  {count} students")
    finally:
        services.close()
    return 0


def _check_db(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.store.integrity import check_integrity

    problems = check_integrity(data_dir)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    print("The data file is healthy.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-rotation",
        description=f"{APP_NAME}: run station rotations, offline first. "
        "With no subcommand, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        help=f"folder holding the data file (default: ${DATA_DIR_ENV}, "
        "else the platform's local app-data folder)",
    )
    parser.set_defaults(handler=_run_gui)
    sub = parser.add_subparsers(title="subcommands", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the app (the default)")
    gui.set_defaults(handler=_run_gui)

    sample = sub.add_parser("sample-class", help="add the sample class to the data folder")
    sample.add_argument("--students", type=int, default=28)
    sample.set_defaults(handler=_sample_class)

    classes = sub.add_parser("classes", help="list the classes in the data folder")
    classes.add_argument("--all", action="store_true", help="include archived classes")
    classes.set_defaults(handler=_list_classes)

    check = sub.add_parser("check-db", help="run SQLite's integrity check on the data file")
    check.set_defaults(handler=_check_db)

    for register in _subcommand_modules():
        register(sub)
    return parser


def _subcommand_modules() -> list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
]:
    """Subcommands defined in their own modules (each module has a ``register``)."""
    from station_rotation.cli import commands

    return commands.REGISTRARS


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    handler: Handler = args.handler
    try:
        return handler(args, data_dir)
    except StationRotationError as exc:
        print(f"station-rotation: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
