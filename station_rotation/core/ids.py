"""Typed record ids.

Ids are UUIDs made on the device, so records created on many laptops offline never
collide when they meet on the district server. The one exception is a record the
district's roster names (a class, student, teacher, enrollment or class–teacher link with
a OneRoster ``sourcedId``): its id is derived from the ``sourcedId`` (:func:`roster_id`),
the same on every laptop and on the server, so a teacher's own import and the district's
roster load make one record, not two.
"""

from __future__ import annotations

import uuid
from typing import Literal, NewType

ClassId = NewType("ClassId", str)
StudentId = NewType("StudentId", str)
StationId = NewType("StationId", str)
TargetId = NewType("TargetId", str)
DeviceId = NewType("DeviceId", str)

RosterKind = Literal["class", "student", "teacher", "enrollment", "class_teacher"]

_NAMESPACE = uuid.UUID("6f1b7c2e-3d4a-5b6c-8d9e-0a1b2c3d4e5f")
"""Fixed for good: the district server's stored records carry ids derived with it."""


def new_id() -> str:
    """A fresh random UUID as its canonical 36-character text form."""
    return str(uuid.uuid4())


def stable_id(*parts: str) -> str:
    """A UUID (version 5) that is the same for the same ``parts`` on every machine."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def roster_id(kind: RosterKind, *sourced_ids: str) -> str:
    """The id of a roster record, from its OneRoster ``sourcedId``s.

    ``class``, ``student`` and ``teacher`` take the record's own ``sourcedId``;
    ``enrollment`` the class's and the student's, ``class_teacher`` the class's and the
    teacher's. The laptop's import and the server's ``load-roster`` both call this, so
    they give the same record the same id whichever comes first.
    """
    if not sourced_ids or not all(sourced_ids):
        raise ValueError(f"a {kind} roster id needs its sourcedIds, got {sourced_ids!r}")
    return stable_id(kind, *sourced_ids)
