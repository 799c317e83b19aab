"""The registry of synced record types is the one list the store, the server and the words read."""

from __future__ import annotations

from sqlmodel import SQLModel

from station_rotation.store.models import SYNCED_TABLES, SYNCED_TYPES, SyncedRecord


def test_every_synced_table_is_registered_under_its_table_name() -> None:
    """A table that carries sync stamps but is missing from the registry would never sync."""
    stamped = {
        name
        for name, table in SQLModel.metadata.tables.items()
        if {"id", "hlc", "deleted"} <= set(table.columns.keys())
    }
    assert set(SYNCED_TYPES) == stamped
    for entity, synced in SYNCED_TYPES.items():
        assert synced.entity == entity
        assert issubclass(synced.model, SyncedRecord)
        assert synced.model.__table__.name == entity  # type: ignore[attr-defined]
        assert synced.word.strip() == synced.word != ""
    assert list(SYNCED_TABLES) == list(SYNCED_TYPES)


def test_a_class_is_listed_before_the_records_that_belong_to_it() -> None:
    """Pulls apply types in registry order, so a record's parents arrive before it."""
    order = list(SYNCED_TYPES)
    for entity, synced in SYNCED_TYPES.items():
        for key in synced.model.__table__.foreign_keys:  # type: ignore[attr-defined]
            parent = key.column.table.name
            assert order.index(parent) < order.index(entity), (entity, parent)
