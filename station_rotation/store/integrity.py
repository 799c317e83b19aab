"""A full health check of the data file (``station-rotation check-db``, the self-test).

SQLite's own checks (``PRAGMA integrity_check``, the foreign keys) see the file's pages
and indexes, not what the rows hold: a text that is not UTF-8 or a JSON document cut
short passes them, and then stops the app's first read of it. So every row of every
app table is also read the way the app reads it (``row_validation.py``), and each damaged
value is named by table, row and column.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

import station_rotation.store.models  # noqa: F401  (registers the tables)
from station_rotation.paths import DB_FILENAME
from station_rotation.store.row_validation import column_check, read_text

DAMAGED_ADVICE = (
    "What to do: keep a copy of the data file and ask your district's IT. Sync keeps a "
    "damaged change aside (it is not sent, nothing of it is lost) and sends the rest."
)

MAX_PROBLEMS = 200
"""Rows named at most: a file damaged all over says so without printing every row."""


def check_integrity(data_dir: Path) -> list[str]:
    """Problems found by SQLite's checks and by reading every row; [] if healthy."""
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        return [f"There is no data file at {db_path}."]
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    except sqlite3.DatabaseError as exc:
        return [f"The data file {db_path} cannot be read: {exc}"]
    problems: list[str] = []
    try:
        for step in (_sqlite_checks, damaged_rows):
            try:
                for problem in step(conn):
                    if len(problems) >= MAX_PROBLEMS:
                        problems.append("… and more: the file is damaged in many places.")
                        return problems
                    problems.append(problem)
            except sqlite3.DatabaseError as exc:  # the next step still reads what it can
                problems.append(f"The data file {db_path} cannot be read whole: {exc}")
        return problems
    finally:
        conn.close()


def _sqlite_checks(conn: sqlite3.Connection) -> Iterator[str]:
    """SQLite's own checks: pages and indexes, then foreign keys."""
    rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        yield from rows
    for row in conn.execute("PRAGMA foreign_key_check"):
        yield f"Broken reference in table {row[0]} (row {row[1]})"


def kept_aside(data_dir: Path) -> list[str]:
    """The outbox rows sync found damaged and keeps aside (``damaged_change``), in words."""
    db_path = data_dir / DB_FILENAME
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute(
                "SELECT id, seq, problem FROM damaged_change ORDER BY id"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []  # an older file (no such table) or one check_integrity named already
    return [
        f"Table damaged_change, row {row_id}: outbox change {seq} was damaged ({problem}); "
        "sync keeps it aside and did not send it. Ask your district's IT before removing it."
        for row_id, seq, problem in rows
    ]


def damaged_rows(conn: sqlite3.Connection) -> Iterator[str]:
    """Each value of an app table that the app could not read, in words, table by table.

    A table that SQLite itself cannot read any further is named once, after the rows it
    read before.
    """
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in present:
            continue  # a table of a later schema revision
        checks = [column_check(column) for column in table.columns]
        keys = [i for i, column in enumerate(table.columns) if column.primary_key]
        columns = [(check, check.sound) for check in checks]
        try:
            for values in _table_rows(conn, table.name, [check.name for check in checks]):
                for (check, sound), value in zip(columns, values, strict=True):
                    if type(value) in sound:
                        continue
                    problem = check.problem(value)
                    if problem:
                        row = _row_name([values[i] for i in keys])
                        yield f"Table {table.name}, row {row}: its {check.name} {problem}."
        except sqlite3.DatabaseError as exc:
            yield f"Table {table.name} cannot be read to the end: {exc}."


CHUNK = 2000


def _table_rows(conn: sqlite3.Connection, table: str, names: list[str]) -> Iterator[Any]:
    """Every row of ``table`` (``names``' values), in rowid order, a chunk at a time.

    A chunk is read with ``sqlite3``'s own (fast) text decoding; only a chunk holding a
    text that is not UTF-8, which fails that read whole, is read again with
    :func:`~station_rotation.store.row_validation.read_text`, which marks the damaged value.
    """
    listed = ", ".join(f'"{name}"' for name in names)
    query = f'SELECT rowid, {listed} FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT {CHUNK}'
    after = -(2**63)
    while True:
        try:
            chunk = conn.execute(query, (after,)).fetchall()
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            conn.text_factory = read_text
            try:
                chunk = conn.execute(query, (after,)).fetchall()
            finally:
                conn.text_factory = str
        if not chunk:
            return
        for row in chunk:
            yield row[1:]
        after = chunk[-1][0]


def _row_name(key: list[Any]) -> str:
    """The row's primary key as the teacher's IT reads it (a damaged key shown as bytes)."""
    shown = [value if isinstance(value, str | int) else repr(bytes(value)) for value in key]
    return "/".join(str(value) for value in shown)
