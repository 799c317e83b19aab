"""Bring the data file to the current schema safely.

Before touching a file we read it with plain ``sqlite3``: a file that is not a SQLite
database, or whose schema revision this version does not know (a newer app wrote it), is
refused with a clear message and left byte-for-byte untouched. A copy of the file is
kept before any migration runs on existing data.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from station_rotation.core.errors import DataFileCorruptError, DataFileTooNewError, StoreError
from station_rotation.store.private_files import private_dir, private_sqlite_file
from station_rotation.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class FileState:
    """What we found in the data file before opening it for real."""

    exists: bool
    revision: str | None  # None: a new or empty file
    has_tables: bool


def inspect_data_file(db_path: Path) -> FileState:
    """Read the stored schema revision without changing the file."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return FileState(exists=db_path.exists(), revision=None, has_tables=False)
    with db_path.open("rb") as fh:
        header = fh.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise DataFileCorruptError(
            f"The data file {db_path} is not a Station Rotation database (it may be damaged "
            "or another program's file). It was left untouched. Restore a backup from the "
            "'backups' folder next to it, or start with another data folder (--data-dir)."
        )
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DataFileCorruptError(
            f"The data file {db_path} is damaged and cannot be read ({exc}). It was left "
            "untouched. Restore a backup from the 'backups' folder next to it."
        ) from exc
    return FileState(exists=True, revision=revision, has_tables=bool(tables))


def backup_before_migration(db_path: Path, from_revision: str | None) -> Path:
    """Copy the database (consistently, through SQLite's backup API) into ``backups/``
    (0700; the copy 0600, see ``private_files.py``)."""
    backup_dir = private_dir(db_path.parent / "backups")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{db_path.stem}-before-{from_revision or 'none'}-{stamp}.sqlite3"
    private_sqlite_file(target)  # a copy of the teacher's data: as private as the original
    source = sqlite3.connect(db_path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade(db_path: Path) -> None:
    """Run Alembic up to the head revision (imports Alembic: only call when needed)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def ensure_schema(db_path: Path) -> Path | None:
    """Make ``db_path`` current. Returns the backup's path when one was taken."""
    state = inspect_data_file(db_path)
    if state.revision == HEAD_REVISION:
        return None
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        raise DataFileTooNewError(
            f"The data file {db_path} was written by a newer version of Station Rotation "
            f"(schema {state.revision}). Install the latest version of the app to open it; "
            "the file was left untouched."
        )
    if state.revision is None and state.has_tables:
        raise DataFileCorruptError(
            f"The data file {db_path} has tables but no schema version, so it is not a "
            "Station Rotation database we can upgrade. It was left untouched."
        )
    # Imported here: the GUI's first paint reads the revision (above) before SQLAlchemy loads.
    from sqlalchemy.exc import OperationalError

    backup = backup_before_migration(db_path, state.revision) if state.has_tables else None
    try:
        upgrade(db_path)
    except (sqlite3.OperationalError, OperationalError) as exc:
        if backup:
            message = (
                f"Could not update the data file {db_path} ({exc}). Your data is safe in "
                f"the backup {backup}."
            )
        else:
            message = f"Could not create the data file {db_path} ({exc})."
        raise StoreError(message) from exc
    return backup
