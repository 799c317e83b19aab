"""Push and pull: idempotent apply, scope checks and the HLC merge, on the server.

One push is one database transaction: the device row is locked, each change is checked
against the device's sequence, stored raw, authorised against the teacher's classes and
merged into ``record``; then everything commits together (or nothing does, and the
device simply pushes again). The figures behind its fast paths: docs/benchmarks.md.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from pydantic import TypeAdapter
from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    Text,
    bindparam,
    cast,
    func,
    insert,
    union_all,
    update,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, or_

from station_rotation.core.hlc import author
from station_rotation.server.bulk import (
    Reading,
    Rows,
    Statement,
    by_keys,
    connection_of,
    insert_numbered,
    insert_rows,
    keyed,
    listed,
    lookup,
    probed,
    read_together,
)
from station_rotation.server.district import (
    DISTRICT_FIELDS,
    district_stamp,
    merge_stamp,
    shares_roster_person,
)
from station_rotation.server.merge import FieldMerge, merge_fields, same_fields
from station_rotation.server.payloads import checked_payload
from station_rotation.server.tables import (
    ClassScope,
    Device,
    PersonScope,
    ReceivedChange,
    Record,
    RefusedPush,
    SeqCounter,
    utc_now,
)
from station_rotation.store.models import SYNCED_TYPES
from station_rotation.sync.wire import (
    Change,
    ChangeResult,
    PullRequest,
    ServerChange,
    TableDigest,
    record_json,
    table_digest,
)

log = logging.getLogger("station_rotation.server")

PERSON_ENTITIES = frozenset({"student", "teacher"})
"""Records with no class of their own: owned by the teacher who first pushed them."""


@dataclass
class _Pending:
    """A record as this push sees it, a plain object (no ORM ``Record``).

    Read from the database (then updated by ``_Batch.write`` if the push changes it), or
    first created by this push (then inserted in bulk at the end).
    """

    entity: str
    id: str
    hlc: str
    payload: dict[str, Any]
    payload_version: int
    deleted: bool
    class_id: str | None
    owner_teacher_id: str | None
    server_seq: int = 0
    """Assigned when the push writes (``_Batch.write``)."""
    overwrote_hlc: str = ""
    district: bool = False
    field_hlcs: dict[str, str] | None = None
    """Each field's last stamp; None: every field carries ``hlc`` (see ``merge.py``)."""


class Pushing(Protocol):
    """The enrolment a push comes from: a ``Device`` row, or the app's lighter copy of one."""

    id: str
    teacher_id: str
    device_id: str
    last_seq: int | None


@dataclass(frozen=True)
class _Seen:
    """What push needs of a change already received."""

    device_id: str
    device_seq: int
    status: str
    reason: str


