"""The devices connected to the companion, as the teacher's list shows them."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt

from station_rotation.companion.access import DeviceSession, Role
from station_rotation.ui.models.base import AnyIndex, RowTableModel

HEADERS = ("Device", "Who", "Connected since", "")
DEVICE, WHO, SINCE, REMOVE = range(len(HEADERS))
TEACHER = "Teacher's phone"
JOINING = "Joining…"


def who(session: DeviceSession) -> str:
    """The role in the teacher's words: her phone, a student's first name, or joining."""
    if session.role is Role.TEACHER:
        return TEACHER
    if session.role is Role.STUDENT:
        return session.first_name or "A student"
    return JOINING


def since(session: DeviceSession) -> str:
    """The clock time the device connected (sessions keep the wall clock's time)."""
    return time.strftime("%H:%M", time.localtime(session.connected_at))


class DevicesModel(RowTableModel[DeviceSession]):
    """One row per device session; the last column holds the row's Remove button."""

    headers = HEADERS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        session = self.valid_row(index)
        if session is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == DEVICE:
            return session.label
        if column == WHO:
            return who(session)
        if column == SINCE:
            return since(session)
        return None

    def key(self, row: int) -> str:
        """The row's device as ``Access.remove_device`` names it."""
        return self.row_item(row).key
