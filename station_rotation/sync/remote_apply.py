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
from sqlalchemy import select as sa_select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from station_rotation.core.hlc import HlcStamp, author
from station_rotation.store.database import SERVER_OFFSET_KEY, Store
from station_rotation.store.models import (
    SYNCED_TABLES,
    SYNCED_TYPES,
    ChangeLog,
    ClassSection,
    DeviceState,
    RotationEvent,
    RotationRun,
    SyncConflict,
    SyncedRecord,
)
from station_rotation.sync import outbox_damage

ACKED_SEQ = "sync.acked_seq"
CURSOR = "sync.cursor"
NEEDS_ATTENTION = "sync.needs_attention"
SERVER_OFFSET_MS = SERVER_OFFSET_KEY
LAST_SYNC = "sync.last_sync"

SCOPE_EXIT = "scope_exit"
"""A pulled notice that a class left the teacher's scope (see server/roster.py)."""

APPEND_ONLY = frozenset(entity for entity, synced in SYNCED_TYPES.items() if synced.append_only)
"""Facts that are only ever added: never in conflict (``SyncedType.append_only``)."""


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row as sync sends it.

    ``payload_json`` is the JSON text the outbox stored: a push sends it as it is, so a
    batch of 2,000 changes is never parsed into dicts only to be encoded again.
    """

    seq: int
    change_id: str
    entity: str
    record_id: str
    op: str
    hlc: str
    payload_json: str
    payload_version: int
    before_json: str | None = None
    """The changed fields' values before the edit (``ChangeLog.before``); None: every field."""

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as a dict (parsed on each call: only a conflict or a test needs it)."""
        parsed: dict[str, Any] = json.loads(self.payload_json)
        return parsed

    @property
    def before(self) -> dict[str, Any] | None:
        """The changed fields' values before the edit, as the push sends them."""
        if self.before_json is None:
            return None
        parsed: dict[str, Any] = json.loads(self.before_json)
        return parsed


@dataclass(frozen=True)
class RemoteRecord:
    """The server's current state of one record (a pulled change).

    ``overwrote_hlc`` names a concurrent edit this version replaced on the server: the
    device holding that edit as its own records a conflict.
    """

    entity: str
    record_id: str
    hlc: str
    payload: dict[str, Any]
    overwrote_hlc: str = ""


@dataclass(frozen=True)
class Superseded:
    """A pushed edit that lost on the server to a concurrent edit from another device."""

    entity: str
    record_id: str
    lost_hlc: str
    lost_payload: dict[str, Any]
    kept_hlc: str
    kept_payload: dict[str, Any]


class IncompletePage(Exception):
    """A pulled page names a parent record (a class) that comes on a later page.

    Nothing of the page was kept; pull it again with a larger page.
    """


class CursorAhead(Exception):
    """The stored cursor moved past the page while it was on its way (another process —
    a USB reply imported during a network sync, or the other way round — applied newer
    data). Nothing of the page was kept: it would move the cursor back, and could bring
    back a class that has since left the teacher's scope. ``stored`` is that cursor.
    """

    def __init__(self, stored: int, page_end: int) -> None:
        super().__init__(f"cursor {stored} is past the page's end {page_end}")
        self.stored = stored
        self.page_end = page_end


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


def pending(store: Store, limit: int, after: int | None = None) -> list[OutboxEntry]:
    """The oldest ``limit`` outbox entries after ``after`` (default: the acknowledged seq).

    Plain column rows of the table (no ORM objects, no ORM column loading): a push reads
    up to 2,000 of them per batch. The one reader of the outbox for network and USB sync:
    a row that cannot be read (text that is not UTF-8, a payload that is not a JSON
    document) is first kept aside and replaced by a stand-in with its number
    (``outbox_damage.py``), so one damaged row never stops the rows after it.
    """
    if after is None:
        after = acked_seq(store)
    entries = _read_pending(store, limit, after)
    if entries is None or any(_damaged(entry) for entry in entries):
        outbox_damage.set_aside(store, after, limit)
        entries = _read_pending(store, limit, after)
        if entries is None:  # pragma: no cover - set_aside leaves only readable rows
            raise RuntimeError("the outbox still holds a row that cannot be read")
    return entries


_PENDING_COLUMNS = (
    "seq",
    "change_id",
    "entity",
    "record_id",
    "op",
    "hlc",
    "payload",
    "payload_version",
    "before",
)


