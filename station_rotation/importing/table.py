"""Bytes of a CSV file to rows addressed by column, whatever the exporter's habits.

Real exports come as UTF-8 with or without a BOM, UTF-16 (with its BOM) or Windows-1252,
with ``,``, ``;``, tab or ``|``,
with headers in any case and spacing (``givenName``, ``Given Name``, ``givenname``).
Headers are matched by a normalised key (lower case, letters and digits only). Every
problem is reported with the file, line and column, so the admin can fix the export.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from station_rotation.core.errors import ImportError_

_DELIMITERS = ",;\t|"
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def header_key(header: str) -> str:
    """``"Given Name"``, ``"givenName"`` and ``"given_name"`` all become ``"givenname"``."""
    return _NON_ALNUM.sub("", header.strip().lstrip("\ufeff").casefold())


def decode(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), UTF-16 by its BOM, Windows-1252 when that
    reads as Western names, else the encoding charset-normalizer detects.

    On a short file charset-normalizer often prefers cp1250 to cp1252 (both read most
    accented Latin letters), which turns ``Jalapeño`` into ``Jalapeńo``; a Western
    spreadsheet saved by Excel on Windows is cp1252, so that is tried first, and only
    when every byte it reads differently is a Western letter or punctuation.
    """
    if not data.strip():
        raise ImportError_(f"{name} is empty. Export the roster again.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: let the detector try
    elif b"\x00" in data[:4096]:
        raise ImportError_(
            f"{name} is not a text (CSV) file. Export the roster as CSV and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None and not western.mostly_accented:
        return western.text
    best = from_bytes(data).best()
    if western is not None and (best is None or not _other_alphabet(str(best))):
        return western.text  # names of accented letters only, and no other alphabet fits
    if best is None or best.encoding is None:
        raise ImportError_(
            f"{name} is not readable text (unknown character encoding). "
            "Save it as CSV UTF-8 and try again."
        )
    return str(best).lstrip("\ufeff")


def _other_alphabet(text: str) -> bool:
    """Whether the text's letters are Cyrillic, Greek, Hebrew or Arabic (cp1251, cp1253...)."""
    return any(
        unicodedata.name(c, "").startswith(("CYRILLIC", "GREEK", "HEBREW", "ARABIC"))
        for c in text
        if c.isalpha() and not c.isascii()
    )


@dataclass(frozen=True)
class _Western:
    text: str
    mostly_accented: bool  # as Cyrillic or Greek read as cp1252 would be


# Punctuation Windows-1252 spreadsheets hold beside letters (quotes, dashes, a middle dot).
_WESTERN_MARKS = set("\u2018\u2019\u201c\u201d\u2013\u2014\u00b7\u00b4\u00a0\u00ba\u00aa")


def _as_western(data: bytes) -> _Western | None:
    """The cp1252 text when it reads as Western letters, else None (another encoding).

    Western names are mostly ASCII with a few accented letters; Cyrillic or Greek read
    as cp1252 is mostly accented letters, and Polish or Czech (cp1250) read as cp1252
    brings signs such as ``³`` or ``¹`` inside words.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    others = _NON_ASCII.findall(text)  # in C: a district file may be 10 MB
    letter = ("Lu", "Ll")
    if any(unicodedata.category(c) not in letter and c not in _WESTERN_MARKS for c in set(others)):
        return None
    accented = sum(1 for c in others if c not in _WESTERN_MARKS)
    letters = len(_ASCII_LETTER.findall(text)) + accented
    return _Western(text, bool(letters) and accented / letters > 0.3)


def sniff_delimiter(text: str) -> str:
    """The separator (``,``, ``;``, tab or ``|``) that splits the first lines alike.

    The first lines are read as CSV with each separator; the one that gives every line
    the same number of fields, the most of them, wins (so ``"Last, First";Grade`` is read
    with ``;``). Else the Sniffer's guess on the header line, else the most frequent.
    """
    sample = text[:65536].splitlines()[:10]
    best: tuple[tuple[int, int, int], str] | None = None
    for rank, delimiter in enumerate(_DELIMITERS):
        try:
            widths = {len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)}
        except csv.Error:
            continue
        if len(widths) == 1 and (width := widths.pop()) > 1:
            # A tie: a comma followed by a space is prose ("Lopez, Ana"), not a separator.
            score = (width, -sum(line.count(delimiter + " ") for line in sample), -rank)
            if best is None or score > best[0]:
                best = (score, delimiter)
    if best is not None:
        return best[1]
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first.count(d) for d in _DELIMITERS}
        top = max(counts, key=lambda d: counts[d])
        return top if counts[top] else ","


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
    blank_lines: list[int] = field(default_factory=list)  # skipped: nothing in them

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
        blank_lines: list[int] = []
        rows = list(_rows(reader, name, keys, headers, blank_lines))
    except csv.Error as exc:
        raise ImportError_(
            f"{name}, line {reader.line_num}: the CSV is broken ({exc}); usually a quote "
            '(") that is not closed. Fix that line or export the file again.'
        ) from exc
    clean = [h.strip().lstrip("\ufeff") for h in headers]
    return Table(name=name, headers=clean, rows=rows, blank_lines=blank_lines)


def _rows(
    reader: Iterator[list[str]],
    name: str,
    keys: list[str],
    headers: list[str],
    blank_lines: list[int],
) -> Iterator[Row]:
    width = len(keys)
    line = 1
    for fields in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(f.strip() for f in fields):
            blank_lines.append(line)  # common at the end of exports
            continue
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            raise ImportError_(
                f"{name}, line {line}: {len(fields)} values but only {width} columns "
                f"({', '.join(headers)}). A value probably contains the separator without "
                "quotes; fix that line or export the file again."
            )
        yield Row(name, line, dict(zip(keys, fields, strict=False)))
