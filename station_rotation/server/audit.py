"""The server's audit log: every district admin action, who, what, when and how many.

Recorded: each results export, roster load, laptop enrolment and revocation (and purges,
once they exist). A row names the actor (the operating-system account running the
admin command, or the teacher account whose code enrolled a laptop), the action and its
scope (class ids, filters, the enrolment), when (UTC) and how many records and students.
Never student data: no name, e-mail, score or note, and no student id either (students
are counted).

Where the action writes the database the row is added in the same transaction, so the
action cannot commit without it. An export only reads: its row is committed once the
file is complete and before it takes its name (``results.export_results``).

The table is append-only from the app's side: there is no update or delete path, and
the ORM refuses one (``_append_only``). District staff read it with
``station-rotation-server audit``.
"""

from __future__ import annotations

import csv
import getpass
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, Literal, TextIO

from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from station_rotation.core.errors import StationRotationError
from station_rotation.server.tables import AuditEntry

Action = Literal["export-results", "load-roster", "enrol", "revoke-device", "purge"]
ACTIONS: tuple[Action, ...] = ("export-results", "load-roster", "enrol", "revoke-device", "purge")
CSV_HEADER = ("at_utc", "action", "actor_kind", "actor", "records", "students", "scope")
_SHOWN_IDS = 10
"""A text listing names this many ids of a list (the CSV has them all)."""


class AuditAppendOnly(StationRotationError):
    """Something tried to change or remove an audit row: the log is append-only."""


def staff_actor() -> str:
    """The operating-system account running an admin command ("unknown" without one)."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        return "unknown"


def record(
    session: Session,
    action: Action,
    *,
    actor: str,
    actor_kind: Literal["staff", "teacher"] = "staff",
    records: int = 0,
    students: int | None = None,
    scope: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add the action's row to ``session``'s transaction (it commits with the action)."""
    entry = AuditEntry(
        action=action,
        actor_kind=actor_kind,
        actor=actor[:200],
        records=records,
        students=students,
        scope=dict(scope or {}),
    )
    session.add(entry)
    return entry


def record_now(engine: Engine, action: Action, **fields: Any) -> None:
    """Commit one row on its own (an action that writes nothing else: an export)."""
    with Session(engine) as session:
        record(session, action, **fields)
        session.commit()


def entries(
    engine: Engine, *, since: date | None = None, action: str | None = None
) -> list[AuditEntry]:
    """The rows from ``since`` (a UTC day) of ``action``, oldest first."""
    query = select(AuditEntry)
    if since is not None:
        query = query.where(col(AuditEntry.at) >= datetime.combine(since, time(), UTC))
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with Session(engine, expire_on_commit=False) as session:
        rows = list(session.exec(query.order_by(col(AuditEntry.at), col(AuditEntry.id))))
        session.expunge_all()
    return rows


def utc(moment: datetime) -> datetime:
    """SQLite hands the stored UTC moment back without its zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _when(entry: AuditEntry) -> str:
    return utc(entry.at).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def write_csv(rows: Iterable[AuditEntry], out: TextIO) -> None:
    writer = csv.writer(out, dialect="excel")
    writer.writerow(CSV_HEADER)
    for entry in rows:
        writer.writerow(
            [
                _when(entry),
                entry.action,
                entry.actor_kind,
                entry.actor,
                entry.records,
                "" if entry.students is None else entry.students,
                json.dumps(entry.scope, sort_keys=True, ensure_ascii=False),
            ]
        )


def describe(entry: AuditEntry) -> str:
    """One line for a person: when, what, who, how many, over what."""
    counts = f"{entry.records} records"
    if entry.students is not None:
        counts += f", {entry.students} students"
    scope = "; ".join(
        f"{key}={_value(value)}" for key, value in sorted(entry.scope.items()) if value not in
        (None, "", [], {})
    )  # fmt: skip
    who = f"{entry.actor_kind} {entry.actor}"
    return f"{_when(entry)}  {entry.action}  by {who}  {counts}" + (f"  ({scope})" if scope else "")


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return _ids(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in sorted(value.items()))
    return str(value)


def _ids(values: Sequence[Any]) -> str:
    shown = ",".join(str(v) for v in values[:_SHOWN_IDS])
    more = len(values) - _SHOWN_IDS
    return shown + (f",… (+{more})" if more > 0 else "")


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(_mapper: Any, _connection: Any, _target: Any) -> None:
    raise AuditAppendOnly("The audit log is append-only: its rows are never changed.")
