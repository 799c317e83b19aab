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
    from station_rotation.startup_collector import pause_collection

    pause_collection()  # resumed by run_gui once the window is up
    from station_rotation.ui.app import run_gui

    return run_gui(data_dir, argv=[sys.argv[0]])


def _sample_class(args: argparse.Namespace, data_dir: Path) -> int:
    from station_rotation.services.app import AppServices
    from station_rotation.services.classes.sample import create_sample_class

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
    from station_rotation.store.integrity import DAMAGED_ADVICE, check_integrity, kept_aside

    problems = check_integrity(data_dir)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(DAMAGED_ADVICE, file=sys.stderr)
        return 1
    print("The data file is healthy.")
    for note in kept_aside(data_dir):
        print(note)
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
    except Exception as exc:
        if not _damaged_file(exc):
            raise  # a bug: its traceback is what is needed to fix it
        print(f"station-rotation: {_damaged_words(exc, data_dir)}", file=sys.stderr)
        return 2


def _damaged_file(exc: BaseException) -> bool:
    """``exc`` (or what caused it) is SQLite failing to read the data file, or text in it
    that is not UTF-8: damage to the file, not a mistake of the command."""
    import sqlite3

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.DatabaseError | UnicodeDecodeError):
            return not isinstance(seen, sqlite3.OperationalError) or _unreadable(seen)
        seen = seen.__cause__ or seen.__context__
    return False


def _unreadable(exc: BaseException) -> bool:
    """An ``OperationalError`` that means damage (not a locked or full disk, which the
    store already words as a ``StoreError``)."""
    text = str(exc)
    return "decode" in text or "malformed" in text


def _damaged_words(exc: BaseException, data_dir: Path) -> str:
    """The plain message for a damaged file; the traceback goes to the log, not the screen."""
    import logging
    import traceback

    from station_rotation.paths import DB_FILENAME
    from station_rotation.store.private_files import private_dir, private_file

    log_path = data_dir / "logs" / "station-rotation-cli.log"
    try:
        private_dir(log_path.parent)
        private_file(log_path)
        with log_path.open("a", encoding="utf-8") as log_file:
            log_file.write("".join(traceback.format_exception(exc)))
        where = f"The details are in {log_path}."
    except OSError:
        logging.getLogger(__name__).exception("the data file could not be read")
        where = "The details could not be written to the log."
    return (
        f"The data file {data_dir / DB_FILENAME} is damaged and could not be read, so "
        "nothing was done. Run `station-rotation check-db` to see where, keep a copy of "
        f"the file, and ask your district's IT for help. {where}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