class _Batch:
    """What one push needs from the database, read up front in a few queries.

    Rather than a query per lookup per change, a batch reads its records, received ids
    and scopes once, takes its server sequence numbers as one block, and writes in bulk
    at the end.

    The block is taken last, right before the records are written and the push commits:
    the counter's row lock (see ``SeqCounter``) makes every other push wait from that
    moment to the commit, so pushes queue on it for as short a time as possible.
    """

    def __init__(self, session: Session, teacher_id: str, changes: list[Change]) -> None:
        self.session = session
        dialect = session.connection().dialect.name
        reads = _push_reads(dialect)
        person_ids = list({c.record_id for c in changes if c.entity in PERSON_ENTITIES})
        keys = list({(c.entity, c.record_id) for c in changes})
        change_ids = listed([c.change_id for c in changes], dialect)
        lookups = [
            (reads.records, keyed(keys, 2, "keys", dialect)),
            (reads.received, {"change_ids": change_ids}),
            (_CLASSES_OF, {"teacher_id": teacher_id}),
        ]
        # Only people's records look at the person scope (a batch of quick checks skips it).
        if person_ids:
            people = {"teacher_id": teacher_id, "person_ids": listed(person_ids, dialect)}
            lookups.append((reads.people, people))
        found, received, classes, *shared = read_together(session, *lookups)
        # Rows into plain objects: ORM ``Record`` objects (identity map, change tracking,
        # a flush per push) cost more Python than the push's own logic.
        self.records: dict[tuple[str, str], _Pending] = {
            (row[0], row[1]): _Pending(*row) for row in found
        }
        self._stored = {id(r) for r in self.records.values()}
        """The records read from the database (the others are created by this push)."""
        self._changed: dict[int, _Pending] = {}
        self.seen: dict[str, _Seen] = {row[0]: _Seen(*row[1:]) for row in received}
        self.created: list[_Pending] = []
        self.classes: set[str] = {row[0] for row in classes}
        self.people: set[str] = {row[0] for row in shared[0]} if shared else set()
        self._stamped: dict[int, _Pending] = {}
        self.teacher_id = teacher_id
        self._claims: list[dict[str, str]] = []

    def claim(self, class_id: str) -> None:
        """Make a class this push created the teacher's (written by :meth:`write`)."""
        self.classes.add(class_id)
        self._claims.append({"teacher_id": self.teacher_id, "class_id": class_id})

    def keep(self, record: _Pending) -> None:
        """Mark an existing record changed (new ones are inserted by :meth:`write`)."""
        if id(record) in self._stored:
            self._changed[id(record)] = record

    def stamp(self, record: _Pending) -> None:
        """Give ``record`` the push's next server sequence number (assigned by :meth:`write`)."""
        self._stamped.pop(id(record), None)  # stamped again: it takes the later number
        self._stamped[id(record)] = record

    def stamped(self, record: _Pending) -> bool:
        """True if this push changes ``record`` (its new number is above every cursor)."""
        return id(record) in self._stamped

    def write(self, received: list[dict[str, Any]], last_seq: dict[str, Any] | None) -> None:
        """Write the push: its ``received`` changes, its records and, if it moved, the
        device's last number (``last_seq``: the values of ``_SET_LAST_SEQ``).

        The changed records are numbered in change order. A laptop's usual push (new
        records only, a batch of at most ``FEW_ROWS``) on PostgreSQL writes all of it in
        one round trip; otherwise the received changes and the device go first, then the
        existing records are updated (one Core ``executemany``, pipelined by psycopg) and
        the new ones inserted.
        """
        count = len(self._stamped)
        got = Rows(_table(ReceivedChange), received, frozenset({"raw"}))
        # The classes this push created become the teacher's, and the device's last number
        # moves; both written before the records (the counter's lock stays last).
        steps: list[Statement] = [(_CLAIM_CLASS, claim) for claim in self._claims]
        if last_seq is not None:
            steps.append((_SET_LAST_SEQ, last_seq))
        self.session.flush()  # a person's scope or a refusal added through the ORM
        if count and not self._changed and count == len(self.created):
            for place, record in enumerate(self._stamped.values(), start=1):
                record.server_seq = place
            rows = Rows(_table(Record), [vars(p) for p in self.created])
            counter = _table(SeqCounter)
            if insert_numbered(self.session, rows, "server_seq", counter, got, steps):
                return
        insert_rows(self.session, got.table, received, encoded=got.encoded)
        for statement, values in steps:
            self.session.execute(statement, values)
        if count:  # the counter's lock is taken last, held to the commit
            first = next_seq(self.session, count) - count + 1
            for offset, record in enumerate(self._stamped.values()):
                record.server_seq = first + offset
        if self._changed:
            self.session.execute(_UPDATE_RECORD, [_updated(r) for r in self._changed.values()])
        insert_rows(self.session, _table(Record), [vars(p) for p in self.created])


_RECORDS: Any = Record.__table__  # type: ignore[attr-defined]
_UPDATE_RECORD = update(_RECORDS).where(
    _RECORDS.c.entity == bindparam("key_entity"), _RECORDS.c.id == bindparam("key_id")
)
"""One existing record's merged state; its ``SET`` columns are the parameters' other keys."""


def _updated(record: _Pending) -> dict[str, Any]:
    """The parameters of ``_UPDATE_RECORD`` for ``record``."""
    return {
        "key_entity": record.entity,
        "key_id": record.id,
        "hlc": record.hlc,
        "payload": record.payload,
        "payload_version": record.payload_version,
        "deleted": record.deleted,
        "server_seq": record.server_seq,
        "overwrote_hlc": record.overwrote_hlc,
        "field_hlcs": record.field_hlcs,
    }


RESULTS = TypeAdapter(list[ChangeResult])


