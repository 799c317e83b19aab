"""A full health check of the data file (``station-rotation check-db``, the self-test)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from station_rotation.paths import DB_FILENAME


def check_integrity(data_dir: Path) -> list[str]:
    """Problems found by ``PRAGMA integrity_check`` and the foreign-key check; [] if healthy."""
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        return [f"There is no data file at {db_path}."]
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else rows
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"Broken reference in table {row[0]} (row {row[1]})" for row in fk]
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"The data file {db_path} cannot be read: {exc}"]
