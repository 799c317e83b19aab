"""Tolerant readers for the values exporters write in many ways (booleans, dates, status)."""

from __future__ import annotations

from datetime import date, datetime

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y")


def parse_date(value: str) -> date | None:
    """A date in ISO (with or without a time), US or European form; None if unreadable."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def is_deleted(status: str) -> bool:
    """OneRoster ``status``: ``tobedeleted`` (any case or spacing) means the record left."""
    return status.strip().casefold().replace(" ", "").replace("_", "") in {
        "tobedeleted",
        "deleted",
        "inactive",
    }


def school_year_of(start: date) -> str:
    """ "2026-27" for a session starting on 2026-08-20 (school years start after June)."""
    first = start.year if start.month >= 7 else start.year - 1
    return f"{first}-{(first + 1) % 100:02d}"
