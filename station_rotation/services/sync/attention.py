"""What sync needs the teacher to look at: overwritten edits and changes the server refused.

Two kinds of item, both kept on this laptop by sync and read (never changed) here:

- **conflict records** (``sync/conflicts.py``): a concurrent edit the merge overwrote.
  The teacher keeps the version the record has now (the conflict is marked seen) or
  puts the other one back, which is a *new* edit — stamped now, queued in the outbox —
  so it wins the merge on every device once it syncs;
- **refused changes** (``remote_apply.needs_attention``): the server acknowledged them
  but would not apply them (a class that is not hers on the server…). The teacher can
  send the laptop's current version again (after her district fixed the cause) or
  dismiss the item; either way the list the sync engine keeps is left alone and the
  dismissed change ids are remembered under their own key.

Qt-free and blocking (small reads and writes): the GUI calls it off its thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.services.sync.words import (
    Edit,
    FieldDifference,
    describe_record,
    differences,
    edit_of,
)
from station_rotation.store.database import Store
from station_rotation.store.models import (
    SYNCED_TABLES,
    DeviceState,
    SyncConflict,
    SyncedRecord,
    utc_now,
)
from station_rotation.sync import remote_apply
from station_rotation.sync.conflicts import Conflict, list_conflicts

log = logging.getLogger(__name__)

DISMISSED_KEY = "sync.attention_dismissed"
"""Refused changes the teacher has dismissed (their change ids, JSON); ours, not sync's."""

GONE = (
    "That record is no longer on this laptop (its class may have left your classes), so "
    "there is nothing to put back. Dismiss this item; the district server keeps a copy."
)

_ADVICE = {
    "This class belongs to another teacher.": (
        "The district server has this class under another teacher. If it is yours, ask your "
        "district to assign it to you, then press Send again."
    ),
    "This change is for a class that is not yours on the server.": (
        "The district server does not list this class as yours. If it is, ask your district "
        "to assign it to you, then press Send again."
    ),
    "This person's record is kept by another teacher's class.": (
        "This student or teacher belongs to another teacher's class on the server. Ask your "
        "district to add them to your class roster, then press Send again."
    ),
    "This record belongs to another class on the server.": (
        "On the server this record is part of another class. Make it again in this class, "
        "or ask your district's help desk."
    ),
}
_UNKNOWN_TYPE_ADVICE = (
    "The district server is older than this app. Ask your district to update it, then "
    "press Send again."
)
_DEFAULT_ADVICE = "Show this to your district's help desk. Your change is kept on this laptop."


@dataclass(frozen=True)
class ConflictItem:
    """A conflict record as the Sync page shows it."""

    id: str
    entity: str
    record_id: str
    what: str  # station “Reading corner” in 6B Maths
    lost: Edit  # the version the merge overwrote
    kept: Edit  # the version the record has now
    differences: tuple[FieldDifference, ...]  # first: lost, second: kept
    detected_at: datetime

    @property
    def can_restore(self) -> bool:
        """The overwritten version can be put back (the district's roster always wins)."""
        return not self.kept.district


@dataclass(frozen=True)
class RefusedItem:
    """A change the server acknowledged but would not apply, with what to do about it."""

    change_id: str
    entity: str
    record_id: str
    what: str
    reason: str
    advice: str


@dataclass(frozen=True)
class Attention:
    """Everything in the Sync page's "Needs your attention" section."""

    conflicts: tuple[ConflictItem, ...] = ()
    refused: tuple[RefusedItem, ...] = ()
    held_back: str | None = None
    """Why the server refused to take the waiting changes at all (outbox kept), if it did."""

    @property
    def count(self) -> int:
        return len(self.conflicts) + len(self.refused) + (1 if self.held_back else 0)