def push(
    session: Session, device: Pushing, changes: list[Change], seen_cursor: int | None = None
) -> tuple[list[ChangeResult], str]:
    """Apply ``changes`` (in device order); return per-change results and a refusal reason.

    ``seen_cursor`` is the device's pull cursor (see :class:`PushRequest`).
    """
    results, refused = apply_push(session, device, changes, seen_cursor)
    return RESULTS.validate_python(results), refused


def apply_push(
    session: Session,
    device: Pushing,
    changes: list[Change],
    seen_cursor: int | None = None,
    locked: bool = False,
) -> tuple[list[dict[str, Any]], str]:
    """:func:`push` with each result a plain dict shaped like ``ChangeResult``.

    The HTTP push encodes them straight to JSON: a model per result would cost more than
    applying the changes. ``locked``: ``device`` was read under its row lock in
    this transaction (the HTTP push's token lookup), so it is not read again.
    """
    devices = _table(Device)
    me: Any = device
    if not locked:
        me = session.execute(
            sa_select(devices.c.id, devices.c.teacher_id, devices.c.device_id, devices.c.last_seq)
            .where(devices.c.id == device.id)
            .with_for_update()
        ).one()
    batch = _Batch(session, me.teacher_id, changes)
    results: list[dict[str, Any]] = []
    received: list[dict[str, Any]] = []
    refused = ""
    last_seq = me.last_seq
    now = utc_now()
    for change in sorted(changes, key=lambda c: c.device_seq):
        seen = batch.seen.get(change.change_id)
        if (
            seen is not None
            and _same_laptop(session, seen, me)
            and seen.device_seq == change.device_seq
        ):  # sent again by this laptop: answered as the first time
            kept = (
                batch.records.get((change.entity, change.record_id))
                if seen.status == "superseded"
                else None
            )
            results.append(_result(change, "duplicate", seen.reason, kept))
            continue
        refused = _out_of_sequence(change, seen, last_seq)
        if refused:
            session.add(RefusedPush(device_id=me.id, raw=change.model_dump(), reason=refused))
            log.warning("push refused", extra={"device": me.id, "seq": change.device_seq})
            break
        status, reason, kept = _apply(batch, me.teacher_id, me.device_id, change, seen_cursor)
        received.append(
            {
                "change_id": change.change_id,
                "device_id": me.id,
                "device_seq": change.device_seq,
                "entity": change.entity,
                "record_id": change.record_id,
                "raw": change.model_dump_json(),
                "status": status,
                "reason": reason,
                "received_at": now,
            }
        )
        batch.seen[change.change_id] = _Seen(me.id, change.device_seq, status, reason)
        last_seq = change.device_seq
        results.append(_result(change, status, reason, kept))
    moved = {"device_row": device.id, "last_seq": last_seq} if last_seq != me.last_seq else None
    batch.write(received, moved)  # last: it takes the sequence counter's lock until the commit
    device.last_seq = last_seq
    return results, refused


def _out_of_sequence(change: Change, seen: _Seen | None, last_seq: int | None) -> str:
    """Why ``change`` stops the push, or ``""`` when it is the device's next change.

    ``seen``: the change as already received (not a resend from this laptop under the
    same number). A change number reused or skipped means the laptop's data file was
    restored or copied, or changes went missing: nothing after it is applied.
    """
    if seen is not None:
        return (
            "This change was already received under another number. The data file may "
            "be a copy of another laptop's file; ask your district to enrol this laptop "
            "again."
        )
    if last_seq is not None and change.device_seq <= last_seq:
        return (
            "This laptop reused a change number it had already sent: its data was "
            "restored from a backup, or is a copy of another laptop's. Nothing is lost; "
            "ask your district to enrol this laptop again, then sync."
        )
    if last_seq is not None and change.device_seq != last_seq + 1:
        return (
            f"Changes {last_seq + 1}..{change.device_seq - 1} from this laptop are "
            "missing, so later ones were not applied. Nothing was lost; ask your district "
            "to look at this laptop's sync."
        )
    return ""


def _same_laptop(session: Session, seen: _Seen, device: Any) -> bool:
    """Sent by this laptop, under this enrolment or an earlier one (re-enrolled after a loss).

    ``device`` is the pushing enrolment's row (``id`` and ``device_id``).
    """
    if seen.device_id == device.id:
        return True
    sender = session.get(Device, seen.device_id)
    return sender is not None and sender.device_id == device.device_id