def _read_pending(store: Store, limit: int, after: int) -> list[OutboxEntry] | None:
    """The entries as stored, or None when one holds text that is not UTF-8 (which
    fails the whole read)."""
    log: Any = ChangeLog.__table__  # type: ignore[attr-defined]
    columns = [log.c[name] for name in _PENDING_COLUMNS]
    query = sa_select(*columns).where(log.c.seq > after).order_by(log.c.seq).limit(limit)
    try:
        with store.read() as session:
            rows = session.connection().execute(query).all()
    except OperationalError as exc:
        if "decode" in str(exc.orig):
            return None
        raise
    return [OutboxEntry(*row) for row in rows]


def _damaged(entry: OutboxEntry) -> bool:
    """The entry cannot go up as the change it was (see ``outbox_damage``)."""
    return outbox_damage.unsendable(
        entry.change_id,
        entry.entity,
        entry.record_id,
        entry.op,
        entry.hlc,
        entry.payload_json,
        entry.payload_version,
        entry.before_json,
    )


def pending_count(store: Store) -> int:
    after = acked_seq(store)
    with store.read() as session:
        return len(session.exec(select(ChangeLog.seq).where(col(ChangeLog.seq) > after)).all())


def acknowledge(
    store: Store,
    through_seq: int,
    rejected: Sequence[Rejected] = (),
    superseded: Sequence[Superseded] = (),
) -> None:
    """Drop outbox entries the server holds (keeping the high-water row); note rejections.

    Superseded edits become conflict records in the same transaction, so a conflict the
    server reported is never lost to a kill between the reply and the next pull.
    """
    with store.write() as tx:
        for lost in superseded:
            _record_conflict(
                tx.session,
                lost.entity,
                lost.record_id,
                kept=(lost.kept_hlc, lost.kept_payload),
                lost=(lost.lost_hlc, lost.lost_payload),
            )
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


def _record_conflict(
    session: Session,
    entity: str,
    record_id: str,
    *,
    kept: tuple[str, dict[str, Any]],
    lost: tuple[str, dict[str, Any]],
) -> None:
    """Keep both sides of an overwritten concurrent edit (once per pair of stamps).

    Two versions that say the same (her own import of a roster and the district's load
    of it) are no conflict: nothing of hers was lost.
    """
    if {k: v for k, v in kept[1].items() if k != "hlc"} == {
        k: v for k, v in lost[1].items() if k != "hlc"
    }:
        return
    known = session.exec(
        select(SyncConflict.id).where(
            SyncConflict.record_id == record_id,
            SyncConflict.kept_hlc == kept[0],
            SyncConflict.lost_hlc == lost[0],
        )
    ).first()
    if known is not None:
        return
    session.add(
        SyncConflict(
            entity=entity,
            record_id=record_id,
            kept_hlc=kept[0],
            kept_payload=json.dumps(kept[1], sort_keys=True),
            lost_hlc=lost[0],
            lost_payload=json.dumps(lost[1], sort_keys=True),
        )
    )


def _note_conflict(
    session: Session,
    device_id: str,
    existing: SyncedRecord,
    remote: RemoteRecord,
    unsent: bool,
) -> None:
    """Record a conflict when a pulled version and the local one were concurrent edits.

    - the remote replaced this device's own version on the server (``overwrote_hlc``)
      and wins here too: this device's edit lost;
    - the local row has an edit not yet sent and the remote comes from another device:
      whichever stamp is greater wins, and the other side is kept in the record.

    ``unsent``: the record has a local edit the server has not acknowledged yet.
    """
    if remote.entity in APPEND_ONLY or existing.hlc == remote.hlc:
        return
    local = (existing.hlc, existing.model_dump(mode="json"))
    theirs = (remote.hlc, {**remote.payload, "hlc": remote.hlc})
    if remote.hlc > existing.hlc:
        own_lost = bool(remote.overwrote_hlc) and author(remote.overwrote_hlc) == device_id
        if own_lost or (author(remote.hlc) != device_id and unsent):
            _record_conflict(session, remote.entity, remote.record_id, kept=theirs, lost=local)
    elif author(remote.hlc) != device_id and unsent:
        _record_conflict(session, remote.entity, remote.record_id, kept=local, lost=theirs)


