"""Give roster records imported before ids were derived the district's ids (issue 6).

A laptop's OneRoster import used to give classes, students, teachers,
enrollments and class–teacher links random ids, while the district server derives them
from the ``sourcedId`` (:func:`~station_rotation.core.ids.roster_id`): after a sync the
teacher would see each student twice. A data file that has never synced can still take
the district's ids: its records exist nowhere else, so every reference to them — foreign
keys, the student lists inside plans, notes, quick checks, the outbox still waiting to go
up — is rewritten in one transaction, and the first sync sends them under the district's
ids. Nothing is stamped again and no outbox row is added: to the server it is as if the
import had always used those ids.

A file that has synced (or may have: an acknowledged push, a pull cursor, any sync state)
is left alone, because the server holds its records under the old ids; see docs/sync.md,
"Rosters imported before".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from station_rotation.core.errors import StoreError
from station_rotation.core.ids import RosterKind, roster_id
from station_rotation.store.database import Store

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PEOPLE: dict[str, RosterKind] = {
    "class_section": "class",
    "student": "student",
    "teacher": "teacher",
}
_LINKS: dict[str, tuple[str, str, str, RosterKind]] = {
    # table: (parent column, member column, member table, kind)
    "enrollment": ("class_id", "student_id", "student", "enrollment"),
    "class_teacher": ("class_id", "teacher_id", "teacher", "class_teacher"),
}
_SKIP_TABLES = {"alembic_version"}

log = logging.getLogger(__name__)


def has_synced(connection: Connection) -> bool:
    """Whether this data file ever exchanged anything with a district server."""
    row = connection.execute(
        text("SELECT 1 FROM device_state WHERE key LIKE 'sync.%' LIMIT 1")
    ).first()
    return row is not None


def adopt_roster_ids(store: Store) -> int:
    """Re-key records imported with random ids to the district's; return how many.

    Call it before a data file's first sync (at its first enrolment). Does nothing (0) on a
    file that has synced, and for a ``sourcedId`` that more than one record carries.
    """
    with store.write() as tx:
        connection = tx.session.connection()
        if has_synced(connection):
            return 0
        mapping = _mapping(connection)
        if not mapping:
            return 0
        connection.execute(text("PRAGMA defer_foreign_keys = ON"))
        connection.execute(
            text("CREATE TEMP TABLE roster_id_map (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
        )
        connection.execute(
            text("INSERT INTO temp.roster_id_map (old, new) VALUES (:old, :new)"),
            [{"old": old, "new": new} for old, new in mapping.items()],
        )
        for table in _tables(connection):
            if _rewrite(connection, table):
                tx.touched.add(table)
        connection.execute(text("DROP TABLE temp.roster_id_map"))
        problem = connection.execute(text("PRAGMA foreign_key_check")).first()
        if problem is not None:  # a bug, never the teacher's doing: keep the file as it was
            raise StoreError(
                f"Giving imported records the district's ids would break a link in table "
                f"{problem[0]}; nothing was changed."
            )
    return len(mapping)


def adopt_roster_ids_safely(store: Store) -> int:
    """:func:`adopt_roster_ids` at a first enrolment, which must go on even if it fails.

    The enrolment code is already spent: a failure here only means the old ids stay (the
    teacher may see a student twice after syncing); nothing is lost or half-changed.
    """
    try:
        count = adopt_roster_ids(store)
    except StoreError:
        log.exception("could not give imported roster records the district's ids")
        return 0
    if count:
        log.info("roster records given the district's ids", extra={"count": count})
    return count


def _mapping(connection: Connection) -> dict[str, str]:
    """Old id -> the district's id, for every roster record that can safely take it."""
    taken: set[str] = set()
    sources: dict[str, str] = {}  # record id (old) -> sourcedId
    mapping: dict[str, str] = {}
    for table, kind in _PEOPLE.items():
        rows = connection.execute(
            text(
                f"SELECT id, source_id FROM {table} WHERE source_id IS NOT NULL AND source_id != ''"
            )
        ).all()
        taken |= {str(r[0]) for r in connection.execute(text(f"SELECT id FROM {table}"))}
        carriers = Counter(str(source) for _, source in rows)
        for record_id, source in rows:
            sources[str(record_id)] = str(source)
            new = roster_id(kind, str(source))
            if new == record_id or carriers[str(source)] > 1 or new in taken:
                continue  # already the district's, ambiguous, or the id is in use
            mapping[str(record_id)] = new
    for table, (parent, member, _, kind) in _LINKS.items():
        taken = {str(r[0]) for r in connection.execute(text(f"SELECT id FROM {table}"))}
        for record_id, parent_id, member_id in connection.execute(
            text(f"SELECT id, {parent}, {member} FROM {table}")
        ):
            parent_source = sources.get(str(parent_id))
            member_source = sources.get(str(member_id))
            if not parent_source or not member_source:
                continue  # a link to the teacher's own class or student: stays hers
            member_kind: RosterKind = "teacher" if kind == "class_teacher" else "student"
            new_parent = mapping.get(str(parent_id), str(parent_id))
            new_member = mapping.get(str(member_id), str(member_id))
            if new_parent != roster_id("class", parent_source) or new_member != roster_id(
                member_kind, member_source
            ):
                continue  # one end keeps a random id: the link is not the district's
            new = roster_id(kind, parent_source, member_source)
            if new != record_id and new not in taken:
                mapping[str(record_id)] = new
    return mapping


def _tables(connection: Connection) -> list[str]:
    rows = connection.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    )
    return [str(r[0]) for r in rows if r[0] not in _SKIP_TABLES]


def _rewrite(connection: Connection, table: str) -> bool:
    """Replace every old id in the table (keys, JSON bodies, the outbox); True if any.

    A key column (``VARCHAR(36)``, which holds one id) is rewritten by one SQL statement
    through ``temp.roster_id_map``; other text columns (a plan's body, an outbox payload)
    are searched for ids in Python and written back in one batch per column.
    """
    changed = False
    others = []
    for column in connection.execute(text(f'PRAGMA table_info("{table}")')):
        name, kind = str(column[1]), str(column[2]).upper()
        if kind == "VARCHAR(36)":
            result = connection.execute(
                text(
                    f'UPDATE "{table}" SET "{name}" = (SELECT new FROM temp.roster_id_map '
                    f'WHERE old = "{table}"."{name}") '
                    f'WHERE "{name}" IN (SELECT old FROM temp.roster_id_map)'
                )
            )
            changed |= bool(getattr(result, "rowcount", 0))
        elif not kind.startswith(("INT", "BOOL", "FLOAT", "REAL", "NUM", "DATE")):
            others.append(name)
    mapping: dict[str, str] = {
        str(old): str(new)
        for old, new in connection.execute(text("SELECT old, new FROM temp.roster_id_map"))
    }
    for name in others:
        rows = connection.execute(text(f'SELECT rowid, "{name}" FROM "{table}"')).all()
        updates: list[dict[str, Any]] = []
        for row_id, value in rows:
            if isinstance(value, str) and _UUID.search(value):
                new = _UUID.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
                if new != value:
                    updates.append({"value": new, "row_id": row_id})
        if updates:
            statement = f'UPDATE "{table}" SET "{name}" = :value WHERE rowid = :row_id'
            connection.execute(text(statement), updates)
            changed = True
    return changed