def _result(
    change: Change, status: str, reason: str, kept: _Pending | None = None
) -> dict[str, Any]:
    """One ``ChangeResult``, as a dict with all its fields."""
    return {
        "change_id": change.change_id,
        "device_seq": change.device_seq,
        "status": status,
        "reason": reason,
        "kept_hlc": kept.hlc if kept is not None else "",
        "kept_payload": dict(kept.payload) if kept is not None else None,
    }


def _table(model: Any) -> Any:
    """The Core table of ``model``: statements on it skip the ORM's per-statement work.

    Through the ORM each of a sync request's statements would cost about as much Python as
    the request's own logic.
    """
    return model.__table__


_CLASSES_OF = sa_select(_table(ClassScope).c.class_id).where(
    _table(ClassScope).c.teacher_id == bindparam("teacher_id", type_=String)
)


@dataclass(frozen=True)
class _PushReads:
    """The statements a push reads with, built once per dialect (values are parameters).

    Built anew for every push, their construction and cache keys would be a large share of
    the server's time for a laptop's usual small push.
    """

    records: Any
    received: Any
    people: Any


_PUSH_READS: dict[str, _PushReads] = {}

_CLAIM_CLASS = insert(_table(ClassScope)).values(
    teacher_id=bindparam("teacher_id", type_=String),
    class_id=bindparam("class_id", type_=String),
    source="created",
)
"""A class a teacher created on her laptop becomes hers (``teacher_id``, ``class_id`` bound)."""

_SET_LAST_SEQ = (
    update(_table(Device))
    .where(_table(Device).c.id == bindparam("device_row", type_=String))
    .values(last_seq=bindparam("last_seq", type_=BigInteger))
)
"""A device's last accepted change number, after a push (built once, as ``_PushReads``)."""


def _push_reads(dialect: str) -> _PushReads:
    found = _PUSH_READS.get(dialect)
    if found is not None:
        return found
    records, received, people = _table(Record), _table(ReceivedChange), _table(PersonScope)
    teacher_id = bindparam("teacher_id", type_=String)
    reads = _PushReads(
        records=by_keys(records, [records.c.entity, records.c.id], "keys", dialect),
        received=lookup(
            [
                received.c.change_id,
                received.c.device_id,
                received.c.device_seq,
                received.c.status,
                received.c.reason,
            ],
            received.c.change_id,
            "change_ids",
            dialect,
        ),
        people=lookup(
            [people.c.record_id],
            people.c.record_id,
            "person_ids",
            dialect,
            people.c.teacher_id == teacher_id,
        ),
    )
    _PUSH_READS[dialect] = reads
    return reads


Applied = tuple[str, str, _Pending | None]
"""A change's outcome: its status, the reason the teacher reads, the version kept if superseded."""

DISTRICT_KEPT = "The district roster's fields stay as the district has them."


def _apply(
    batch: _Batch,
    teacher_id: str,
    device_id: str,
    change: Change,
    seen_cursor: int | None = None,
) -> Applied:
    """Apply one change to the push's records, in four steps.

    The payload is checked (:func:`_pushed_payload`), the teacher authorised
    (:func:`_authorise`), then a record the server lacks is created (:func:`_create`) or
    the edit merged into the stored one (:func:`_merge`). A fact already kept, or this
    very edit pushed again, changes nothing.
    """
    payload, problem = _pushed_payload(change)
    if problem:
        return "rejected", problem, None
    existing = batch.records.get((change.entity, change.record_id))
    class_id, refusal = _authorise(batch, teacher_id, change.entity, payload, existing)
    if refusal:
        return "rejected", refusal, None
    if existing is None:
        _create(batch, change, payload, class_id, teacher_id)
        return "applied", "", None
    if SYNCED_TYPES[change.entity].append_only or existing.hlc == change.hlc:
        return "applied", "", None
    return _merge(batch, existing, change, payload, device_id, seen_cursor)