def apply_page(
    store: Store,
    records: Sequence[RemoteRecord],
    next_cursor: int | None,
    *,
    repair: bool = False,
    not_behind: int | None = None,
) -> int:
    """Merge a pulled page and store its cursor in one transaction; return records changed.

    Remote wins only when its HLC stamp is greater than the local one (stamps end with
    the device id, which breaks ties). Foreign keys are checked at the end of the page,
    so a page may hold a station before the class it belongs to; when the class is on a
    later page (it was edited after the station) :class:`IncompletePage` is raised and
    nothing is kept.

    ``repair`` (a re-pull after a digest mismatch, ``next_cursor`` None): the server's
    version also replaces a local row with the *same* stamp whose content differs (a
    damaged row); only a newer local edit is kept.

    A record this version cannot read (a field of the wrong type, say) is skipped and
    listed (:func:`unreadable_records`); the rest of the page is kept. A local edit not
    yet sent is merged field by field with the pulled version (:func:`_merge_unsent`).

    ``not_behind``: the page's end cursor as the caller saw it; when the stored cursor is
    already past it (checked inside this write transaction, so no other process can move
    it in between) :class:`CursorAhead` is raised and nothing is kept.
    """
    applied = 0
    readable: list[tuple[str, str]] = []
    read, unreadable = _parse_page(records)  # pydantic's work, before the write lock
    with store.write() as tx:
        session = tx.session
        if not_behind is not None:
            stored = int(_get(session, CURSOR) or 0)
            if stored > not_behind:
                raise CursorAhead(stored, not_behind)
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        unreadable += _orphans(session, records, read, unreadable)
        known = _known_rows(session, records, read, 0)
        befores = _unsent_befores(session, [records[place].record_id for place in read])
        for place, remote in enumerate(records):
            if remote.entity == SCOPE_EXIT:
                if not remote.payload.get("deleted"):
                    session.flush()
                    tx.touched |= _remove_class(session, str(remote.payload.get("class_id")))
                    # The rows read for the page may be gone: read the rest of it again.
                    session.expunge_all()
                    known = _known_rows(session, records, read, place + 1)
                continue
            if place not in read:
                continue  # unreadable, or a newer app's record type (the server keeps it)
            stamp, incoming, model = read[place]
            readable.append((remote.entity, remote.record_id))
            store.clock.observe(stamp)
            key = (remote.entity, remote.record_id)
            existing = known[key]
            if existing is not None:
                if existing.hlc == remote.hlc and not repair:
                    continue
                unsent = befores.get(remote.record_id)
                bases = _bases(unsent)
                if bases is not None and remote.entity not in APPEND_ONLY:
                    if not _merge_unsent(session, existing, incoming, remote, bases):
                        continue
                    session.add(existing)
                    tx.touched.add(remote.entity)
                    applied += 1
                    continue
                _note_conflict(session, store.device_id, existing, remote, bool(unsent))
                if existing.hlc > remote.hlc or (existing.hlc == remote.hlc and not repair):
                    continue
            if existing is None:
                session.add(incoming)
                known[key] = incoming  # the same record again later in the page updates it
            else:
                if repair and incoming.model_dump(mode="json") == existing.model_dump(mode="json"):
                    continue
                for field in model.model_fields:
                    setattr(existing, field, getattr(incoming, field))
                session.add(existing)
            tx.touched.add(remote.entity)
            applied += 1
        session.flush()  # one batch of inserts and updates; the key check below reads them
        for table in sorted(tx.touched):
            if session.execute(text(f'PRAGMA foreign_key_check("{table}")')).first():
                raise IncompletePage(table)
        if unreadable or readable:
            _note_unreadable(session, unreadable, readable)
        if next_cursor is not None:
            session.merge(DeviceState(key=CURSOR, value=str(next_cursor)))
    return applied


Read = tuple[HlcStamp, SyncedRecord, type[SyncedRecord]]


def _parse_page(records: Sequence[RemoteRecord]) -> tuple[dict[int, Read], list[Unreadable]]:
    """The page's records this version can read (by place in the page), and the others.

    A record of a type this version does not know is left out (the server keeps it for
    a later version); one that fails its model (a newer server's field, a damaged row)
    is unreadable. Needs no database: it runs before the page's write transaction.
    """
    read: dict[int, Read] = {}
    unreadable: list[Unreadable] = []
    for place, remote in enumerate(records):
        model = SYNCED_TABLES.get(remote.entity)
        if model is None:
            continue
        try:
            stamp = HlcStamp.decode(remote.hlc)
            incoming = model.model_validate({**remote.payload, "hlc": remote.hlc})
        except ValueError as exc:  # pydantic's ValidationError, or a broken stamp
            unreadable.append(Unreadable(remote.entity, remote.record_id, remote.hlc, str(exc)))
            continue
        read[place] = (stamp, incoming, model)
    return read, unreadable


