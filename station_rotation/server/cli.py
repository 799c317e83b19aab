"""``station-rotation-server``: run the district server and do district staff's chores."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from station_rotation.core.errors import StationRotationError
from station_rotation.server.settings import ServerSettings

if TYPE_CHECKING:
    from sqlalchemy import Engine


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-rotation-server",
        description="The Station Rotation district server. The database is "
        "$STATION_ROTATION_SERVER_DATABASE_URL (a SQLite file by default).",
    )
    parser.add_argument("--database-url", help="override the database URL")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the server (put TLS in front in production)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (default on PostgreSQL: one per core but one, at most 4; "
        "on SQLite: 1)",
    )
    serve.add_argument(
        "--trusted-proxies",
        metavar="ADDRESSES",
        help="the TLS proxies whose X-Forwarded-For names the real client, comma-separated "
        "(e.g. 127.0.0.1); default: $STATION_ROTATION_SERVER_TRUSTED_PROXIES, else none",
    )
    sub.add_parser("migrate", help="bring the database to the current schema")
    teacher = sub.add_parser("create-teacher", help="add a teacher account; prints its id")
    teacher.add_argument("name")
    teacher.add_argument("--email", default="")
    code = sub.add_parser("issue-code", help="print a one-time enrolment code for a teacher")
    code.add_argument("teacher_id")
    code.add_argument("--minutes", type=int, default=None)
    assign = sub.add_parser("assign-class", help="give a teacher a class of the district roster")
    assign.add_argument("teacher_id")
    assign.add_argument("class_id")
    roster = sub.add_parser(
        "load-roster",
        help="load the district's OneRoster CSV export (folder or zip): classes, students, "
        "teachers and which teacher teaches which class",
    )
    roster.add_argument("path")
    revoke = sub.add_parser("revoke-device", help="stop accepting a laptop")
    revoke.add_argument("device_id")
    bundle = sub.add_parser(
        "import-bundle",
        help="sync a laptop by USB stick: apply its sync file and write the reply to take back",
    )
    bundle.add_argument("path", help="the sync file the laptop wrote (--export-bundle)")
    bundle.add_argument(
        "--reply", required=True, metavar="REPLY_PATH", help="where to write the reply"
    )
    _add_export_results(sub)
    _add_audit(sub)
    return parser


def _add_audit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from station_rotation.server.audit import ACTIONS

    audit = sub.add_parser(
        "audit",
        help="the audit log: who exported results, loaded the roster, enrolled or revoked "
        "a laptop, and when (no student data)",
        description="List the audit log, oldest first: each results export, roster load, "
        "enrolment and revocation, who did it, when (UTC), over what and how many.",
    )
    audit.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day (UTC)")
    audit.add_argument("--action", choices=ACTIONS, help="only this kind of action")
    audit.add_argument("--csv", action="store_true", help="write CSV to standard output")


def _add_export_results(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export-results",
        help="quick checks and reflections as a CSV for Excel (UTF-8, times in UTC)",
        description="Write the district's quick checks (current values; --all-versions adds "
        "the ones a correction replaced) and reflections, one row each, to a CSV file "
        "(replaced whole once written) or '-' for standard output.",
    )
    export.add_argument("output", metavar="OUT.csv", help="the file to write, or - for stdout")
    export.add_argument(
        "--teacher", metavar="ID", help="only what her laptops recorded (id, sourcedId or e-mail)"
    )
    export.add_argument(
        "--class",
        dest="classes",
        action="append",
        default=[],
        metavar="CLASS_ID_OR_SOURCEDID",
        help="only this class (repeat for several)",
    )
    export.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day (UTC)")
    export.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="to this day (UTC)")
    export.add_argument(
        "--all-versions",
        action="store_true",
        help="include checks replaced by a correction (column 'superseded')",
    )
    export.add_argument(
        "--only",
        choices=("checks", "reflections"),
        help="only quick checks, or only reflections (default: both)",
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, for example 2026-09-01"
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.database_url} if args.database_url else {}
    if getattr(args, "trusted_proxies", None) is not None:
        overrides["trusted_proxies"] = args.trusted_proxies
    settings = ServerSettings(**overrides)
    if args.command == "serve":
        from station_rotation.server.serving import serve

        serve(settings, args.host, args.port, args.workers)
        return 0

    from station_rotation.server import admin
    from station_rotation.server.database import make_engine
    from station_rotation.server.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        if args.command == "create-teacher":
            print(admin.create_teacher(engine, args.name, args.email))
        elif args.command == "issue-code":
            minutes = args.minutes or settings.code_minutes
            print(admin.issue_code(engine, args.teacher_id, minutes))
        elif args.command == "assign-class":
            admin.assign_class(engine, args.teacher_id, args.class_id)
        elif args.command == "load-roster":
            from pathlib import Path

            from station_rotation.server.roster import load_roster

            print(load_roster(engine, Path(args.path)).summary())
        elif args.command == "revoke-device":
            count = admin.revoke_device(engine, args.device_id)
            print(f"Revoked {count} enrolment(s).")
            if count == 0:
                return 1
        elif args.command == "import-bundle":
            from pathlib import Path

            from station_rotation.server.bundle import import_bundle

            imported = import_bundle(engine, Path(args.path), Path(args.reply))
            print(imported.summary())
            print(f"Reply written to {args.reply}: take it back to the laptop.")
            if imported.refused:
                return 1
        elif args.command == "export-results":
            from station_rotation.server.results import ResultsQuery, export_results

            query = ResultsQuery(
                teacher=args.teacher,
                classes=args.classes,
                since=args.since,
                until=args.until,
                all_versions=args.all_versions,
                kinds=args.only or "all",
            )
            written = export_results(engine, args.output, query)
            print(written.summary(), file=sys.stderr if args.output == "-" else sys.stdout)
        elif args.command == "audit":
            _print_audit(engine, args)
    except (LookupError, StationRotationError) as exc:
        print(f"station-rotation-server: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def _print_audit(engine: Engine, args: argparse.Namespace) -> None:
    from station_rotation.server import audit

    rows = audit.entries(engine, since=args.since, action=args.action)
    if args.csv:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding="utf-8", newline="")
        audit.write_csv(rows, sys.stdout)
        return
    for entry in rows:
        print(audit.describe(entry))
    if not rows:
        print("No audited actions match.")


if __name__ == "__main__":
    raise SystemExit(main())