class SyncAttentionService:
    """Reads the items that need the teacher and carries out her choice for each."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reading --------------------------------------------------------------------

    def read(self) -> Attention:
        """The undismissed conflicts (newest first) and refused changes (oldest first)."""
        conflicts = list_conflicts(self.store)
        rejected = remote_apply.needs_attention(self.store)
        with self.store.read() as session:
            dismissed = _dismissed(session)
            return Attention(
                conflicts=tuple(_readable(lambda c: self._conflict_item(session, c), conflicts)),
                refused=tuple(
                    RefusedItem(
                        change_id=item.change_id,
                        entity=item.entity,
                        record_id=item.record_id,
                        what=describe_record(session, item.entity, item.record_id),
                        reason=item.reason,
                        advice=advice_for(item.reason),
                    )
                    for item in rejected
                    if item.change_id not in dismissed
                ),
            )

    def _conflict_item(self, session: Session, conflict: Conflict) -> ConflictItem:
        device = self.store.device_id
        return ConflictItem(
            id=conflict.id,
            entity=conflict.entity,
            record_id=conflict.record_id,
            what=describe_record(session, conflict.entity, conflict.record_id, conflict.kept),
            lost=edit_of(conflict.lost_hlc, device),
            kept=edit_of(conflict.kept_hlc, device),
            differences=tuple(differences(session, conflict.entity, conflict.lost, conflict.kept)),
            detected_at=conflict.detected_at,
        )

    # --- the teacher's choices --------------------------------------------------------

    def keep_current(self, conflict_id: str) -> None:
        """Keep the version the record has now: the conflict is marked seen."""
        with self.store.write() as tx:
            row = _conflict(tx.session, conflict_id)
            row.dismissed = True
            tx.session.add(row)
            tx.touched.add("sync_conflict")

    def restore_overwritten(self, conflict_id: str) -> SyncedRecord:
        """Put the overwritten version back as a new edit, stamped now, that will sync.

        Only the fields the two versions disagree on are set back, so a later edit of
        another field is kept. The conflict is marked seen in the same transaction.
        """
        with self.store.write() as tx:
            row = _conflict(tx.session, conflict_id)
            if edit_of(row.kept_hlc, self.store.device_id).district:
                raise ValidationError(
                    "Your district's roster decides these details, so they cannot be changed "
                    "back here. Ask your district office to correct them at the source."
                )
            model = SYNCED_TABLES.get(row.entity)
            current = tx.session.get(model, row.record_id) if model is not None else None
            if model is None or current is None:
                raise NotFoundError(GONE)
            lost: dict[str, Any] = json.loads(row.lost_payload)
            kept: dict[str, Any] = json.loads(row.kept_payload)
            names = [
                n
                for n in model.model_fields
                if n not in ("id", "hlc") and n in lost and lost.get(n) != kept.get(n)
            ]
            restored = model.model_validate({**current.model_dump(), **{n: lost[n] for n in names}})
            for name in names:
                setattr(current, name, getattr(restored, name))
            if "updated_at" in model.model_fields:
                setattr(current, "updated_at", utc_now())  # noqa: B010 - not every model has it
            record = tx.delete(current) if current.deleted else tx.put(current)
            row.dismissed = True
            tx.session.add(row)
            tx.touched.add("sync_conflict")
        return record

    def send_again(self, change_id: str) -> SyncedRecord:
        """Queue the laptop's current version of a refused change's record once more."""
        item = self._refused(change_id)
        model = SYNCED_TABLES.get(item.entity)
        with self.store.write() as tx:
            current = tx.session.get(model, item.record_id) if model is not None else None
            if current is None:
                raise NotFoundError(
                    "That record is no longer on this laptop, so there is nothing to send "
                    "again. Dismiss this item; the district server keeps a copy of the change."
                )
            record = tx.delete(current) if current.deleted else tx.put(current)
            _add_dismissed(tx.session, change_id)
        return record

    def dismiss_refused(self, change_id: str) -> None:
        """Hide a refused change; the record stays as it is on this laptop."""
        self._refused(change_id)
        with self.store.write() as tx:
            _add_dismissed(tx.session, change_id)

    def _refused(self, change_id: str) -> remote_apply.Rejected:
        for item in remote_apply.needs_attention(self.store):
            if item.change_id == change_id:
                return item
        raise NotFoundError("That refused change is no longer in the list.")


def _readable(
    make: Callable[[Conflict], ConflictItem], conflicts: list[Conflict]
) -> list[ConflictItem]:
    """Each conflict as the page shows it; one whose content cannot be put in words is
    logged and left out rather than hiding every other item."""
    items = []
    for conflict in conflicts:
        try:
            items.append(make(conflict))
        except Exception:
            log.exception("could not read a conflict record (%s); left out", conflict.id)
    return items


def advice_for(reason: str) -> str:
    """What the teacher can do about a refusal, in her words."""
    if reason.startswith("This server does not know records of type"):
        return _UNKNOWN_TYPE_ADVICE
    return _ADVICE.get(reason, _DEFAULT_ADVICE)


def _conflict(session: Session, conflict_id: str) -> SyncConflict:
    row = session.get(SyncConflict, conflict_id)
    if row is None or row.dismissed:
        raise NotFoundError("That conflict has already been dealt with.")
    return row


def _dismissed(session: Session) -> set[str]:
    row = session.get(DeviceState, DISMISSED_KEY)
    return set(json.loads(row.value)) if row is not None else set()


def _add_dismissed(session: Session, change_id: str) -> None:
    """Remember one dismissed change id (inside the caller's write transaction)."""
    dismissed = _dismissed(session)
    dismissed.add(change_id)
    session.merge(DeviceState(key=DISMISSED_KEY, value=json.dumps(sorted(dismissed))))