def _orphans(
    session: Session,
    records: Sequence[RemoteRecord],
    read: dict[int, Read],
    unreadable: list[Unreadable],
) -> list[Unreadable]:
    """Readable records whose parent is unreadable and that this laptop does not already
    hold in an older version (the record could not be stored without it): taken out of
    ``read`` and returned as unreadable too."""
    found: list[Unreadable] = []
    skipped = {
        (u.entity, u.record_id)
        for u in unreadable
        if session.get(SYNCED_TABLES[u.entity], u.record_id) is None
    }
    while skipped:
        orphans = [place for place, (_, got, _) in read.items() if _parents(got) & skipped]
        if not orphans:
            break
        for place in orphans:
            remote = records[place]
            reason = "a record it belongs to could not be read"
            found.append(Unreadable(remote.entity, remote.record_id, remote.hlc, reason))
            skipped.add((remote.entity, remote.record_id))
            del read[place]
    return found


CHUNK = 500
"""Ids per ``IN (...)``: well under SQLite's limit on bound parameters."""


def _known_rows(
    session: Session, records: Sequence[RemoteRecord], read: dict[int, Read], start: int
) -> dict[tuple[str, str], SyncedRecord | None]:
    """The local row of each readable record from ``start`` on (None: not here yet).

    One query per table and chunk, not one per record: the page's transaction holds the
    store's write lock, which a quick check typed meanwhile waits for.
    """
    wanted: dict[str, set[str]] = {}
    for place in read:
        if place >= start:
            wanted.setdefault(records[place].entity, set()).add(records[place].record_id)
    known: dict[tuple[str, str], SyncedRecord | None] = {
        (entity, rid): None for entity, ids in wanted.items() for rid in ids
    }
    for entity, ids in wanted.items():
        model = SYNCED_TABLES[entity]
        listed = sorted(ids)
        for at in range(0, len(listed), CHUNK):
            chunk = listed[at : at + CHUNK]
            for row in session.exec(select(model).where(col(model.id).in_(chunk))):
                known[(entity, row.id)] = row
    return known


def _unsent_befores(session: Session, record_ids: list[str]) -> dict[str, list[str | None]]:
    """Each record's local edits not yet sent, as their ``before`` texts in outbox order.

    Records without such edits are absent. Read once per page (the page's transaction
    writes no outbox rows, so it cannot change meanwhile).
    """
    after = int(_get(session, ACKED_SEQ) or 0)
    befores: dict[str, list[str | None]] = {}
    listed = sorted(set(record_ids))
    for at in range(0, len(listed), CHUNK):
        rows = session.exec(
            select(ChangeLog.record_id, ChangeLog.before)
            .where(col(ChangeLog.record_id).in_(listed[at : at + CHUNK]))
            .where(col(ChangeLog.seq) > after)
            .order_by(col(ChangeLog.seq))
        ).all()
        for record_id, before in rows:
            befores.setdefault(record_id, []).append(before)
    return befores


def _parents(record: SyncedRecord) -> set[tuple[str, str]]:
    """The (table, id) of every record ``record`` refers to by a foreign key."""
    table: Any = type(record).__table__  # type: ignore[attr-defined]
    found = set()
    for key in table.foreign_keys:
        value = getattr(record, key.parent.name, None)
        if value is not None:
            found.add((key.column.table.name, str(value)))
    return found


def unreadable_tables(store: Store) -> set[str]:
    """The tables holding a pulled record this laptop skipped: their digests differ from
    the server's by design (a re-pull would skip the record again)."""
    return {item.entity for item in unreadable_records(store)}


def _bases(befores: list[str | None] | None) -> dict[str, Any] | None:
    """The fields a record's edits not yet sent changed (``befores``, from
    :func:`_unsent_befores`), with their values before the first of them; None when
    nothing waits, or when an edit's fields are unknown (a new record, a change queued by
    an older version)."""
    if not befores or any(before is None for before in befores):
        return None
    bases: dict[str, Any] = {}
    for before in befores:
        for name, value in json.loads(str(before)).items():
            bases.setdefault(name, value)
    return bases