def _pushed_payload(change: Change) -> tuple[dict[str, Any], str]:
    """The record as the change sets it, and ``""``; or ``{}`` and why it is refused.

    Checked against the laptop's model (``payloads.py``), then given the change's stamp
    and, for a delete, its tombstone.
    """
    payload, problem = checked_payload(
        change.entity,
        change.record_id,
        change.payload,
        change.payload_version,
        change.before,
    )
    if problem:
        return payload, problem
    payload["hlc"] = change.hlc
    if change.op == "delete":
        payload["deleted"] = True
    return payload, ""


# --- authorisation ------------------------------------------------------------------


def _authorise(
    batch: _Batch,
    teacher_id: str,
    entity: str,
    payload: dict[str, Any],
    existing: _Pending | None,
) -> tuple[str | None, str]:
    """The class a change belongs to (None for a person), and ``""``; or why the teacher
    may not make it. A class, a person and a class's record each have their own rule."""
    if entity == "class_section":
        return _authorise_class(batch, str(payload["id"]), existing)
    if entity in PERSON_ENTITIES:
        return None, _authorise_person(batch, teacher_id, entity, payload, existing)
    return _authorise_in_class(batch, payload, existing)


def _authorise_class(
    batch: _Batch, class_id: str, existing: _Pending | None
) -> tuple[str | None, str]:
    """A class is hers, or new (then it becomes hers); another teacher's is refused."""
    if class_id not in batch.classes:
        if existing is not None:
            return None, "This class belongs to another teacher."
        batch.claim(class_id)  # a new class the teacher created on her laptop
    return class_id, ""


def _authorise_person(
    batch: _Batch,
    teacher_id: str,
    entity: str,
    payload: dict[str, Any],
    existing: _Pending | None,
) -> str:
    """Why the teacher may not edit this person, or ``""``.

    A person is hers if new or first pushed by her, or shared with her as the same roster
    person (``district.py``); sharing is recorded the first time it is found.
    """
    if existing is None or existing.owner_teacher_id == teacher_id:
        return ""
    known = existing.id in batch.people
    if existing.district and known:
        return ""
    if shares_roster_person(entity, existing.id, payload, existing.payload, already_shared=known):
        if not known:
            batch.session.add(PersonScope(teacher_id=teacher_id, record_id=existing.id))
            batch.people.add(existing.id)
        return ""
    return "This person's record is kept by another teacher's class."


def _authorise_in_class(
    batch: _Batch, payload: dict[str, Any], existing: _Pending | None
) -> tuple[str | None, str]:
    """A class's record must be in one of her classes, and stay in the class it has."""
    raw_class = payload.get("class_id")
    class_id = raw_class if isinstance(raw_class, str) else None
    if class_id is None or class_id not in batch.classes:
        return None, "This change is for a class that is not yours on the server."
    if existing is not None and existing.class_id != class_id:
        return None, "This record belongs to another class on the server."
    return class_id, ""


# --- create or merge ----------------------------------------------------------------


def _create(
    batch: _Batch,
    change: Change,
    payload: dict[str, Any],
    class_id: str | None,
    teacher_id: str,
) -> None:
    """A record the server did not have: kept as pushed (every field at its stamp)."""
    created = _Pending(
        entity=change.entity,
        id=change.record_id,
        hlc=change.hlc,
        payload=payload,
        payload_version=change.payload_version,
        deleted=bool(payload.get("deleted")),
        class_id=class_id,
        owner_teacher_id=teacher_id if class_id is None else None,
    )
    batch.stamp(created)
    batch.created.append(created)
    batch.records[(change.entity, change.record_id)] = created


def _merge(
    batch: _Batch,
    existing: _Pending,
    change: Change,
    payload: dict[str, Any],
    device_id: str,
    seen_cursor: int | None,
) -> Applied:
    """Merge an edit into the stored record field by field (see ``merge.py``).

    ``superseded``: a field the edit changed keeps another device's later value (the
    pusher records a conflict showing both), or a rostered record's district-owned
    fields stay the district's. A merge that moves nothing writes nothing.
    """
    locked = _district_owned(existing, change.entity)
    merged = merge_fields(
        existing.payload,
        existing.hlc,
        existing.field_hlcs,
        payload,
        change.hlc,
        _changed_fields(change),
        locked,
    )
    lost_to_other = any(author(stamp) != device_id for stamp in merged.lost.values())
    moved = merged.taken or not same_fields(merged.payload, existing.payload)
    if moved or merged.locked or change.hlc > existing.hlc:
        _keep_merged(batch, existing, change, payload, merged, device_id, seen_cursor)
        if merged.locked:
            return "superseded", DISTRICT_KEPT, existing
    return ("superseded", "", existing) if lost_to_other else ("applied", "", None)


