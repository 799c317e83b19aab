"""Turn SQLite's failures into messages a teacher can act on.

A write that fails is rolled back whole, so the message can honestly say that the data
saved before is safe and that this last change was not saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import OperationalError

from station_rotation.core.errors import StoreError


def describe(exc: OperationalError | sqlite3.OperationalError, db_path: Path) -> str:
    """A plain sentence for the SQLite error behind ``exc`` (wrapped by SQLAlchemy or not)."""
    cause = exc.orig if isinstance(exc, OperationalError) else exc
    text = str(cause).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return (
            f"The disk holding {db_path.parent} is full, so this change was not saved. "
            "Everything saved before is safe. Free some space (empty the recycle bin, delete "
            "large downloads) and try again."
        )
    if "locked" in text or "busy" in text:
        return (
            "The data file is busy (another Station Rotation window or an import is writing "
            "to it), so this change was not saved. Try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return (
            f"The data folder {db_path.parent} cannot be written to, so this change was not "
            "saved. Check that the folder is not read-only or on a removed USB stick."
        )
    if "disk i/o error" in text:
        return (
            f"The disk reported an error while saving to {db_path}; this change was not "
            "saved. Everything saved before is safe. Check the disk, then try again."
        )
    return f"This change could not be saved ({cause}). Everything saved before is safe."


@contextmanager
def translate_storage_errors(db_path: Path) -> Iterator[None]:
    """Re-raise SQLite operational failures as :class:`StoreError` with a plain message."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:  # the hot path runs raw
        raise StoreError(describe(exc, db_path)) from exc
