"""The hot write path: precompiled inserts on the DB-API cursor, outbox in the same commit.

A quick check must save in about twice the time of a raw ``sqlite3`` insert (TARGETS.md).
SQLAlchemy's per-statement machinery (compiled-cache lookup, events, result set-up)
costs more than SQLite's own work, so each table's ``INSERT`` is compiled once by
SQLAlchemy and then run directly on the transaction's DB-API cursor, its values passed
through the columns' own bind processors (the same conversions SQLAlchemy would apply).
Rows are still validated by the SQLModel class; ``Store.write_fast`` runs the
transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) on a write connection of its own.

The clock's last stamp is not written on this path: the newest outbox row carries it, and
:func:`last_local_stamp` reads it back at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from station_rotation.core.hlc import HybridLogicalClock
from station_rotation.store.models import ChangeLog, DeviceState, SyncedRecord
from station_rotation.store.outbox import outbox_row

_CHANGE_LOG: Table = ChangeLog.__table__  # type: ignore[attr-defined]
_DEVICE_STATE: Table = DeviceState.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PreparedInsert:
    """An ``INSERT`` compiled once: its SQL and, in parameter order, key and converter."""

    sql: str
    params: tuple[tuple[str, Callable[[Any], Any] | None], ...]

    @classmethod
    def compile(
        cls, table: Table, dialect: Dialect, *, skip: tuple[str, ...] = ()
    ) -> PreparedInsert:
        columns = [c for c in table.columns if c.name not in skip]
        names = [c.name for c in columns]
        compiled = insert(table).compile(dialect=dialect, column_keys=names)
        order = compiled.positiontup or []
        by_name = {c.name: c for c in columns}
        # The dialect's own type: SQLite's DATETIME formats the text itself (fixed width, no
        # offset), where the generic type would leave it to sqlite3's adapter ("+00:00").
        params = tuple(
            (key, by_name[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in order
        )
        return cls(str(compiled), params)

    def values(self, row: dict[str, Any]) -> list[Any]:
        return [row[key] if convert is None else convert(row[key]) for key, convert in self.params]


class FastWriteTransaction:
    """Insert synced records through prepared statements; use through ``Store.write_fast``."""

    def __init__(self, cursor: Any, dialect: Dialect, clock: HybridLogicalClock) -> None:
        self._cursor = cursor  # a DB-API cursor inside an open write transaction
        self._dialect = dialect
        self._clock = clock
        self.touched: set[str] = set()
        self.saved: set[str] = set()  # record ids, for Changes.records

    def insert(self, model: type[SyncedRecord], record: SyncedRecord) -> SyncedRecord:
        """Stamp and insert ``record`` (a data model) into ``model``'s table; queue it for sync.

        ``record`` must be ``model``'s own data model (or the table model): a record of
        another type is refused with a :class:`TypeError` before anything is written.
        """
        table: Table = model.__table__  # type: ignore[attr-defined]
        _check_matches(table, model, record)
        record.hlc = self._clock.tick().encode()
        row = _prepared(table, self._dialect)
        self._cursor.execute(row.sql, row.values(record.model_dump()))
        change = _prepared(_CHANGE_LOG, self._dialect, skip=("seq",))
        self._cursor.execute(
            change.sql, change.values(outbox_row(record, entity=table.name, op="upsert"))
        )
        self.touched.add(table.name)
        self.saved.add(record.id)
        return record


def _check_matches(table: Table, model: type[SyncedRecord], record: SyncedRecord) -> None:
    """Refuse a record whose type is not ``model``'s data model or whose fields are not
    ``table``'s columns (it would be written into the wrong table, or half of it)."""
    if not issubclass(model, type(record)) or set(type(record).model_fields) != set(
        table.columns.keys()
    ):
        raise TypeError(f"A {type(record).__name__} cannot be written into the {table.name} table.")


def save_clock_stamp(executor: Connection | Session, clock: HybridLogicalClock) -> None:
    """Persist the clock's last stamp in the caller's transaction (the ORM write path)."""
    executor.execute(_UPSERT_CLOCK, {"key": "hlc", "value": clock.last().encode()})


def last_local_stamp(executor: Connection | Session) -> str | None:
    """The stamp of the newest outbox row: the last tick of a fast write (see module doc)."""
    row = executor.execute(text("SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1")).first()
    return None if row is None else str(row[0])


def _upsert_clock_statement() -> Any:
    statement = sqlite_insert(_DEVICE_STATE)
    return statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded.value}
    )


_UPSERT_CLOCK = _upsert_clock_statement()
_PREPARED: dict[tuple[str, tuple[str, ...]], PreparedInsert] = {}


def _prepared(table: Table, dialect: Dialect, *, skip: tuple[str, ...] = ()) -> PreparedInsert:
    key = (table.name, skip)
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = _PREPARED[key] = PreparedInsert.compile(table, dialect, skip=skip)
    return prepared
