"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

ObjectT = TypeVar("ObjectT", bound=QObject)

ERROR_STYLE = "color: #b00020;"
"""A message that something was not done (not saved, not valid)."""

SYNC_TROUBLE_STYLE = "color: #9a3412;"
"""Sync trouble: worth reading, never alarming (the work is saved on the laptop)."""


def named(obj: ObjectT, name: str) -> ObjectT:
    """Give a widget an object name (tests and style sheets find it by that name)."""
    obj.setObjectName(name)
    return obj
