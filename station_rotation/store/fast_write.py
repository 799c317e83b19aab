"""The hot write path: synced rows inserted with Core statements, outbox in the same commit.

The ORM's unit of work costs ~1 ms per commit on this stack; a quick check must save in
well under that on top of SQLite's own fsync (TARGETS.md). Rows are validated by the
SQLModel class (defaults filled, types checked) but written with one Core ``INSERT``
each, plus the change-log row and the clock's last stamp, in one ``BEGIN IMMEDIATE``
transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from station_rotation.core.hlc import HybridLogicalClock
from station_rotation.store.models import ChangeLog, DeviceState, SyncedRecord
from station_rotation.store.outbox import outbox_row

_CHANGE_LOG = ChangeLog.__table__  # type: ignore[attr-defined]
_DEVICE_STATE = DeviceState.__table__  # type: ignore[attr-defined]


class FastWriteTransaction:
    """Insert synced records with Core statements; use through ``Store.write_fast``."""

    def __init__(self, conn: Connection, clock: HybridLogicalClock) -> None:
        self.conn = conn
        self._clock = clock
        self.touched: set[str] = set()

    def insert(self, model: type[SyncedRecord], record: SyncedRecord) -> SyncedRecord:
        """Stamp and insert ``record`` (a data model) into ``model``'s table; queue it for sync."""
        record.hlc = self._clock.tick().encode()
        table: Any = model.__table__  # type: ignore[attr-defined]
        # Constant statements with bound parameters: compiled once, cached by SQLAlchemy.
        self.conn.execute(_insert_for(table), record.model_dump())
        self.conn.execute(_INSERT_CHANGE, outbox_row(record, entity=table.name, op="upsert"))
        self.touched.add(str(table.name))
        return record

    def save_clock(self) -> None:
        save_clock_stamp(self.conn, self._clock)


def save_clock_stamp(executor: Connection | Session, clock: HybridLogicalClock) -> None:
    """Persist the clock's last stamp in the caller's transaction (both write paths use it)."""
    executor.execute(_UPSERT_CLOCK, {"key": "hlc", "value": clock.last().encode()})


def _upsert_clock_statement() -> Any:
    statement = sqlite_insert(_DEVICE_STATE)
    return statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded.value}
    )


_INSERT_CHANGE = insert(_CHANGE_LOG)
_UPSERT_CLOCK = _upsert_clock_statement()
_INSERTS: dict[str, Any] = {}


def _insert_for(table: Any) -> Any:
    statement = _INSERTS.get(table.name)
    if statement is None:
        statement = _INSERTS[table.name] = insert(table)
    return statement
