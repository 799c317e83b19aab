"""The Sync page's words cover every synced record type."""

from __future__ import annotations

from station_rotation.services.sync_words import FIELD_LABELS
from station_rotation.store.models import SYNCED_TYPES


def test_the_sync_page_can_name_the_fields_of_every_synced_type() -> None:
    """A new synced type without field labels would show its conflicts with no fields."""
    assert set(FIELD_LABELS) == set(SYNCED_TYPES)
    for entity, labels in FIELD_LABELS.items():
        fields = set(SYNCED_TYPES[entity].model.model_fields)
        assert set(labels) <= fields, (entity, set(labels) - fields)
