"""Whether a stored value reads as the app reads it: the one judge of a damaged value.

SQLite keeps whatever bytes a disk error or a bad copy leaves: text that is not UTF-8,
binary data or words in a number column, a JSON document cut short. The app's readers
(SQLAlchemy over ``sqlite3``) fail on such a value with a traceback, and a failed read
stops a whole query, so one damaged row hides every row after it.

Values are read through a connection whose ``text_factory`` is :func:`read_text`, so a
damaged text arrives as :class:`Undecodable` instead of failing the query; then
:meth:`ColumnCheck.problem` says in words what is wrong with it, or ``""``. What a
column must hold comes from the SQLModel tables themselves (their SQLAlchemy types and
``info={"json": True}`` on the columns that hold JSON documents), so a new table or
column is checked without a list to keep up to date. Used by ``check-db``
(``integrity.py``) and by the outbox's reader for a push (``outbox_damage.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    TypeDecorator,
)
from sqlalchemy.dialects import sqlite as sqlite_dialect

_DIALECT = sqlite_dialect.dialect()


class Undecodable(bytes):
    """A stored text whose bytes are not UTF-8 (what a query returns instead of failing)."""


def read_text(raw: bytes) -> str | Undecodable:
    """``text_factory`` for a checking connection: text as ``str``, damaged text marked."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return Undecodable(raw)


def checking_connection(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` set to read damaged text as :class:`Undecodable` (see module doc)."""
    conn.text_factory = read_text
    return conn


def text_problem(value: Undecodable) -> str:
    """Where a damaged text breaks: ``byte 0xff at position 12``."""
    try:
        bytes(value).decode()
    except UnicodeDecodeError as exc:
        return f"byte 0x{value[exc.start]:02x} at position {exc.start}"
    return "no broken byte"  # pragma: no cover - Undecodable is made only on a failure


def json_problem(text: str) -> str:
    """Why ``text`` is not the JSON object the app reads, or ``""``."""
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        return f"is not a readable document ({exc})"
    if not isinstance(parsed, dict):
        return "is not a document of fields"
    return ""


_SOUND: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "integer": (int,),
    "number": (int, float),
    "binary": (bytes,),
}
"""The Python types of a value read as it should be, for the kinds that need no parsing."""


@dataclass(frozen=True)
class ColumnCheck:
    """What one column must hold for the app to read it."""

    name: str
    kind: str  # "text", "json", "integer", "number", "moment", "binary", "any"
    nullable: bool
    parse: Callable[[Any], Any] | None = None
    """The app's own reader of the stored value (a date or time), if it has one."""

    @property
    def sound(self) -> tuple[type, ...]:
        """Types a value of this column may have without a closer look (a fast path: a
        big file's rows are read in a few seconds); empty when every value is parsed."""
        found = _SOUND.get(self.kind, ())
        return (*found, type(None)) if found and self.nullable else found

    def problem(self, value: Any) -> str:
        """Why ``value`` (as a checking connection returns it) cannot be read, or ``""``."""
        if value is None:
            return "" if self.nullable else "is missing"
        if isinstance(value, Undecodable):
            return f"is not valid text ({text_problem(value)})"
        if self.kind in ("text", "json", "moment"):
            if not isinstance(value, str):
                return (
                    "holds binary data, not text"
                    if isinstance(value, bytes)
                    else ("is a number, not text")
                )
            if self.kind == "json":
                return json_problem(value)
            if self.parse is not None:
                try:
                    self.parse(value)
                except (ValueError, TypeError):
                    return "is not a date or time the app can read"
            return ""
        if self.kind == "integer":
            return "" if isinstance(value, int) else "is not a number"
        if self.kind == "number":
            return "" if isinstance(value, int | float) else "is not a number"
        if self.kind == "binary":
            return "" if isinstance(value, bytes) else "is not binary data"
        return ""


def column_check(column: Column[Any]) -> ColumnCheck:
    """The check of one SQLModel column, from its SQLAlchemy type and ``info``.

    SQLModel's own types (``AutoString``, ``UTCDateTime``) are decorators of a plain
    SQLAlchemy type; the kind comes from that type, and a date or time is parsed by the
    decorated type's own reader, as the app reads it.
    """
    declared = column.type
    base = declared.impl_instance if isinstance(declared, TypeDecorator) else declared
    nullable = bool(column.nullable) or (column.primary_key and isinstance(base, Integer))
    if column.info.get("json"):
        return ColumnCheck(column.name, "json", nullable)
    if isinstance(base, DateTime | Date):
        reader = declared.dialect_impl(_DIALECT).result_processor(_DIALECT, None)
        return ColumnCheck(column.name, "moment", nullable, reader)
    for kind, types in _KINDS:
        if isinstance(base, types):
            return ColumnCheck(column.name, kind, nullable)
    return ColumnCheck(column.name, "any", nullable)


_KINDS: tuple[tuple[str, Any], ...] = (
    ("integer", (Boolean, Integer)),
    ("number", Float),
    ("text", String),
    ("binary", LargeBinary),
)
