"""The few words the status line and the Sync page use for the sync status."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTime

from station_rotation.core.words import counted

if TYPE_CHECKING:
    from station_rotation.services.sync.service import SyncStatus


def waiting_text(count: int) -> str:
    if count == 0:
        return "everything sent"
    return f"{counted(count, 'change')} waiting"


def when_text(moment: datetime, now: datetime | None = None, *, today_word: bool = False) -> str:
    """``10:42`` today (``today 10:42``), ``yesterday 16:05``, else ``Mon 23 Nov 10:42``."""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    clock = QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
    days = (today - local.date()).days
    if days == 0:
        return f"today {clock}" if today_word else clock
    if days == 1:
        return f"yesterday {clock}"
    return f"{local:%a %d %b} {clock}"


def status_line_text(status: SyncStatus | None, now: datetime | None = None) -> str:
    """One line for the main window's status bar ("" before the first read)."""
    if status is None:
        return ""
    if not status.enrolled:
        return "District sync: not set up"
    waiting = waiting_text(status.waiting)
    if status.syncing:
        text = f"Syncing… · {waiting}"
    elif status.needs_enrolment:
        text = f"Sync stopped — this laptop needs a new enrolment code · {waiting}"
    elif status.offline:
        text = (
            f"Offline — {counted(status.waiting, 'change')} waiting, nothing is lost"
            if status.waiting
            else "Offline — nothing is waiting"
        )
    elif status.last_error:
        text = f"Sync failed — see the Sync page · {waiting}"
    elif status.last_synced is not None:
        text = f"Synced {when_text(status.last_synced, now)} · {waiting}"
    else:
        text = f"Not synced yet · {waiting}"
    count = status.attention.count
    if count:
        text += f" · {count} need{'s' if count == 1 else ''} attention"
    return text
