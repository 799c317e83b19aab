"""District staff pull results out of the server: quick checks and reflections as CSV.

The rows come from the merged ``record`` table, the same one laptops pull from, read
with SQLAlchemy Core and streamed (``yield_per``): a district year of millions of checks
never sits in memory. Names come from joins on the record table's primary key, so the
only things held while streaming are the district's devices and the ids of corrected
checks (a small fraction of all checks).

The file is the laptop export's format (``services/checks/export.py``) adapted to the
district: times in UTC (a district spans time zones; the laptop writes local time),
OneRoster ``sourcedId`` columns for matching with the SIS, the scale, and the teacher
whose laptop recorded each row. UTF-8 with a byte-order mark because district staff
open it in Excel on Windows, which reads UTF-8 without one as the ANSI code page (so
"Zoë" turns into "ZoÃ«"); LibreOffice and Python's ``utf-8-sig`` read it too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TextIO

from sqlalchemy import Connection, Engine, and_, create_engine, event, false, func, or_, select

from station_rotation.core.errors import StationRotationError, ValidationError
from station_rotation.core.spreadsheet import ScaleLabels, safe_text, student_name
from station_rotation.server import audit
from station_rotation.server.tables import Device, Record, ServerTeacher

HEADER = (
    "record",
    "date_utc",
    "observed_at_utc",
    "class",
    "class_sourced_id",
    "student",
    "student_sourced_id",
    "student_identifier",
    "target_code",
    "target_statement",
    "scale",
    "level_value",
    "level_label",
    "absent",
    "confidence",
    "note",
    "teacher",
    "teacher_sourced_id",
    "superseded",
    "superseded_by",
    "supersedes",
    "id",
)
"""Column names; those the laptop export also has mean the same there."""

Kinds = Literal["all", "checks", "reflections"]
STDOUT = "-"
_BATCH = 2000


class ExportError(StationRotationError):
    """The export could not be written where asked (nothing is left under that name)."""


@dataclass(frozen=True)
class ResultsQuery:
    """Which rows to export; every filter is optional."""

    teacher: str | None = None
    """A server teacher id, roster ``sourcedId`` or e-mail: rows her laptops recorded."""
    classes: Sequence[str] = ()
    """Class record ids or roster ``sourcedId``s."""
    since: date | None = None
    """First day (UTC) included."""
    until: date | None = None
    """Last day (UTC) included."""
    all_versions: bool = False
    """Also the checks a correction replaced (``superseded`` says so)."""
    kinds: Kinds = "all"


@dataclass(frozen=True)
class ResultsSummary:
    """What an export wrote."""

    destination: str
    checks: int
    reflections: int

    def summary(self) -> str:
        return (
            f"Wrote {self.checks} quick checks and {self.reflections} reflections "
            f"to {self.destination}."
        )


def export_results(
    engine: Engine, destination: str, query: ResultsQuery, actor: str | None = None
) -> ResultsSummary:
    """Write the CSV to ``destination`` (``-``: standard output, no byte-order mark).

    A file is written beside its final name and renamed over it once complete and on
    disk, so a half-written export is never left under that name. Unknown teachers or
    classes raise ``ValidationError``, an unwritable place ``ExportError``.

    Audited (``actor``: the staff account, by default the OS user): the row is committed
    once the file is whole and before it takes its name, so no export is left without
    its row; a refused or failed export leaves none.
    """
    if _since_after_until(query):
        raise ValidationError("--since is after --until: no day can match.")
    students: set[str] = set()
    with snapshot(engine) as conn:
        if destination == STDOUT:
            if isinstance(sys.stdout, io.TextIOWrapper):
                # Names in any script, and the csv module's own CRLF (not "\r\r\n"
                # from Windows' newline translation).
                sys.stdout.reconfigure(encoding="utf-8", newline="")
            checks, reflections = write_results(conn, sys.stdout, query, students)
            sys.stdout.flush()
            written = ResultsSummary("standard output", checks, reflections)
            _audit(engine, query, written, len(students), actor)
            return written
        path = Path(destination)
        with _atomic_file(path) as out:
            checks, reflections = write_results(conn, out, query, students)
            written = ResultsSummary(str(path), checks, reflections)
            _audit(engine, query, written, len(students), actor)
    return written


def _audit(
    engine: Engine, query: ResultsQuery, written: ResultsSummary, students: int, actor: str | None
) -> None:
    """The export's audit row: its filters and counts (the classes as staff named them)."""
    audit.record_now(
        engine,
        "export-results",
        actor=actor or audit.staff_actor(),
        records=written.checks + written.reflections,
        students=students,
        scope={
            "destination": written.destination,
            "teacher": query.teacher,
            "classes": list(query.classes),
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
            "all_versions": query.all_versions,
            "kinds": query.kinds,
            "counts": {"checks": written.checks, "reflections": written.reflections},
        },
    )


