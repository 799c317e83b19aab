"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

ObjectT = TypeVar("ObjectT", bound=QObject)


def named(obj: ObjectT, name: str) -> ObjectT:
    """Give a widget an object name (tests and style sheets find it by that name)."""
    obj.setObjectName(name)
    return obj
