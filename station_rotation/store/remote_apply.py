"""The local half of sync: read the outbox, drop what the server acknowledged, apply pulls.

Kept apart from ``database.py`` because it is the one place that writes synced records
*without* an outbox row: a change that came from the server must not be sent back.
Everything here runs in the store's ordinary write transactions, so a page of pulled
changes and the cursor that covers it commit together (a kill mid-pull re-reads the
page and skips nothing).

Outbox sequence numbers: ``change_log.seq`` is a plain SQLite rowid, which reuses
``max(seq) + 1`` after the highest rows are deleted. The server refuses a reused number
(it looks like a copied data file), so the row at the acknowledged sequence is kept as a
high-water mark and only rows *below* it are dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from station_rotation.core.hlc import HlcStamp
from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES, ChangeLog, DeviceState

ACKED_SEQ = "sync.acked_seq"
CURSOR = "sync.cursor"
NEEDS_ATTENTION = "sync.needs_attention"
SERVER_OFFSET_MS = "sync.server_offset_ms"
LAST_SYNC = "sync.last_sync"


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    change_id: str
    entity: str
    record_id: str
    op: str
    hlc: str
    payload: dict[str, Any]
    payload_version: int


@dataclass(frozen=True)
class RemoteRecord:
    """The server's current state of one record (a pulled change)."""

    entity: str
    record_id: str
    hlc: str
    payload: dict[str, Any]


class IncompletePage(Exception):
    """A pulled page names a parent record (a class) that comes on a later page.

    Nothing of the page was kept; pull it again with a larger page.
    """


@dataclass(frozen=True)
class Rejected:
    """A change the server refused to apply, kept for the teacher to see."""

    change_id: str
    entity: str
    record_id: str
    reason: str


def _get(session: Session, key: str) -> str | None:
    row = session.get(DeviceState, key)
    return row.value if row is not None else None


def read_state(store: Store, key: str) -> str | None:
    with store.read() as session:
        return _get(session, key)


def write_state(store: Store, key: str, value: str) -> None:
    with store.write() as tx:
        tx.session.merge(DeviceState(key=key, value=value))


def acked_seq(store: Store) -> int:
    return int(read_state(store, ACKED_SEQ) or 0)


def cursor(store: Store) -> int:
    return int(read_state(store, CURSOR) or 0)


def pending(store: Store, limit: int) -> list[OutboxEntry]:
    """The oldest ``limit`` outbox entries the server has not acknowledged."""
    after = acked_seq(store)
    with store.read() as session:
        rows = session.exec(
            select(ChangeLog)
            .where(col(ChangeLog.seq) > after)
            .order_by(col(ChangeLog.seq))
            .limit(limit)
        ).all()
    return [
        OutboxEntry(
            seq=int(row.seq or 0),
            change_id=row.change_id,
            entity=row.entity,
            record_id=row.record_id,
            op=row.op,
            hlc=row.hlc,
            payload=json.loads(row.payload),
            payload_version=row.payload_version,
        )
        for row in rows
    ]


def pending_count(store: Store) -> int:
    after = acked_seq(store)
    with store.read() as session:
        return len(session.exec(select(ChangeLog.seq).where(col(ChangeLog.seq) > after)).all())


def acknowledge(store: Store, through_seq: int, rejected: Sequence[Rejected] = ()) -> None:
    """Drop outbox entries the server holds (keeping the high-water row); note rejections."""
    with store.write() as tx:
        previous = int(_get(tx.session, ACKED_SEQ) or 0)
        if through_seq <= previous and not rejected:
            return
        through = max(previous, through_seq)
        tx.session.execute(delete(ChangeLog).where(col(ChangeLog.seq) < through))
        tx.session.merge(DeviceState(key=ACKED_SEQ, value=str(through)))
        if rejected:
            kept = json.loads(_get(tx.session, NEEDS_ATTENTION) or "[]")
            known = {item["change_id"] for item in kept}
            kept.extend(item.__dict__ for item in rejected if item.change_id not in known)
            tx.session.merge(DeviceState(key=NEEDS_ATTENTION, value=json.dumps(kept)))


def needs_attention(store: Store) -> list[Rejected]:
    return [Rejected(**item) for item in json.loads(read_state(store, NEEDS_ATTENTION) or "[]")]


def apply_page(store: Store, records: Sequence[RemoteRecord], next_cursor: int) -> int:
    """Merge a pulled page and store its cursor in one transaction; return records changed.

    Remote wins only when its HLC stamp is greater than the local one (stamps end with
    the device id, which breaks ties). Foreign keys are checked at the end of the page,
    so a page may hold a station before the class it belongs to; when the class is on a
    later page (it was edited after the station) :class:`IncompletePage` is raised and
    nothing is kept.
    """
    applied = 0
    with store.write() as tx:
        session = tx.session
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for remote in records:
            model = SYNCED_TABLES.get(remote.entity)
            if model is None:
                continue  # a newer app's record type: the server keeps it for later
            store.clock.observe(HlcStamp.decode(remote.hlc))
            existing = session.get(model, remote.record_id)
            if existing is not None and existing.hlc >= remote.hlc:
                continue
            incoming = model.model_validate({**remote.payload, "hlc": remote.hlc})
            if existing is None:
                session.add(incoming)
            else:
                for field in model.model_fields:
                    setattr(existing, field, getattr(incoming, field))
                session.add(existing)
            session.flush()
            tx.touched.add(remote.entity)
            applied += 1
        for table in sorted(tx.touched):
            if session.execute(text(f'PRAGMA foreign_key_check("{table}")')).first():
                raise IncompletePage(table)
        session.merge(DeviceState(key=CURSOR, value=str(next_cursor)))
    return applied
