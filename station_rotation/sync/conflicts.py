"""Conflict records the teacher can look at: both versions of an overwritten edit.

Written by sync (``remote_apply``) when a merge overwrote a concurrent edit; read and
dismissed from here. Qt-free, so the UI reaches it through a service and tests call it
directly.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from station_rotation.store.database import Store
from station_rotation.store.models import SyncConflict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conflict:
    """Both sides of one conflict: ``kept`` is what the record is now, ``lost`` was overwritten."""

    id: str
    entity: str
    record_id: str
    kept: dict[str, Any]
    kept_hlc: str
    lost: dict[str, Any]
    lost_hlc: str
    detected_at: datetime
    dismissed: bool

    def changed_fields(self) -> list[str]:
        """Fields whose values differ between the two versions (stamps aside)."""
        names = (set(self.kept) | set(self.lost)) - {"hlc"}
        return sorted(n for n in names if self.kept.get(n) != self.lost.get(n))


def _view(row: SyncConflict) -> Conflict:
    return Conflict(
        id=row.id,
        entity=row.entity,
        record_id=row.record_id,
        kept=json.loads(row.kept_payload),
        kept_hlc=row.kept_hlc,
        lost=json.loads(row.lost_payload),
        lost_hlc=row.lost_hlc,
        detected_at=row.detected_at,
        dismissed=row.dismissed,
    )


def list_conflicts(
    store: Store, *, include_dismissed: bool = False, entity: str | None = None
) -> list[Conflict]:
    """Conflicts newest first (undismissed only unless asked); an unreadable row is logged
    and left out."""
    query = select(SyncConflict)
    if not include_dismissed:
        query = query.where(col(SyncConflict.dismissed).is_(False))
    if entity is not None:
        query = query.where(SyncConflict.entity == entity)
    with store.read() as session:
        rows = session.exec(query.order_by(col(SyncConflict.detected_at).desc())).all()
    conflicts = []
    for row in rows:
        try:
            conflicts.append(_view(row))
        except ValueError:  # a row damaged on disk: the others are still worth showing
            log.warning("could not read a conflict record (%s); left out", row.id)
    return conflicts


def dismiss_conflict(store: Store, conflict_id: str) -> bool:
    """The teacher has seen it; returns False when there is no such conflict."""
    with store.write() as tx:
        row = tx.session.get(SyncConflict, conflict_id)
        if row is None:
            return False
        row.dismissed = True
        tx.session.add(row)
        tx.touched.add("sync_conflict")
    return True