def _changed_fields(change: Change) -> list[str] | None:
    """The fields the edit changed (``Change.before``'s names; a delete changes
    ``deleted``), or None when the laptop does not say (protocol 1: every field)."""
    if change.before is None:
        return None
    changed = list(change.before)
    if change.op == "delete" and "deleted" not in changed:
        changed.append("deleted")
    return changed


def _district_owned(existing: _Pending, entity: str) -> Collection[str]:
    """The fields no laptop edit replaces: a rostered record's district fields, else none."""
    return DISTRICT_FIELDS.get(entity, frozenset()) if existing.district else ()


def _keep_merged(
    batch: _Batch,
    existing: _Pending,
    change: Change,
    pushed: dict[str, Any],
    merged: FieldMerge,
    device_id: str,
    seen_cursor: int | None,
) -> None:
    """Store the merge in ``existing`` and give it the push's next server number.

    A result other than what the pusher sent gets a server stamp later than both (a
    district stamp when district fields were kept), so every laptop pulls it. Conflict
    marking: replacing another device's value the pusher never saw sets
    ``overwrote_hlc`` to that value's stamp, so that device records a conflict when it
    pulls (:func:`_unseen_replaced`).
    """
    hlc = max(existing.hlc, change.hlc)
    if not same_fields(merged.payload, pushed):
        hlc = district_stamp(hlc) if merged.locked else merge_stamp(hlc)
    others = _unseen_replaced(batch, existing, change, merged, device_id, seen_cursor)
    existing.overwrote_hlc = max(others, default="")
    stamps = merged.field_hlcs
    existing.field_hlcs = None if all(s == hlc for s in stamps.values()) else stamps
    existing.payload = {**merged.payload, "hlc": hlc}
    existing.hlc = hlc
    existing.payload_version = max(existing.payload_version, change.payload_version)
    existing.deleted = bool(merged.payload.get("deleted"))
    batch.stamp(existing)
    batch.keep(existing)


def _unseen_replaced(
    batch: _Batch,
    existing: _Pending,
    change: Change,
    merged: FieldMerge,
    device_id: str,
    seen_cursor: int | None,
) -> list[str]:
    """The stamps of other devices' values the change replaced without having seen them.

    A laptop of protocol 2 says what each field held before its edit (``Change.before``):
    a replaced value that differs was never seen. An older one only sends its cursor: if
    the record moved since, every replaced value counts as unseen.
    """
    taken = [n for n in merged.taken if author(merged.replaced[n]) != device_id]
    if change.before is not None:
        before = change.before
        return [merged.replaced[n] for n in taken if before.get(n) != existing.payload.get(n)]
    unseen = seen_cursor is not None and (
        batch.stamped(existing) or existing.server_seq > seen_cursor
    )
    return [merged.replaced[n] for n in taken] if unseen else []


def next_seq(session: Session, count: int = 1) -> int:
    """Reserve ``count`` server sequence numbers; return the last (row-locked until commit).

    See ``SeqCounter``: the lock is what keeps the numbers in commit order.
    """
    table = _table(SeqCounter)
    value = session.execute(
        update(table)
        .where(table.c.id == 1)
        .values(value=table.c.value + count)
        .returning(table.c.value)
    ).scalar_one()
    return int(value)


def _in_scope() -> Any:
    """The SQL condition for records a teacher may read (SQLite): her classes and her people.

    The teacher is the bound parameter ``teacher_id``. PostgreSQL reads the scope
    through :func:`_scope_arms` instead.
    """
    records, scopes, people = _table(Record), _table(ClassScope), _table(PersonScope)
    teacher_id = bindparam("teacher_id", type_=String)
    classes = sa_select(scopes.c.class_id).where(scopes.c.teacher_id == teacher_id)
    persons = sa_select(people.c.record_id).where(people.c.teacher_id == teacher_id)
    return or_(
        records.c.class_id.in_(classes),
        records.c.owner_teacher_id == teacher_id,
        records.c.id.in_(persons),
    )


