"""The schema revisions this version of the app knows, readable without importing Alembic.

Start-up reads the stored revision with plain ``sqlite3`` and imports Alembic only when a
migration must run (Alembic costs ~0.9 s to import). A test checks these constants against
the migration scripts, so they cannot drift.
"""

from __future__ import annotations

# Oldest first. Append the new revision id here whenever a migration is added.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
)
HEAD_REVISION: str = KNOWN_REVISIONS[-1]
