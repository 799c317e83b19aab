"""How a class's roster (and its teachers) are filtered and ordered, wherever they come from.

The services read the roster through SQLModel; the first screen reads it with plain
``sqlite3`` before SQLAlchemy is imported (``store/first_screen_rows.py``). Both hand their
rows to :func:`arrange` and :func:`teacher_names`, so the two can never list them
differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class NamedStudent(Protocol):
    @property
    def given_name(self) -> str: ...
    @property
    def preferred_name(self) -> str: ...
    @property
    def family_name(self) -> str: ...
    @property
    def identifier(self) -> str: ...


class RosterRow(Protocol):
    @property
    def student(self) -> NamedStudent: ...
    @property
    def archived(self) -> bool: ...


RowT = TypeVar("RowT", bound=RosterRow)


def arrange(rows: Iterable[RowT], *, include_archived: bool, search: str) -> list[RowT]:
    """The rows to show: archived ones only if asked, matching ``search``, by family name
    then first name (case-insensitive)."""
    entries = [row for row in rows if include_archived or not row.archived]
    needle = search.strip().casefold()
    if needle:
        entries = [row for row in entries if needle in _search_text(row.student)]
    entries.sort(
        key=lambda e: (
            e.student.family_name.casefold(),
            (e.student.preferred_name or e.student.given_name).casefold(),
        )
    )
    return entries


def _search_text(student: NamedStudent) -> str:
    return " ".join(
        (student.given_name, student.preferred_name, student.family_name, student.identifier)
    ).casefold()


def teacher_names(rows: Iterable[tuple[str, str, str]]) -> list[str]:
    """A class's teachers from (given name, family name, email) rows: once each, by name.

    A teacher with no name is shown by email; one with neither is left out.
    """
    names = {f"{given} {family}".strip() or email for given, family, email in rows}
    return sorted((name for name in names if name), key=str.casefold)
