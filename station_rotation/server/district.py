"""District-owned records: their stable ids, their stamps and the fields the district owns.

Shared by the roster load (``roster.py``) and push (``exchange.py``): on a rostered
record the roster's fields are the district's, so the server keeps them whatever a
laptop pushes (docs/sync.md, "Roster fields").
"""

from __future__ import annotations

import uuid
from typing import Any

from station_rotation.core.hlc import HlcStamp, wall_clock_ms

DISTRICT_DEVICE = "district"
SCOPE_EXIT = "scope_exit"
"""A record only its teacher pulls: "this class left your scope; remove it from the laptop"."""

DISTRICT_FIELDS: dict[str, frozenset[str]] = {
    "class_section": frozenset(
        {"name", "subject", "grade", "period", "school_year", "source_id", "archived"}
    ),
    "student": frozenset(
        {"given_name", "family_name", "identifier", "email", "grade", "source_id", "archived"}
    ),
    "teacher": frozenset({"given_name", "family_name", "email", "source_id"}),
    "enrollment": frozenset({"class_id", "student_id", "source_id", "archived"}),
    "class_teacher": frozenset({"class_id", "teacher_id", "source_id"}),
}
"""The roster's fields of each district record: the server wins on these."""

_NAMESPACE = uuid.UUID("6f1b7c2e-3d4a-5b6c-8d9e-0a1b2c3d4e5f")


def district_id(*parts: str) -> str:
    """A stable record id for a roster record (the same on every load)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def district_stamp(after: str = "") -> str:
    """An HLC stamp for a district edit, later than ``after`` (so the district wins)."""
    now = wall_clock_ms()
    if after:
        last = HlcStamp.decode(after)
        if last.wall_ms >= now:
            return HlcStamp(last.wall_ms, last.counter + 1, DISTRICT_DEVICE).encode()
    return HlcStamp(now, 0, DISTRICT_DEVICE).encode()


def with_district_fields(
    entity: str, laptop: dict[str, Any], district: dict[str, Any]
) -> dict[str, Any]:
    """``laptop``'s payload with the district's values for the roster's fields."""
    owned = DISTRICT_FIELDS.get(entity, frozenset())
    return {**laptop, **{k: v for k, v in district.items() if k in owned}}
