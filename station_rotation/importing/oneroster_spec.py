"""The columns OneRoster 1.1 and 1.2 CSV make required, file by file, checked before import.

A district export missing a required column (``users.csv`` without ``sourcedId``) or with
a required value left empty is broken: importing what can be read of it would make up ids
and drop enrolments. So the whole export is refused, naming the file, the line, the column
and what to do, before anything is compared with the store.

Headers are matched by their normalised key (``table.header_key``) and the spellings real
exports use (``sourcedid``, ``Given Name``). ``status`` and ``dateLastModified`` are
required only in a file the manifest declares a delta. ``demographics.csv`` is never read
(it is not needed, and it is the most sensitive file), so it is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from station_rotation.core.errors import ImportError_
from station_rotation.importing.source import RosterSource
from station_rotation.importing.table import Table, read_table


@dataclass(frozen=True)
class Column:
    """A required column: its name in the spec and the header keys accepted for it."""

    name: str
    keys: tuple[str, ...]


def _col(name: str, *aliases: str) -> Column:
    return Column(name, (name.casefold(), *aliases))


SOURCED_ID = _col("sourcedId", "id")
_STATUS = (_col("status"), _col("dateLastModified"))

_COMMON: dict[str, tuple[Column, ...]] = {
    "manifest.csv": (_col("propertyName"), _col("value")),
    "orgs.csv": (SOURCED_ID, _col("name"), _col("type")),
    "academicsessions.csv": (
        SOURCED_ID,
        _col("title"),
        _col("type"),
        _col("startDate"),
        _col("endDate"),
        _col("schoolYear"),
    ),
    "courses.csv": (SOURCED_ID, _col("title"), _col("orgSourcedId")),
    "classes.csv": (
        SOURCED_ID,
        _col("title", "name"),
        _col("courseSourcedId"),
        _col("classType"),
        _col("schoolSourcedId"),
        _col("termSourcedIds"),
    ),
    "enrollments.csv": (
        SOURCED_ID,
        _col("classSourcedId", "classid"),
        _col("schoolSourcedId"),
        _col("userSourcedId", "userid"),
        _col("role"),
    ),
}
_USERS_1_1 = (
    SOURCED_ID,
    _col("enabledUser"),
    _col("orgSourcedIds"),
    _col("role"),
    _col("username"),
    _col("givenName", "firstname"),
    _col("familyName", "lastname", "surname"),
)
_USERS_1_2 = (
    SOURCED_ID,
    _col("enabledUser"),
    _col("username"),
    _col("givenName", "firstname"),
    _col("familyName", "lastname", "surname"),
)
_ROLES_1_2 = (
    SOURCED_ID,
    _col("userSourcedId"),
    _col("roleType"),
    _col("role"),
    _col("orgSourcedId"),
)
# The files this import reads (and so checks); a manifest declaring one absent from the
# export is refused too.
CHECKED_FILES = (*_COMMON, "users.csv", "roles.csv")


def required_columns(filename: str, version: str) -> tuple[Column, ...]:
    """The required columns of ``filename`` (lower case) in OneRoster ``version``."""
    v12 = not version.strip().startswith(("1.0", "1.1"))
    if filename == "users.csv":
        return _USERS_1_2 if v12 else _USERS_1_1
    if filename == "roles.csv":
        return _ROLES_1_2
    return _COMMON.get(filename, ())


def check_export(source: RosterSource) -> dict[str, Table]:
    """Every checked file of the export, parsed; refuses a missing column or empty value.

    Returns the parsed tables by lower-case file name, so they are read once.
    """
    tables = {
        name: read_table(source.read(name), _shown(name))
        for name in CHECKED_FILES
        if source.has(name)
    }
    manifest = tables.get("manifest.csv")
    modes: dict[str, str] = {}
    version = "1.2" if "roles.csv" in tables else "1.1"
    if manifest is not None:
        _check_table(manifest, required_columns("manifest.csv", version), delta=False)
        props = {r.get("propertyname").casefold(): r.get("value") for r in manifest.rows}
        version = props.get("oneroster.version", "") or version
        modes = {k[5:]: v.casefold() for k, v in props.items() if k.startswith("file.")}
        _check_declared(source, modes)
    for name, table in tables.items():
        if name == "manifest.csv":
            continue
        delta = modes.get(name.removesuffix(".csv")) == "delta"
        _check_table(table, required_columns(name, version), delta=delta)
    return tables


def _check_declared(source: RosterSource, modes: Mapping[str, str]) -> None:
    """A file the manifest says is in the export (bulk or delta) must be there."""
    for name in CHECKED_FILES:
        stem = name.removesuffix(".csv")
        if modes.get(stem) in ("bulk", "delta") and not source.has(name):
            raise ImportError_(
                f"{source.name}: manifest.csv says {_shown(name)} is in the export "
                f"(file.{_shown(stem)} = {modes[stem]}), but it is not there. The export is "
                "incomplete; export the whole roster again."
            )


def _check_table(table: Table, columns: tuple[Column, ...], *, delta: bool) -> None:
    needed = (*columns, *_STATUS) if delta else columns
    for column in needed:
        table.require(column.name, *column.keys)
    present = [(c, next(k for k in c.keys if k in table.keys)) for c in needed]
    for row in table.rows:
        for column, key in present:
            if not row.values.get(key, "").strip():
                raise ImportError_(
                    f"{row.where(column.name)}: the value is empty, but OneRoster requires "
                    f"it in every line of {table.name}. Nothing was imported; fill it in or "
                    "export the roster again."
                )


_SHOWN = {"academicsessions": "academicSessions"}


def _shown(name: str) -> str:
    """A file's name as the spec spells it (``academicSessions.csv``), for messages."""
    stem, dot, ext = name.partition(".")
    return _SHOWN.get(stem, stem) + dot + ext
