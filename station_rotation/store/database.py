"""Open the data folder and hand out read sessions and write transactions.

:class:`Store` is the one object the services get. A write transaction stamps every
synced record it saves with the device's hybrid logical clock and appends the change to
the outbox (``change_log``) in the same SQLite transaction, so a change is either saved
and queued for sync, or neither.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Engine, PoolProxiedConnection, insert
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from station_rotation.core.errors import StoreError
from station_rotation.core.events import ChangeBus, Changes
from station_rotation.core.hlc import HlcStamp, HybridLogicalClock, wall_clock_ms
from station_rotation.core.ids import new_id
from station_rotation.paths import DB_FILENAME
from station_rotation.store.engine import make_engine
from station_rotation.store.fact_writer import (
    FastWriteTransaction,
    last_local_stamp,
    save_clock_stamp,
)
from station_rotation.store.failures import translate_storage_errors
from station_rotation.store.migrate import ensure_schema
from station_rotation.store.models import ChangeLog, DeviceState, SyncedRecord
from station_rotation.store.outbox import changed_before, outbox_row
from station_rotation.store.private_files import make_private, private_dir, private_sqlite_file

SERVER_OFFSET_KEY = "sync.server_offset_ms"
"""The district server's clock minus this laptop's, as sync last measured it (``device_state``)."""


class WriteTransaction:
    """One durable unit of work; use through :meth:`Store.write`."""

    def __init__(self, session: Session, clock: HybridLogicalClock) -> None:
        self.session = session
        self._clock = clock
        self.touched: set[str] = set()
        self.saved: set[str] = set()  # record ids, for Changes.records

    def put(self, record: SyncedRecord) -> SyncedRecord:
        """Insert or update a synced record and queue the change for sync."""
        return self._log(record, "upsert")

    def put_many(self, records: Sequence[SyncedRecord]) -> None:
        """Insert or update many records with one flush and one outbox insert (bulk imports).

        Same guarantee as :meth:`put` for each record (stamped, outbox row in this
        transaction); one flush lets SQLAlchemy batch the inserts, which a roster import of
        thousands of rows needs. Records are flushed in the order of their tables' foreign keys.
        """
        changes = []
        for record in records:
            before = changed_before(record)
            record.hlc = self._stamp(record)
            self.session.add(record)
            entity = str(record.__tablename__)
            changes.append(outbox_row(record, entity=entity, op="upsert", before=before))
            self.touched.add(entity)
            self.saved.add(record.id)
        self.session.flush()
        if changes:
            self.session.execute(insert(ChangeLog), changes)

    def delete(self, record: SyncedRecord) -> SyncedRecord:
        """Tombstone a synced record: it stays in the file so the delete can sync."""
        record.deleted = True
        return self._log(record, "delete")

    def _log(self, record: SyncedRecord, op: str) -> SyncedRecord:
        before = changed_before(record)
        record.hlc = self._stamp(record)
        self.session.add(record)
        self.session.flush()  # keep insert order = call order (foreign keys)
        entity = str(record.__tablename__)
        self.session.add(ChangeLog(**outbox_row(record, entity=entity, op=op, before=before)))
        self.touched.add(entity)
        self.saved.add(record.id)
        return record

    def _stamp(self, record: SyncedRecord) -> str:
        """The edit's stamp: the clock's next, and later than the version it edits."""
        previous = HlcStamp.decode(record.hlc) if record.hlc else None
        return self._clock.tick(after=previous).encode()


class Store:
    """The local SQLite store of one data folder."""

    def __init__(self, data_dir: Path, wall_ms: Callable[[], int] = wall_clock_ms) -> None:
        self.data_dir = data_dir
        self._wall_ms = wall_ms
        self.db_path = data_dir / DB_FILENAME
        self.bus = ChangeBus()
        self._write_lock = threading.Lock()
        self._writer: Engine | None = None
        self._reader: Engine | None = None
        self._fast: PoolProxiedConnection | None = None  # write_fast's own connection
        self._clock: HybridLogicalClock | None = None
        self.backup_path: Path | None = None

    # --- life cycle ---------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, wall_ms: Callable[[], int] = wall_clock_ms) -> Store:
        """Create the folder if needed, migrate the file, load the device identity.

        The folder and the app's files in it are made readable by this account only
        (``private_files.py``), also when an older version left them readable by others.

        ``wall_ms``: this laptop's wall clock (a test gives one that runs a day fast)."""
        try:
            private_dir(data_dir)
            make_private(data_dir)
            private_sqlite_file(data_dir / DB_FILENAME)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the data folder {data_dir} ({exc.strerror}). Choose another "
                "folder with --data-dir or check its permissions."
            ) from exc
        store = cls(data_dir, wall_ms)
        store.backup_path = ensure_schema(store.db_path)
        store._writer = make_engine(store.db_path, immediate=True)
        store._reader = make_engine(store.db_path, immediate=False)
        store._clock = store._load_clock()
        return store

    def close(self) -> None:
        if self._fast is not None:
            self._fast.close()  # back to the pool, which dispose() then closes
            self._fast = None
        for engine in (self._writer, self._reader):
            if engine is not None:
                engine.dispose()
        self._writer = self._reader = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def device_id(self) -> str:
        return self.clock.device_id

    @property
    def clock(self) -> HybridLogicalClock:
        assert self._clock is not None, "Store.open() first"
        return self._clock

    @property
    def write_engine(self) -> Engine:
        assert self._writer is not None, "Store.open() first"
        return self._writer

    @property
    def read_engine(self) -> Engine:
        assert self._reader is not None, "Store.open() first"
        return self._reader

    # --- sessions -----------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session over a consistent snapshot."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[WriteTransaction]:
        """A write transaction; commits (durably) on exit, then broadcasts the changes."""
        with (
            self._write_lock,
            Session(self.write_engine, expire_on_commit=False) as session,
            translate_storage_errors(self.db_path),
        ):
            tx = WriteTransaction(session, self.clock)
            yield tx
            save_clock_stamp(session, self.clock)
            session.commit()
        self.bus.publish(Changes(frozenset(tx.touched), frozenset(tx.saved)))

    @contextmanager
    def write_fast(self) -> Iterator[FastWriteTransaction]:
        """A write transaction for the hot path (quick checks): see ``fact_writer.py``.

        Same guarantees as :meth:`write`: the rows and their outbox entries commit together
        and durably (``synchronous=FULL``), then the change is broadcast. It runs on one
        write connection kept for the purpose, so no pool checkout or reset per save.
        """
        with self._write_lock, translate_storage_errors(self.db_path):
            if self._fast is None:
                self._fast = self.write_engine.raw_connection()
            cursor = self._fast.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                tx = FastWriteTransaction(cursor, self.write_engine.dialect, self.clock)
                yield tx
                cursor.execute("COMMIT")
            except sqlite3.IntegrityError as exc:  # a broken constraint: as Store.write raises it
                _roll_back(cursor)
                raise IntegrityError(None, None, exc) from exc
            except BaseException:
                _roll_back(cursor)
                raise
        self.bus.publish(Changes(frozenset(tx.touched), frozenset(tx.saved)))

    # --- device identity ----------------------------------------------------------

    def _load_clock(self) -> HybridLogicalClock:
        with Session(self.write_engine) as session:
            rows = {row.key: row.value for row in session.exec(select(DeviceState))}
            device_id = rows.get("device_id")
            if device_id is None:
                device_id = new_id()
                session.add(DeviceState(key="device_id", value=device_id))
                session.commit()
            # The fast path leaves its last stamp in the outbox only (see fact_writer.py).
            stamps = [rows.get("hlc"), last_local_stamp(session)]
        known = [HlcStamp.decode(stamp) for stamp in stamps if stamp]
        return HybridLogicalClock(
            device_id,
            now_ms=self._wall_ms,
            last=max(known) if known else None,
            offset_ms=int(rows.get(SERVER_OFFSET_KEY) or 0),
        )


def _roll_back(cursor: DBAPICursor) -> None:
    """Undo a failed hot-path write; SQLite may already have rolled back (disk full)."""
    with suppress(sqlite3.OperationalError):
        cursor.execute("ROLLBACK")
