"""The one place that turns a saved record into its outbox (``change_log``) row.

Every write path (ORM transactions, bulk imports, the Core hot path) queues its changes
through :func:`outbox_row`, so a payload is encoded the same way whichever path wrote it.
"""

from __future__ import annotations

import json
from typing import Any

from station_rotation.core.ids import new_id
from station_rotation.store.models import SyncedRecord, utc_now

PAYLOAD_VERSION = 1


def outbox_row(record: SyncedRecord, *, entity: str, op: str) -> dict[str, Any]:
    """The change-log row for ``record`` as just stamped (its ``hlc`` is the change's stamp)."""
    return {
        "change_id": new_id(),
        "entity": entity,
        "record_id": record.id,
        "op": op,
        "hlc": record.hlc,
        "payload": json.dumps(record.model_dump(mode="json"), sort_keys=True),
        "payload_version": PAYLOAD_VERSION,
        "created_at": utc_now(),
    }
