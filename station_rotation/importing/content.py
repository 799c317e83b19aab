"""A plain CSV without a header row: its columns recognised by what they hold.

Some exports start straight with the first student. A first line none of whose cells is
a known header, but which holds an id, an email or a ``Family, Given`` name, is data; each
column is then read by its content: ids, emails, grades, whole names or single names
(the first such column the given name, the next the family name). The preview says so,
and the teacher can change any of it in the column mapping.
"""

from __future__ import annotations

import re

from station_rotation.importing.headers import field_of
from station_rotation.importing.table import Row, Table, header_key

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[A-Za-z]{0,4}[-_]?\d{3,}$")
_GRADE = re.compile(r"^(?:k|kg|pk|tk|0?[0-9]|1[0-3]|(?:grade|year)\s*\d{1,2})$", re.IGNORECASE)
_FAMILY_GIVEN = re.compile(r"^[^\W\d_][^,\d]*,\s*[^\W\d_][^,\d]*$")
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’ .-]*(?:[ '’.-]+[^\W\d_]+)*\.?$")


def looks_headerless(table: Table) -> bool:
    """No cell of the first line is a header we know, and one of them is clearly data."""
    cells = [h for h in table.headers if h.strip()]
    if not cells or any(field_of(h) for h in cells):
        return False
    return any(_EMAIL.match(c) or _ID.match(c) or _FAMILY_GIVEN.match(c) for c in cells)


def without_header(table: Table) -> Table:
    """The table with its first line as data and columns named ``Column 1``, ``Column 2``..."""
    headers = [f"Column {n}" for n in range(1, len(table.headers) + 1)]
    keys = [header_key(h) for h in headers]
    first = Row(table.name, 1, dict(zip(keys, table.headers, strict=False)))
    rows = [first] + [
        Row(r.name, r.line, dict(zip(keys, r.values.values(), strict=False))) for r in table.rows
    ]
    return Table(table.name, headers, rows, table.blank_lines)


def guess_by_content(table: Table) -> dict[str, str]:
    """field -> header for the columns whose values are clearly ids, emails, grades or names."""
    found: dict[str, str] = {}
    names: list[str] = []
    for index, header in enumerate(table.headers):
        values = [v.strip() for v in table.column(index) if v.strip()]
        if not values:
            continue
        kind = _kind(values)
        if kind == "name":
            names.append(header)
        elif kind and kind not in found:
            found[kind] = header
    if "full_name" not in found:
        if len(names) == 1:
            found["full_name"] = names[0]
        elif len(names) >= 2:
            found["given_name"], found["family_name"] = names[0], names[1]
    return found


def _kind(values: list[str]) -> str | None:
    def share(pattern: re.Pattern[str]) -> float:
        return sum(1 for v in values if pattern.match(v)) / len(values)

    if share(_EMAIL) >= 0.8:
        return "email"
    if share(_ID) >= 0.8 and len(set(values)) == len(values):
        return "identifier"
    if share(_GRADE) >= 0.8:
        return "grade"
    if share(_FAMILY_GIVEN) >= 0.8:
        return "full_name"
    if share(_NAME) >= 0.8:
        return "name"
    return None