def _since_after_until(query: ResultsQuery) -> bool:
    return query.since is not None and query.until is not None and query.since > query.until


def write_results(
    conn: Connection, out: TextIO, query: ResultsQuery, students: set[str] | None = None
) -> tuple[int, int]:
    """Write the header and the rows ``query`` selects; returns (checks, reflections).

    ``out`` must be opened with ``newline=""``. Filters are checked before the header is
    written, so a mistyped teacher or class writes nothing. ``students`` collects the
    ids of the students in the rows written (the audit log counts them).
    """
    seen = students if students is not None else set()
    devices = _devices(conn)
    authors = _resolve_teacher(conn, query.teacher, devices) if query.teacher else None
    class_ids = _resolve_classes(conn, query.classes)
    writer = csv.writer(out, dialect="excel")
    writer.writerow(HEADER)
    checks = reflections = 0
    if query.kinds in ("all", "checks"):
        for row in _check_rows(conn, query, devices, authors, class_ids, seen):
            writer.writerow(row)
            checks += 1
    if query.kinds in ("all", "reflections"):
        for row in _reflection_rows(conn, query, devices, authors, class_ids, seen):
            writer.writerow(row)
            reflections += 1
    seen.discard("")  # a row without a student
    return checks, reflections


# --- who and which -------------------------------------------------------------------

_Teacher = tuple[str, str]  # (name, roster sourcedId or "")


def _devices(conn: Connection) -> dict[str, tuple[str, _Teacher]]:
    """Each laptop's HLC device id -> (server teacher id, teacher): a district's laptops."""
    devices, teachers = Device.__table__, ServerTeacher.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        select(devices.c.device_id, teachers.c.id, teachers.c.name, teachers.c.source_id)
        .join(teachers, teachers.c.id == devices.c.teacher_id)
        .order_by(devices.c.created_at)
    )
    return {device: (tid, (name, source or "")) for device, tid, name, source in rows}


def _resolve_teacher(
    conn: Connection, wanted: str, devices: dict[str, tuple[str, _Teacher]]
) -> list[str]:
    """The device ids of the teacher named by id, roster sourcedId or e-mail."""
    teachers = ServerTeacher.__table__  # type: ignore[attr-defined]
    found = conn.execute(
        select(teachers.c.id).where(
            or_(
                teachers.c.id == wanted,
                teachers.c.source_id == wanted,
                func.lower(teachers.c.email) == wanted.strip().lower(),
            )
        )
    ).scalars()
    ids = set(found)
    if not ids:
        raise ValidationError(
            f"No teacher {wanted!r} on this server: give a teacher id (create-teacher "
            "printed it), the roster's sourcedId or the teacher's e-mail."
        )
    if len(ids) > 1:
        raise ValidationError(f"{wanted!r} names {len(ids)} teachers: give the teacher id.")
    [teacher_id] = ids
    return sorted(device for device, (tid, _) in devices.items() if tid == teacher_id)


def _resolve_classes(conn: Connection, wanted: Sequence[str]) -> list[str]:
    """Class record ids for ids or roster sourcedIds (a tombstoned class still counts)."""
    if not wanted:
        return []
    records = Record.__table__  # type: ignore[attr-defined]
    source_id = _field(records, "source_id")
    rows = conn.execute(
        select(records.c.id, source_id).where(
            records.c.entity == "class_section",
            or_(records.c.id.in_(wanted), source_id.in_(wanted)),
        )
    ).all()
    known = {record_id for record_id, _ in rows} | {source for _, source in rows if source}
    missing = [name for name in wanted if name not in known]
    if missing:
        raise ValidationError(
            f"No class {', '.join(repr(m) for m in missing)} on this server: give the "
            "class's id or its roster sourcedId."
        )
    return sorted({record_id for record_id, _ in rows})


