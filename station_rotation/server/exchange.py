"""Push and pull: idempotent apply, scope checks and the HLC merge, on the server.

One push is one database transaction: the device row is locked, each change is checked
against the device's sequence, stored raw, authorised against the teacher's classes and
merged into ``record``; then everything commits together (or nothing does, and the
device simply pushes again).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from station_rotation.server.tables import (
    ClassScope,
    Device,
    ReceivedChange,
    Record,
    RefusedPush,
    SeqCounter,
)
from station_rotation.sync.wire import (
    APPEND_ONLY_ENTITIES,
    Change,
    ChangeResult,
    PullRequest,
    ServerChange,
)

log = logging.getLogger("station_rotation.server")

PERSON_ENTITIES = frozenset({"student", "teacher"})
"""Records with no class of their own: owned by the teacher who first pushed them."""

KNOWN_ENTITIES = frozenset(
    {
        "class_section",
        "student",
        "teacher",
        "enrollment",
        "class_teacher",
        "station",
        "learning_target",
        "quick_check",
        "reflection",
    }
)


def push(session: Session, device: Device, changes: list[Change]) -> tuple[list[ChangeResult], str]:
    """Apply ``changes`` (in device order); return per-change results and a refusal reason."""
    locked = session.exec(select(Device).where(Device.id == device.id).with_for_update()).one()
    results: list[ChangeResult] = []
    refused = ""
    for change in sorted(changes, key=lambda c: c.device_seq):
        seen = session.get(ReceivedChange, change.change_id)
        if seen is not None:
            if _same_laptop(session, seen, locked) and seen.device_seq == change.device_seq:
                results.append(_result(change, "duplicate", seen.reason))
                continue
            refused = (
                "This change was already received under another number. The data file may "
                "be a copy of another laptop's file; ask your district to enrol this laptop "
                "again."
            )
        elif locked.last_seq is not None and change.device_seq <= locked.last_seq:
            refused = (
                "This laptop reused a change number it had already sent. The data file may "
                "be a copy of another laptop's file; ask your district to enrol it again."
            )
        elif locked.last_seq is not None and change.device_seq != locked.last_seq + 1:
            refused = (
                f"Changes {locked.last_seq + 1}..{change.device_seq - 1} from this laptop are "
                "missing, so later ones were not applied. Nothing was lost; ask your district "
                "to look at this laptop's sync."
            )
        if refused:
            session.add(RefusedPush(device_id=locked.id, raw=change.model_dump(), reason=refused))
            log.warning("push refused", extra={"device": locked.id, "seq": change.device_seq})
            break
        status, reason = _apply(session, locked.teacher_id, locked.device_id, change)
        session.add(
            ReceivedChange(
                change_id=change.change_id,
                device_id=locked.id,
                device_seq=change.device_seq,
                entity=change.entity,
                record_id=change.record_id,
                raw=change.model_dump(),
                status=status,
                reason=reason,
            )
        )
        locked.last_seq = change.device_seq
        session.add(locked)
        session.flush()
        results.append(_result(change, status, reason))
    device.last_seq = locked.last_seq
    return results, refused


def _same_laptop(session: Session, seen: ReceivedChange, device: Device) -> bool:
    """Sent by this laptop, under this enrolment or an earlier one (re-enrolled after a loss)."""
    if seen.device_id == device.id:
        return True
    sender = session.get(Device, seen.device_id)
    return sender is not None and sender.device_id == device.device_id


def _result(change: Change, status: Any, reason: str) -> ChangeResult:
    return ChangeResult(
        change_id=change.change_id, device_seq=change.device_seq, status=status, reason=reason
    )


def teacher_classes(session: Session, teacher_id: str) -> set[str]:
    rows = session.exec(select(ClassScope.class_id).where(ClassScope.teacher_id == teacher_id))
    return set(rows)


def _apply(session: Session, teacher_id: str, device_id: str, change: Change) -> tuple[str, str]:
    """Authorise and merge one change; ("applied", "") or ("rejected", plain reason)."""
    if change.entity not in KNOWN_ENTITIES:
        return "rejected", f"This server does not know records of type {change.entity!r}."
    existing = session.get(Record, (change.entity, change.record_id))
    class_id: str | None
    if change.entity == "class_section":
        class_id = change.record_id
        in_scope = session.get(ClassScope, (teacher_id, class_id)) is not None
        if not in_scope:
            if existing is not None:
                return "rejected", "This class belongs to another teacher."
            # A new class the teacher created on their laptop: it becomes theirs.
            session.add(ClassScope(teacher_id=teacher_id, class_id=class_id, source="created"))
            session.flush()
    elif change.entity in PERSON_ENTITIES:
        class_id = None
        if existing is not None and existing.owner_teacher_id != teacher_id:
            return "rejected", "This person's record is kept by another teacher's class."
    else:
        raw_class = change.payload.get("class_id")
        class_id = raw_class if isinstance(raw_class, str) else None
        if class_id is None or session.get(ClassScope, (teacher_id, class_id)) is None:
            return "rejected", "This change is for a class that is not yours on the server."
        if existing is not None and existing.class_id != class_id:
            return "rejected", "This record belongs to another class on the server."
    if existing is not None:
        if change.entity in APPEND_ONLY_ENTITIES or existing.hlc >= change.hlc:
            return "applied", ""  # a fact already kept, or an older edit: the newer one stays
        existing.hlc = change.hlc
        existing.payload = change.payload
        existing.payload_version = change.payload_version
        existing.deleted = change.op == "delete" or bool(change.payload.get("deleted"))
        existing.server_seq = _next_seq(session)
        session.add(existing)
    else:
        session.add(
            Record(
                entity=change.entity,
                id=change.record_id,
                hlc=change.hlc,
                payload=change.payload,
                payload_version=change.payload_version,
                deleted=change.op == "delete" or bool(change.payload.get("deleted")),
                class_id=class_id,
                owner_teacher_id=teacher_id if class_id is None else None,
                server_seq=_next_seq(session),
            )
        )
    session.flush()
    return "applied", ""


def _next_seq(session: Session) -> int:
    """The next server sequence number (row-locked until commit: see ``SeqCounter``)."""
    table: Any = SeqCounter.__table__  # type: ignore[attr-defined]
    value = session.execute(
        update(table)
        .where(table.c.id == 1)
        .values(value=table.c.value + 1)
        .returning(table.c.value)
    ).scalar_one()
    return int(value)


def pull(
    session: Session, teacher_id: str, request: PullRequest
) -> tuple[list[ServerChange], bool]:
    """Records in the teacher's scope after the cursor, in server sequence order."""
    classes = select(ClassScope.class_id).where(ClassScope.teacher_id == teacher_id)
    query = (
        select(Record)
        .where(Record.server_seq > request.cursor)
        .where(
            or_(
                col(Record.class_id).in_(classes),
                col(Record.owner_teacher_id) == teacher_id,
            )
        )
        .order_by(col(Record.server_seq))
        .limit(request.limit + 1)
    )
    rows = list(session.exec(query))
    has_more = len(rows) > request.limit
    changes = [
        ServerChange(
            server_seq=row.server_seq,
            entity=row.entity,
            record_id=row.id,
            op="delete" if row.deleted else "upsert",
            hlc=row.hlc,
            payload=row.payload,
            payload_version=row.payload_version,
        )
        for row in rows[: request.limit]
    ]
    return changes, has_more
