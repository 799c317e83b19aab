"""Errors a teacher can act on.

Every error raised to the UI carries a plain-language message that says what happened
and what to do; the UI shows ``str(error)`` as it is.
"""

from __future__ import annotations


class StationRotationError(Exception):
    """Base class: the message is written for the teacher, not the developer."""


class ValidationError(StationRotationError):
    """Input that cannot be saved as it is (an empty name, a negative capacity...)."""


class NotFoundError(StationRotationError):
    """A record the action refers to no longer exists (deleted on another window)."""


class StoreError(StationRotationError):
    """The local data file cannot be used (corrupt, too new, locked, disk full)."""


class DataFileTooNewError(StoreError):
    """The data file was written by a newer version of the app."""


class DataFileCorruptError(StoreError):
    """The data file is not a readable Station Rotation database."""


class ImportError_(StationRotationError):
    """A roster file that cannot be imported; nothing was written."""