# --- rows ----------------------------------------------------------------------------


def _field(table: Any, name: str) -> Any:
    """A text field of a record's JSON payload, in SQL (SQLite and PostgreSQL alike)."""
    return table.c.payload[name].as_string()


def _base(kind: str, query: ResultsQuery, authors: list[str] | None, class_ids: list[str]) -> Any:
    """The rows of ``kind`` the filters select, joined to their class, student and target."""
    records = Record.__table__  # type: ignore[attr-defined]
    row, cls, student, target = (records.alias(n) for n in ("r", "cls", "stu", "tgt"))
    conditions = [row.c.entity == kind, row.c.deleted == false()]
    if class_ids:
        conditions.append(row.c.class_id.in_(class_ids))
    if authors is not None:
        # Stamps end with the device id (see core.hlc.author).
        ends = [row.c.hlc.endswith("-" + device, autoescape=True) for device in authors]
        conditions.append(or_(*ends) if ends else false())
    observed = _field(row, "observed_at")
    # A day either side in SQL (the stored text may carry an offset); exact in Python.
    if query.since is not None:
        conditions.append(observed >= (query.since - timedelta(days=1)).isoformat())
    if query.until is not None:
        conditions.append(observed < (query.until + timedelta(days=2)).isoformat())
    return (
        select(
            row.c.id,
            row.c.hlc,
            row.c.payload,
            _field(cls, "name"),
            _field(cls, "source_id"),
            _field(student, "given_name"),
            _field(student, "preferred_name"),
            _field(student, "family_name"),
            _field(student, "source_id"),
            _field(student, "identifier"),
            _field(target, "code"),
            _field(target, "statement"),
            _field(target, "scale"),
        )
        .select_from(row)
        .outerjoin(cls, and_(cls.c.entity == "class_section", cls.c.id == row.c.class_id))
        .outerjoin(
            student,
            and_(student.c.entity == "student", student.c.id == _field(row, "student_id")),
        )
        .outerjoin(
            target,
            and_(target.c.entity == "learning_target", target.c.id == _field(row, "target_id")),
        )
        .where(*conditions)
        .order_by(_field(cls, "name"), row.c.class_id, observed, row.c.id)
    )


def _superseded(conn: Connection) -> dict[str, str]:
    """Corrected check id -> the id of the check that replaced it (tombstones ignored).

    Read for the whole district, whatever the filters: a correction typed after
    ``--until`` still replaces its check.
    """
    records = Record.__table__  # type: ignore[attr-defined]
    supersedes = _field(records, "supersedes")
    rows = conn.execute(
        select(supersedes, records.c.id)
        .where(
            records.c.entity == "quick_check",
            records.c.deleted == false(),
            supersedes.is_not(None),
        )
        .order_by(records.c.hlc)
        .execution_options(yield_per=_BATCH)
    )
    return {old: new for old, new in rows if old}


def _observed(payload: dict[str, Any]) -> datetime | None:
    raw = payload.get("observed_at")
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _in_days(moment: datetime | None, query: ResultsQuery) -> bool:
    if query.since is None and query.until is None:
        return True
    if moment is None:
        return False
    day = moment.date()
    return (query.since is None or day >= query.since) and (
        query.until is None or day <= query.until
    )


def _stamp(moment: datetime | None) -> tuple[str, str]:
    """(day, time to the second with ``Z``) of a UTC moment; isoformat is 4x strftime."""
    if moment is None:
        return "", ""
    text = moment.replace(microsecond=0, tzinfo=None).isoformat()
    return text[:10], text + "Z"


def _author(hlc: str, devices: dict[str, tuple[str, _Teacher]]) -> _Teacher:
    device = hlc.split("-", 2)[2] if hlc.count("-") >= 2 else ""
    found = devices.get(device)
    return found[1] if found else ("", "")


@dataclass(slots=True)
class _Joined:
    """One record with what the joins found: the columns both kinds of row share."""

    id: str
    payload: dict[str, Any]
    spec: str
    """The target's scale spec ("" without a target)."""
    when: tuple[str, str]
    who_and_what: list[str]
    """Class, its sourcedId, student, sourcedId, identifier, target code and statement."""
    teacher: _Teacher


