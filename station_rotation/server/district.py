"""District-owned records: their stable ids, their stamps and the fields the district owns.

Shared by the roster load (``roster.py``) and push (``exchange.py``): on a rostered
record the roster's fields are the district's, so the server keeps them whatever a
laptop pushes (docs/sync.md, "Roster fields").
"""

from __future__ import annotations

from typing import Any

from station_rotation.core.hlc import DISTRICT_DEVICE, MERGE_DEVICE, HlcStamp, wall_clock_ms
from station_rotation.core.ids import RosterKind, roster_id, stable_id

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


def district_id(*parts: str) -> str:
    """A stable id for a server-made record (a ``scope_exit`` notice): same on every load.

    Roster records take :func:`station_rotation.core.ids.roster_id`, which laptops call too.
    """
    return stable_id(*parts)


_PEOPLE: dict[str, RosterKind] = {"student": "student", "teacher": "teacher"}


def shares_roster_person(
    entity: str,
    record_id: str,
    pushed: dict[str, Any],
    stored: dict[str, Any],
    *,
    already_shared: bool,
) -> bool:
    """Whether a teacher may share a person another teacher pushed first (not yet district).

    Two teachers who import the same roster before the district loads it push the same
    student (or co-teacher) under the same id (:func:`roster_id`). Rejecting the second
    would leave her other laptops unable to pull her enrollments and quick checks (they
    name a person she may not read). She shares the record, as teachers share a district
    person, when it carries its roster id and she pushes the very roster fields it has —
    she has the district's row for that person — or already shares it. Until the district
    loads its roster, when the roster decides who sees whom.
    """
    kind = _PEOPLE.get(entity)
    source_id = stored.get("source_id")
    if kind is None or not isinstance(source_id, str) or not source_id:
        return False
    if record_id != roster_id(kind, source_id):
        return False  # a person a teacher made herself: hers alone
    if already_shared:
        return True
    fields = DISTRICT_FIELDS[entity] - {"archived"}
    return all(pushed.get(name) == stored.get(name) for name in fields)


def district_stamp(after: str = "") -> str:
    """An HLC stamp for a district edit, later than ``after`` (so the district wins)."""
    return _server_stamp(after, DISTRICT_DEVICE)


def merge_stamp(after: str) -> str:
    """A stamp for a record the server merged from several edits, later than ``after``:
    every laptop pulls the merged version, the pushing one included."""
    return _server_stamp(after, MERGE_DEVICE)


def _server_stamp(after: str, device: str) -> str:
    now = wall_clock_ms()
    if after:
        last = HlcStamp.decode(after)
        if last.wall_ms >= now:
            return HlcStamp(last.wall_ms, last.counter + 1, device).encode()
    return HlcStamp(now, 0, device).encode()


def with_district_fields(
    entity: str, laptop: dict[str, Any], district: dict[str, Any]
) -> dict[str, Any]:
    """``laptop``'s payload with the district's values for the roster's fields."""
    owned = DISTRICT_FIELDS.get(entity, frozenset())
    return {**laptop, **{k: v for k, v in district.items() if k in owned}}
