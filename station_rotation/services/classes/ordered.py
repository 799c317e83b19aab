"""Shared behaviour of a class's ordered lists (stations, learning targets).

Both are per-class records with a ``position``; the teacher reorders them by drag or
keyboard, archives and restores them. One implementation serves both.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, col, select

from station_rotation.core.errors import NotFoundError
from station_rotation.services.classes.sections import load_class
from station_rotation.services.shapes import build
from station_rotation.store.database import Store
from station_rotation.store.models import SyncedRecord


class OrderedRecord(Protocol):
    id: str
    class_id: str
    position: int
    archived: bool
    deleted: bool


RecordT = TypeVar("RecordT", bound=SyncedRecord)


class OrderedListService(Generic[RecordT]):
    """List, create, edit, reorder and archive one kind of ordered per-class record."""

    model: type[RecordT]
    create_shape: type[BaseModel]
    update_shape: type[BaseModel]
    noun: str  # "station", "learning target": used in messages

    def __init__(self, store: Store) -> None:
        self._store = store

    def list_for(self, class_id: str, *, include_archived: bool = False) -> list[RecordT]:
        """The class's records in the teacher's order (archived ones last when included)."""
        with self._store.read() as session:
            rows = self._query(session, class_id)
        if not include_archived:
            rows = [row for row in rows if not _o(row).archived]
        return sorted(rows, key=lambda row: (_o(row).archived, _o(row).position))

    def get(self, record_id: str) -> RecordT:
        with self._store.read() as session:
            return self._load(session, record_id)

    def create(self, class_id: str, **fields: Any) -> RecordT:
        """Add a record at the end of the class's list."""
        shape = build(self.create_shape, **fields)
        with self._store.write() as tx:
            load_class(tx.session, class_id)
            existing = self._query(tx.session, class_id)
            position = max((_o(row).position for row in existing), default=-1) + 1
            model: Any = self.model
            record: RecordT = model(**shape.model_dump(), class_id=class_id, position=position)
            tx.put(record)
            return record

    def update(self, record_id: str, **fields: Any) -> RecordT:
        changes = build(self.update_shape, **fields).model_dump(exclude_unset=True)
        with self._store.write() as tx:
            record = self._load(tx.session, record_id)
            for name, value in changes.items():
                setattr(record, name, value)
            tx.put(record)
            return record

    def set_archived(self, record_id: str, archived: bool) -> RecordT:
        with self._store.write() as tx:
            record = self._load(tx.session, record_id)
            _o(record).archived = archived
            tx.put(record)
            return record

    def move(self, record_id: str, new_index: int) -> list[RecordT]:
        """Move a record to ``new_index`` among the class's active records.

        Positions are renumbered 0..n-1 and only records whose position changed are
        written (each is a synced change).
        """
        with self._store.write() as tx:
            record = self._load(tx.session, record_id)
            active: list[RecordT] = [
                row
                for row in sorted(
                    self._query(tx.session, _o(record).class_id), key=lambda r: _o(r).position
                )
                if not _o(row).archived
            ]
            ids = [row.id for row in active]
            if record_id not in ids:
                raise NotFoundError(f"An archived {self.noun} cannot be moved; restore it first.")
            moving = active.pop(ids.index(record_id))
            active.insert(max(0, min(new_index, len(active))), moving)
            for index, row in enumerate(active):
                if _o(row).position != index:
                    _o(row).position = index
                    tx.put(row)
            return active

    def _query(self, session: Session, class_id: str) -> list[RecordT]:
        table: Any = self.model
        return list(
            session.exec(
                select(self.model).where(table.class_id == class_id, col(table.deleted).is_(False))
            )
        )

    def _load(self, session: Session, record_id: str) -> RecordT:
        record = session.get(self.model, record_id)
        if record is None or record.deleted:
            raise NotFoundError(f"That {self.noun} no longer exists.")
        return record


def _o(record: Any) -> OrderedRecord:
    """View a table row through the ordered-record protocol (for the type checker)."""
    return record  # type: ignore[no-any-return]