def _joined(
    conn: Connection,
    kind: str,
    query: ResultsQuery,
    devices: dict[str, tuple[str, _Teacher]],
    authors: list[str] | None,
    class_ids: list[str],
) -> Iterator[_Joined]:
    rows = conn.execute(_base(kind, query, authors, class_ids).execution_options(yield_per=_BATCH))
    for record_id, hlc, payload, *texts in rows:
        moment = _observed(payload)
        if not _in_days(moment, query):
            continue
        cls, cls_source, given, preferred, family, source, ident, code, statement, spec = (
            text or "" for text in texts
        )
        names = [cls, cls_source, student_name(given, preferred, family), source, ident]
        yield _Joined(
            record_id,
            payload,
            spec,
            _stamp(moment),
            [safe_text(text) for text in (*names, code, statement)],
            _author(hlc, devices),
        )


def _check_rows(
    conn: Connection,
    query: ResultsQuery,
    devices: dict[str, tuple[str, _Teacher]],
    authors: list[str] | None,
    class_ids: list[str],
    seen: set[str],
) -> Iterable[list[str]]:
    replaced_by = _superseded(conn)
    scales = ScaleLabels()
    for row in _joined(conn, "quick_check", query, devices, authors, class_ids):
        by = replaced_by.get(row.id, "")
        score, absent = row.payload.get("score"), bool(row.payload.get("absent"))
        if not query.all_versions and (by or (score is None and not absent)):
            continue  # replaced by a correction, or only taking an earlier check back
        seen.add(str(row.payload.get("student_id") or ""))
        scale = scales.scale(row.spec)
        level_value = level_label = ""
        if isinstance(score, int):
            level_value = str(score)
            label = scales.label(row.spec, score)
            level_label = "" if label == level_value else label  # points: no labels
        yield [
            "quick check",
            *row.when,
            *row.who_and_what,
            safe_text(scale.name if scale is not None else row.spec),
            level_value,
            safe_text(level_label),
            "yes" if absent else "",
            "",
            safe_text(str(row.payload.get("note") or "")),
            *(safe_text(text) for text in row.teacher),
            "yes" if by else "",
            by,
            str(row.payload.get("supersedes") or ""),
            row.id,
        ]


def _reflection_rows(
    conn: Connection,
    query: ResultsQuery,
    devices: dict[str, tuple[str, _Teacher]],
    authors: list[str] | None,
    class_ids: list[str],
    seen: set[str],
) -> Iterable[list[str]]:
    for row in _joined(conn, "reflection", query, devices, authors, class_ids):
        seen.add(str(row.payload.get("student_id") or ""))
        yield [
            "reflection",
            *row.when,
            *row.who_and_what,
            "",
            "",
            "",
            "",
            str(row.payload.get("confidence") or ""),
            safe_text(str(row.payload.get("words") or "")),
            *(safe_text(text) for text in row.teacher),
            "",
            "",
            "",
            row.id,
        ]


# --- reading and writing -------------------------------------------------------------


@contextlib.contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only snapshot for the whole export, holding no write lock.

    On PostgreSQL a read-only REPEATABLE READ transaction. The server's SQLite engine
    begins every transaction IMMEDIATE (a write lock: pushes would wait for the whole
    export), so on SQLite a plain engine on the same file reads under a deferred BEGIN:
    WAL gives it a snapshot and writers carry on.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with conn.begin():
                yield conn
        return
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn, conn.begin():
            yield conn
        return
    reader = create_engine(engine.url, connect_args={"timeout": 30})

    @event.listens_for(reader, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves

    @event.listens_for(reader, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    try:
        with reader.connect() as conn, conn.begin():
            yield conn
    finally:
        reader.dispose()


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[TextIO]:
    """A text file that appears under ``path`` only once whole and on disk."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name ending in .csv.")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=".results-", suffix=".csv.part", dir=folder)
    except OSError as exc:
        raise ExportError(_cannot_write(path, exc)) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
        _sync_folder(folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise ExportError(_cannot_write(path, exc)) from exc
        raise


def _sync_folder(folder: Path) -> None:
    """Put the rename on disk too (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cannot_write(path: Path, exc: OSError) -> str:
    return (
        f"Could not write {path} ({exc.strerror or exc}). Check the folder exists and "
        "you may write there, or close the file if a spreadsheet has it open."
    )
