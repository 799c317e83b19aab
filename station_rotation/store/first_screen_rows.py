"""Read what the first screen shows with plain ``sqlite3``, before SQLAlchemy is imported.

Importing SQLAlchemy, pydantic and the SQLModel tables costs about half of the GUI's
start. The GUI paints its first screen (the classes and their student counts, a class's
roster, whether a rotation was left going) from this reader and loads the full store right after
(``services/first_screen_stand_in.py``). The reader only opens a file already at the current schema:
a new file, one needing a migration, a damaged or a newer one goes through
``Store.open``, which migrates it or refuses it with its message. It opens the file
read-only (``mode=ro``): nothing can be written through it.

The rows mirror the SQLModel tables' fields (a test keeps them in step) and the queries
mirror the services' (a test compares their answers on the same file).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from station_rotation.core.roster_order import arrange, teacher_names
from station_rotation.paths import DB_FILENAME
from station_rotation.store.migrate import inspect_data_file
from station_rotation.store.schema_version import HEAD_REVISION


@dataclass(frozen=True)
class QuickClass:
    """A ``class_section`` row, shaped like :class:`store.models.ClassSection`."""

    id: str
    hlc: str
    deleted: bool
    name: str
    subject: str
    grade: str
    period: str
    school_year: str
    source_id: str | None
    archived: bool


@dataclass(frozen=True)
class QuickStudent:
    """A ``student`` row, shaped like :class:`store.models.Student`."""

    id: str
    hlc: str
    deleted: bool
    given_name: str
    family_name: str
    preferred_name: str
    source_id: str | None
    identifier: str
    email: str
    grade: str
    support_notes: str
    iep: bool
    ell: bool
    archived: bool

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def first_name(self) -> str:
        return self.preferred_name or self.given_name


@dataclass(frozen=True)
class QuickEnrollment:
    """An ``enrollment`` row, shaped like :class:`store.models.Enrollment`."""

    id: str
    hlc: str
    deleted: bool
    class_id: str
    student_id: str
    source_id: str | None
    archived: bool


@dataclass(frozen=True)
class QuickRosterEntry:
    """A student on one class's roster, shaped like ``services.roster.RosterEntry``."""

    student: QuickStudent
    enrollment: QuickEnrollment

    @property
    def archived(self) -> bool:
        return self.enrollment.archived or self.student.archived


RowT = TypeVar("RowT", QuickClass, QuickStudent, QuickEnrollment)


class QuickReader:
    """Read-only queries on a data file at the current schema."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path) -> QuickReader | None:
        """A reader on ``data_dir``'s file, or None when the file is not at the current schema.

        None means "open the store the full way" (create, migrate, or refuse the file).
        A file that is not a database at all raises the same error ``Store.open`` does.
        """
        db_path = data_dir / DB_FILENAME
        if inspect_data_file(db_path).revision != HEAD_REVISION:
            return None
        try:
            conn = sqlite3.connect(
                f"file:{db_path}?mode=ro", uri=True, timeout=5, check_same_thread=False
            )
        except sqlite3.Error:
            return None
        conn.isolation_level = None  # we BEGIN ourselves: one snapshot per question
        return cls(conn)

    def close(self) -> None:
        self._conn.close()

    # --- the first screen's questions ----------------------------------------------

    def list_classes(self, *, include_archived: bool = False) -> list[QuickClass]:
        """Like ``ClassService.list_classes``: live classes by name."""
        where = "deleted IS 0" + ("" if include_archived else " AND archived IS 0")
        sql = f"SELECT {_columns(QuickClass)} FROM class_section WHERE {where} ORDER BY name"
        with self._snapshot() as cur:
            return [_row(QuickClass, values) for values in cur.execute(sql)]

    def active_student_counts(self) -> dict[str, int]:
        """Like ``ClassService.active_student_counts``: active students per class id."""
        sql = (
            "SELECT e.class_id, count(*) FROM enrollment AS e "
            "JOIN student AS s ON s.id = e.student_id "
            "WHERE e.archived IS 0 AND e.deleted IS 0 AND s.archived IS 0 AND s.deleted IS 0 "
            "GROUP BY e.class_id"
        )
        with self._snapshot() as cur:
            return {class_id: count for class_id, count in cur.execute(sql)}

    def roster(
        self, class_id: str, *, include_archived: bool = False, search: str = ""
    ) -> list[QuickRosterEntry]:
        """Like ``RosterService.roster``: the class's students, sorted and filtered the same."""
        student_cols = _columns(QuickStudent, "s")
        enrollment_cols = _columns(QuickEnrollment, "e")
        sql = (
            f"SELECT {student_cols}, {enrollment_cols} FROM student AS s "
            "JOIN enrollment AS e ON e.student_id = s.id "
            "WHERE e.class_id = ? AND e.deleted IS 0 AND s.deleted IS 0"
        )
        width = len(fields(QuickStudent))
        with self._snapshot() as cur:
            rows = cur.execute(sql, (class_id,)).fetchall()
        entries = (
            QuickRosterEntry(
                _row(QuickStudent, values[:width]), _row(QuickEnrollment, values[width:])
            )
            for values in rows
        )
        return arrange(entries, include_archived=include_archived, search=search)

    def teachers_of(self, class_id: str) -> list[str]:
        """Like ``ClassService.teachers_of``: the class's teachers by name."""
        sql = (
            "SELECT t.given_name, t.family_name, t.email FROM teacher AS t "
            "JOIN class_teacher AS ct ON ct.teacher_id = t.id "
            "WHERE ct.class_id = ? AND ct.deleted IS 0 AND t.deleted IS 0"
        )
        with self._snapshot() as cur:
            return teacher_names(cur.execute(sql, (class_id,)).fetchall())

    def has_unfinished_run(self, class_id: str) -> bool:
        """Whether a rotation of the class was left unfinished (it may still be going)."""
        sql = "SELECT 1 FROM rotation_run WHERE class_id = ? AND finished IS 0 LIMIT 1"
        with self._snapshot() as cur:
            return cur.execute(sql, (class_id,)).fetchone() is not None

    # --- helpers --------------------------------------------------------------------

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Cursor]:
        """A cursor inside one read transaction (a consistent view under WAL)."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            finally:
                cursor.execute("COMMIT")  # nothing to commit: ends the snapshot
                cursor.close()


def _columns(shape: type[Any], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + field.name for field in fields(shape))


def _row(shape: type[RowT], values: tuple[Any, ...]) -> RowT:
    """Build ``shape`` from its columns' values (SQLite keeps booleans as 0 and 1)."""
    kwargs: dict[str, Any] = {
        field.name: bool(value) if field.type == "bool" else value
        for field, value in zip(fields(shape), values, strict=True)
    }
    return shape(**kwargs)