def _scope_arms(columns: list[Any], extra: list[Any]) -> Any:
    """A teacher's records on PostgreSQL: three disjoint arms, ``UNION ALL``, as a subquery.

    Her classes' records (looked up class by class from ``class_scope``), the people she
    owns (``owner_teacher_id``) and the people shared with her (looked up one by one from
    ``person_scope``). Each arm is an index lookup whatever the planner's statistics say,
    in the plan made for these values and in the one psycopg prepares and PostgreSQL
    keeps (made, on a new server, while the tables were nearly empty: see
    ``bulk.lookup``). Written as one ``OR`` of the three, the planner cannot tell how few
    rows each arm has and reads every record of the district for each pull and digest, a
    cost that grows with the district.

    The arms do not overlap: a record with a class has no owner (the table's
    ``ck_record_class_or_owner``), and a shared person is not hers. ``extra``: further
    conditions on ``record`` in every arm.
    """
    records, scopes, people = _table(Record), _table(ClassScope), _table(PersonScope)
    teacher_id = bindparam("teacher_id", type_=String)
    of_classes = probed(columns, [records.c.class_id], [scopes.c.class_id], scopes, extra)
    # "No class" written so no index serves it: the planner, its statistics stale, took
    # the class index for ``class_id IS NULL``, which every person of the district has.
    classless = func.coalesce(records.c.class_id, "") == ""
    owned = sa_select(*columns).where(records.c.owner_teacher_id == teacher_id, classless, *extra)
    shared = probed(
        columns,
        [records.c.id],
        [people.c.record_id],
        people,
        [
            or_(*(records.c.entity == entity for entity in sorted(PERSON_ENTITIES))),
            records.c.owner_teacher_id.is_distinct_from(teacher_id),
            classless,
            *extra,
        ],
    )
    return union_all(
        of_classes.where(scopes.c.teacher_id == teacher_id),
        owned,
        shared.where(people.c.teacher_id == teacher_id),
    ).subquery("scoped")


DIGEST_ROWS_AT_ONCE = 5_000
"""A scope up to this size is read in one plain query; a larger one is streamed."""


_READS: dict[tuple[str, str, bool], Any] = {}
"""The pull and digest statements, built once per dialect (and variant).

Building the scope condition and its cache key anew is a visible share of a request's
Python; values are bound parameters.
"""


def _read(kind: str, dialect: str, by_entity: bool = False) -> Any:
    """The cached ``pull`` (``by_entity``: of one entity), ``digest`` or ``digest-first``.

    ``digest-first``: the digest's rows up to one beyond ``DIGEST_ROWS_AT_ONCE``. On
    PostgreSQL the pull reads each payload as the JSON text it was stored as
    (:func:`pull_reply` sends it on as it is).
    """
    key = (kind, dialect, by_entity)
    found = _READS.get(key)
    if found is not None:
        return found
    records = _table(Record)
    if kind.startswith("digest"):
        columns = [records.c.entity, records.c.id, records.c.hlc, records.c.payload]
        extra: list[Any] = []
    else:
        columns = [
            records.c.server_seq,
            records.c.entity,
            records.c.id,
            records.c.deleted,
            records.c.hlc,
            records.c.payload,
            records.c.payload_version,
            records.c.overwrote_hlc,
        ]
        extra = [records.c.server_seq > bindparam("cursor", type_=BigInteger)]
        if by_entity:
            extra.append(records.c.entity == bindparam("entity", type_=String))
    source: Any = records
    if dialect == "postgresql":
        source = _scope_arms(columns, extra)
        selected = [source.c[column.name] for column in columns]
        if kind == "pull":
            selected = [cast(c, Text).label(c.name) if c.name == "payload" else c for c in selected]
        query = sa_select(*selected)
    else:
        query = sa_select(*columns).where(_in_scope(), *extra)
    if kind == "digest-first":
        query = query.limit(DIGEST_ROWS_AT_ONCE + 1)
    elif kind == "pull":
        query = query.order_by(source.c.server_seq).limit(bindparam("limit", type_=Integer))
    _READS[key] = query
    return query


