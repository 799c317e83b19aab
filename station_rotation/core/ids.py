"""Typed record ids.

Ids are UUIDs made on the device, so records created on many laptops offline never
collide when they meet on the district server.
"""

from __future__ import annotations

import uuid
from typing import NewType

ClassId = NewType("ClassId", str)
StudentId = NewType("StudentId", str)
StationId = NewType("StationId", str)
TargetId = NewType("TargetId", str)
DeviceId = NewType("DeviceId", str)


def new_id() -> str:
    """A fresh random UUID as its canonical 36-character text form."""
    return str(uuid.uuid4())
