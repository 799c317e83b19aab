"""Bytes of a CSV file to rows addressed by column, whatever the exporter's habits.

Real exports come as UTF-8 with or without a BOM or as Windows-1252, with ``,`` or ``;``,
with headers in any case and spacing (``givenName``, ``Given Name``, ``givenname``).
Headers are matched by a normalised key (lower case, letters and digits only). Every
problem is reported with the file, line and column, so the admin can fix the export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from station_rotation.core.errors import ImportError_

_DELIMITERS = ",;\t|"
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def header_key(header: str) -> str:
    """``"Given Name"``, ``"givenName"`` and ``"given_name"`` all become ``"givenname"``."""
    return _NON_ALNUM.sub("", header.strip().lstrip("\ufeff").casefold())


def decode(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), else the detected encoding (Windows-1252...)."""
    if not data.strip():
        raise ImportError_(f"{name} is empty. Export the roster again.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportError_(
            f"{name} is not a text (CSV) file. Export the roster as CSV and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ImportError_(
            f"{name} is not readable text (unknown character encoding). "
            "Save it as CSV UTF-8 and try again."
        )
    return str(best).lstrip("\ufeff")


def sniff_delimiter(text: str) -> str:
    """``,`` unless the header line clearly uses ``;``, tab or ``|``."""
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


@dataclass(frozen=True)
class Row:
    """One data row: values by header key, and where it is in the file."""

    name: str
    line: int
    values: dict[str, str]

    def get(self, *keys: str) -> str:
        """The first non-empty value among these header keys, stripped."""
        for key in keys:
            value = self.values.get(key)
            if value:
                return value.strip()
        return ""

    def where(self, column: str) -> str:
        return f"{self.name}, line {self.line}, column {column!r}"


@dataclass
class Table:
    """A parsed CSV file: its headers as written, their keys, and its rows."""

    name: str
    headers: list[str]
    rows: list[Row]

    @property
    def keys(self) -> list[str]:
        return [header_key(h) for h in self.headers]

    def has(self, *keys: str) -> bool:
        return any(key in self.keys for key in keys)

    def require(self, column: str, *keys: str) -> None:
        """Refuse the file when none of the header spellings of ``column`` is there."""
        if not self.has(*keys):
            raise ImportError_(
                f"{self.name}, line 1: the required column {column!r} is missing (the "
                f"columns are: {', '.join(self.headers) or 'none'}). Export the file again "
                "with that column."
            )

    def column(self, index: int) -> list[str]:
        key = self.keys[index]
        return [row.values.get(key, "") for row in self.rows]


def read_table(data: bytes, name: str) -> Table:
    """Parse a CSV file's bytes; broken quoting and ragged rows are refused with a line."""
    text = decode(data, name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = next(reader, [])
        if not any(h.strip() for h in headers):
            raise ImportError_(f"{name} has no header line. Export the roster again.")
        keys = [header_key(h) for h in headers]
        rows = list(_rows(reader, name, keys, headers))
    except csv.Error as exc:
        raise ImportError_(
            f"{name}, line {reader.line_num}: the CSV is broken ({exc}); usually a quote "
            '(") that is not closed. Fix that line or export the file again.'
        ) from exc
    return Table(name=name, headers=[h.strip().lstrip("\ufeff") for h in headers], rows=rows)


def _rows(
    reader: Iterator[list[str]], name: str, keys: list[str], headers: list[str]
) -> Iterator[Row]:
    width = len(keys)
    line = 1
    for fields in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(f.strip() for f in fields):
            continue  # blank lines are common at the end of exports
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            raise ImportError_(
                f"{name}, line {line}: {len(fields)} values but only {width} columns "
                f"({', '.join(headers)}). A value probably contains the separator without "
                "quotes; fix that line or export the file again."
            )
        yield Row(name, line, dict(zip(keys, fields, strict=False)))