def _merge_unsent(
    session: Session,
    existing: SyncedRecord,
    incoming: SyncedRecord,
    remote: RemoteRecord,
    bases: dict[str, Any],
) -> bool:
    """Merge a pulled version into a row with local edits not yet sent; True if it changed.

    The pulled values are taken except for the fields the local edits changed (``bases``:
    their values before). A field both sides changed to different values is a conflict:
    the later stamp wins, as on the server, and both versions are kept in the record.
    The local edits still go up on the next push, where the server merges them the same way.
    """
    local = existing.model_dump(mode="json")
    theirs = incoming.model_dump(mode="json")
    clashes = {
        name
        for name, base in bases.items()
        if name in theirs and theirs[name] != base and theirs[name] != local.get(name)
    }
    remote_newer = remote.hlc > existing.hlc
    if clashes:
        mine = (existing.hlc, local)
        pulled = (remote.hlc, {**remote.payload, "hlc": remote.hlc})
        kept, lost = (pulled, mine) if remote_newer else (mine, pulled)
        _record_conflict(session, remote.entity, remote.record_id, kept=kept, lost=lost)
    keep_local = {name for name in bases if name not in clashes or not remote_newer}
    changed = False
    for name in type(existing).model_fields:
        if name in keep_local or name in ("id", "hlc"):
            continue
        if local.get(name) != theirs.get(name):
            setattr(existing, name, getattr(incoming, name))
            changed = True
    if remote_newer:
        existing.hlc = remote.hlc
        changed = True
    return changed


@dataclass(frozen=True)
class Unreadable:
    """A pulled record this version could not read: skipped, the rest of its page kept."""

    entity: str
    record_id: str
    hlc: str
    reason: str


UNREADABLE = "sync.unreadable"
"""The pulled records skipped as unreadable (JSON list of :class:`Unreadable`)."""


def _note_unreadable(
    session: Session, unreadable: list[Unreadable], readable: list[tuple[str, str]]
) -> None:
    """Add this page's unreadable records to the list; drop those now pulled readable."""
    known = json.loads(_get(session, UNREADABLE) or "[]")
    if not known and not unreadable:
        return
    kept = {(item["entity"], item["record_id"]): item for item in known}
    for key in readable:
        kept.pop(key, None)
    for item in unreadable:
        kept[(item.entity, item.record_id)] = {**item.__dict__, "reason": item.reason[:500]}
    session.merge(DeviceState(key=UNREADABLE, value=json.dumps(list(kept.values()))))


def unreadable_records(store: Store) -> list[Unreadable]:
    """The records from the server this laptop skipped because it cannot read them."""
    return [Unreadable(**item) for item in json.loads(read_state(store, UNREADABLE) or "[]")]


def _remove_class(session: Session, class_id: str) -> set[str]:
    """Take a class that left the teacher's scope off this laptop (not a delete: no outbox).

    Its records stay on the server; children go first (foreign keys), the rotation runs
    of the class too. Outbox entries are kept: the server keeps what they carry.
    """
    touched: set[str] = set()
    runs = select(RotationRun.id).where(RotationRun.class_id == class_id)
    session.execute(delete(RotationEvent).where(col(RotationEvent.run_id).in_(runs)))
    session.execute(delete(RotationRun).where(col(RotationRun.class_id) == class_id))
    children = [m for name, m in SYNCED_TABLES.items() if name != "class_section"]
    for model in sorted(children, key=_child_order):
        if "class_id" in model.model_fields:
            table: Any = model.__table__  # type: ignore[attr-defined]
            session.execute(delete(table).where(table.c.class_id == class_id))
            touched.add(str(table.name))
    session.execute(delete(ClassSection).where(col(ClassSection.id) == class_id))
    touched.add("class_section")
    return touched


def _child_order(model: type[SyncedRecord]) -> int:
    """Records referring to other class records (checks name targets) are removed first."""
    first = ("quick_check", "reflection", "student_note", "rotation_plan")
    name = str(model.__tablename__)
    return first.index(name) if name in first else len(first)


def local_records(store: Store, entity: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every local row of one synced table as ``(id, hlc, fields)`` (for the digest)."""
    model = SYNCED_TABLES[entity]
    with store.read() as session:
        return [
            (row.id, row.hlc, row.model_dump(mode="json")) for row in session.exec(select(model))
        ]
