"""The hot write path: synced rows inserted with Core statements, outbox in the same commit.

The ORM's unit of work costs ~1 ms per commit on this stack; a quick check must save in
well under that on top of SQLite's own fsync (TARGETS.md). Rows are validated by the
SQLModel class (defaults filled, types checked) but written with one Core ``INSERT``
each, plus the change-log row and the clock's last stamp, in one ``BEGIN IMMEDIATE``
transaction.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from station_rotation.core.hlc import HybridLogicalClock
from station_rotation.core.ids import new_id
from station_rotation.store.models import ChangeLog, DeviceState, SyncedRecord, utc_now

PAYLOAD_VERSION = 1
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
        stamp = self._clock.tick().encode()
        record.hlc = stamp
        table: Any = model.__table__  # type: ignore[attr-defined]
        # Constant statements with bound parameters: compiled once, cached by SQLAlchemy.
        self.conn.execute(_insert_for(table), record.model_dump())
        self.conn.execute(
            _INSERT_CHANGE,
            {
                "change_id": new_id(),
                "entity": table.name,
                "record_id": record.id,
                "op": "upsert",
                "hlc": stamp,
                "payload": json.dumps(record.model_dump(mode="json"), sort_keys=True),
                "payload_version": PAYLOAD_VERSION,
                "created_at": utc_now(),
            },
        )
        self.touched.add(str(table.name))
        return record

    def save_clock(self) -> None:
        self.conn.execute(_UPSERT_CLOCK, {"key": "hlc", "value": self._clock.last().encode()})


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
