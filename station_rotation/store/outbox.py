"""The one place that turns a saved record into its outbox (``change_log``) row.

Every write path (ORM transactions, bulk imports, the Core hot path) queues its changes
through :func:`outbox_row`, so a payload is encoded the same way whichever path wrote it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import inspect

from station_rotation.core.ids import new_id
from station_rotation.store.models import SyncedRecord, utc_now

PAYLOAD_VERSION = 1

STAND_IN_ENTITY = "damaged_change"
"""The entity of a stand-in change (no record type has this name)."""

DAMAGED_ON_LAPTOP = (
    "This change was damaged on the laptop (its data file) and was not sent; the laptop "
    "keeps it aside. Nothing else was affected."
)
"""The server's reason for a stand-in (``server/payloads.py``), kept raw like any change."""

UNTRACKED = frozenset({"id", "hlc"})
"""Fields an edit never changes itself (the key, and the stamp every edit gives)."""


def changed_before(record: SyncedRecord) -> dict[str, Any] | None:
    """The fields an edit of a stored ``record`` changed, with their stored values, before
    it is flushed; None for a new record, or when a changed field's old value was never
    loaded (then the edit counts as changing every field)."""
    state = inspect(record)
    if not state.has_identity:
        return None
    before: dict[str, Any] = {}
    for attribute in state.attrs:
        if attribute.key in UNTRACKED:
            continue
        history = attribute.history
        if not history.has_changes():
            continue
        if not history.deleted:
            return None
        old = history.deleted[0]
        if history.added and history.added[0] == old:
            continue  # set again to the value it had
        before[attribute.key] = to_jsonable_python(old)
    return before


def outbox_row(
    record: SyncedRecord, *, entity: str, op: str, before: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The change-log row for ``record`` as just stamped (its ``hlc`` is the change's stamp).

    ``before``: see :func:`changed_before` (None: every field may have changed).
    """
    return {
        "change_id": new_id(),
        "entity": entity,
        "record_id": record.id,
        "op": op,
        "hlc": record.hlc,
        "payload": json.dumps(record.model_dump(mode="json"), sort_keys=True),
        "payload_version": PAYLOAD_VERSION,
        "created_at": utc_now(),
        "before": None if before is None else json.dumps(before, sort_keys=True),
    }
