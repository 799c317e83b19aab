"""Moments in time as the app compares them: always timezone-aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """``moment`` made aware: SQLite hands datetimes back naive, and they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