def _pull_rows(session: Reading, teacher_id: str, request: PullRequest) -> tuple[list[Any], bool]:
    """Up to ``request.limit`` + 1 rows of the teacher's scope after the cursor, in order,
    and whether their payloads are JSON text (on PostgreSQL: see ``_read``) or decoded."""
    dialect = connection_of(session).dialect.name
    query = _read("pull", dialect, request.entity is not None)
    values: dict[str, Any] = {
        "teacher_id": teacher_id,
        "cursor": request.cursor,
        "limit": request.limit + 1,
    }
    if request.entity is not None:
        values["entity"] = request.entity
    (rows,) = read_together(session, (query, values))
    return rows, dialect == "postgresql"


def _change(row: Any, payload: Any) -> dict[str, Any]:
    """The fields of a ``ServerChange`` from a pull row, with ``payload`` as given."""
    seq, entity, record_id, deleted, hlc, _stored, version, overwrote = row
    return {
        "server_seq": seq,
        "entity": entity,
        "record_id": record_id,
        "op": "delete" if deleted else "upsert",
        "hlc": hlc,
        "payload": payload,
        "payload_version": version,
        "overwrote_hlc": overwrote,
    }


def pull(
    session: Reading, teacher_id: str, request: PullRequest
) -> tuple[list[ServerChange], bool]:
    """Records in the teacher's scope after the cursor, in server sequence order."""
    rows, as_text = _pull_rows(session, teacher_id, request)
    changes = [
        ServerChange(**_change(row, orjson.loads(row[5]) if as_text else row[5]))
        for row in rows[: request.limit]
    ]
    return changes, len(rows) > request.limit


def pull_reply(session: Reading, teacher_id: str, request: PullRequest) -> tuple[bytes, int]:
    """The ``PullPage`` of :func:`pull` as JSON, and how many changes it holds.

    Each payload goes out as the JSON text it is stored as (on PostgreSQL), not decoded
    into Python objects and encoded again, which would be most of a pull's own work.
    Elsewhere the payloads are decoded by the database driver.
    """
    rows, as_text = _pull_rows(session, teacher_id, request)
    page = rows[: request.limit]
    reply = {
        "changes": [_change(row, orjson.Fragment(row[5]) if as_text else row[5]) for row in page],
        "next_cursor": page[-1][0] if page else request.cursor,
        "has_more": len(rows) > request.limit,
        "server_time": utc_now(),
    }
    return orjson.dumps(reply), len(page)


def digests(session: Reading, teacher_id: str) -> list[TableDigest]:
    """Count and hash of every synced table in the teacher's scope (see ``table_digest``).

    A teacher's scope (a few hundred records) is read in one plain query, limited to
    ``DIGEST_ROWS_AT_ONCE`` + 1 rows: a server-side cursor (``yield_per``) would cost
    DECLARE, FETCH and CLOSE round trips on every digest. A scope
    beyond that is read again through the cursor, 2,000 rows at a time, so the
    database driver never holds it whole.
    """
    dialect = connection_of(session).dialect.name
    values = {"teacher_id": teacher_id}
    (found,) = read_together(session, (_read("digest-first", dialect), values))
    if len(found) > DIGEST_ROWS_AT_ONCE:
        del found
        return _streamed_digests(session, _read("digest", dialect), values)
    return _table_digests(found)


def _streamed_digests(session: Reading, query: Any, values: dict[str, str]) -> list[TableDigest]:
    """:func:`digests` of a large scope, through a server-side cursor in a transaction.

    The app reads on a plain connection in autocommit on PostgreSQL (``app.py``); a
    cursor needs a transaction, so that read streams on a session of its own at the
    default isolation. Any other reader streams on its own transaction: on SQLite it
    holds the database's one write lock (``database.py``), and a second connection
    would wait for it until it timed out.
    """
    connection = connection_of(session)
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        with Session(connection.engine) as inner:
            return _streamed_digests(inner, query, values)
    return _table_digests(session.execute(query.execution_options(yield_per=2000), values))


def _table_digests(found: Iterable[Any]) -> list[TableDigest]:
    """The digest of each known table (empty ones too) from (entity, id, hlc, payload) rows."""
    rows: dict[str, list[tuple[str, str]]] = {name: [] for name in sorted(SYNCED_TYPES)}
    for entity, record_id, hlc, payload in found:
        rows.setdefault(entity, []).append((record_id, record_json(dict(payload), hlc)))
    return [table_digest(entity, pairs) for entity, pairs in rows.items()]
