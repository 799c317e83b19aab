"""The data file is created, upgraded and refused safely."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import cast

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from station_rotation.core.errors import DataFileCorruptError, DataFileTooNewError
from station_rotation.paths import DB_FILENAME
from station_rotation.store.database import Store
from station_rotation.store.migrate import MIGRATIONS_DIR, inspect_data_file
from station_rotation.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_known_revisions_match_the_migration_scripts() -> None:
    """The revision list read at start-up without Alembic equals Alembic's own history."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(history) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD_REVISION


def test_a_new_data_folder_gets_the_current_schema_and_durable_pragmas(data_dir: Path) -> None:
    """First start creates the file at the head revision, in WAL mode, with FKs on."""
    store = Store.open(data_dir)
    try:
        with store.write_engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert cast(int, conn.exec_driver_sql("PRAGMA busy_timeout").scalar()) >= 1000
    finally:
        store.close()
    assert inspect_data_file(data_dir / DB_FILENAME).revision == HEAD_REVISION
    assert store.backup_path is None  # nothing to back up on a brand-new file


def test_a_file_from_a_newer_app_is_refused_and_left_untouched(data_dir: Path) -> None:
    """A schema revision this version does not know means a newer app wrote the file."""
    Store.open(data_dir).close()
    db = data_dir / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = _digest(db)
    with pytest.raises(DataFileTooNewError, match="newer version"):
        Store.open(data_dir)
    assert _digest(db) == before


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text-file", "damaged-sqlite"],
)
def test_a_corrupt_file_is_refused_and_left_untouched(data_dir: Path, content: bytes) -> None:
    """A damaged file gets a clear message and is not 'repaired' into an empty database."""
    db = data_dir / DB_FILENAME
    db.write_bytes(content)
    with pytest.raises(DataFileCorruptError, match="untouched"):
        Store.open(data_dir)
    assert db.read_bytes() == content


def test_each_revision_upgrades_with_data_in_place(data_dir: Path) -> None:
    """From every known revision, data written there survives the upgrade to head."""
    from alembic import command

    from station_rotation.store.migrate import upgrade

    db = data_dir / DB_FILENAME
    for previous in KNOWN_REVISIONS:
        db.unlink(missing_ok=True)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
        command.upgrade(config, previous)
        conn = sqlite3.connect(db)
        conn.execute(
            "INSERT INTO class_section (id, hlc, deleted, name, subject, grade, period,"
            " school_year, archived) VALUES ('c1', '', 0, 'Old class', '', '', '', '', 0)"
        )
        conn.commit()
        conn.close()
        upgrade(db)
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT name FROM class_section").fetchall() == [("Old class",)]
        conn.close()


_EXTRA_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("class_section") as batch:
        batch.add_column(sa.Column("room", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("class_section") as batch:
        batch.drop_column("room")
"""


def test_an_upgrade_keeps_a_backup_of_the_file_before_migrating(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a new app version adds a migration, the old file is copied before it runs."""
    import shutil

    from station_rotation.store import migrate

    Store.open(data_dir).close()
    db = data_dir / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO class_section (id, hlc, deleted, name, subject, grade, period,"
        " school_year, archived) VALUES ('c1', '', 0, 'Kept class', '', '', '', '', 0)"
    )
    conn.commit()
    conn.close()

    newer = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9001_room.py").write_text(_EXTRA_REVISION.format(head=HEAD_REVISION))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", newer)
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9001"))
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9001")

    store = Store.open(data_dir)
    store.close()
    assert store.backup_path is not None and store.backup_path.exists()
    backup = sqlite3.connect(store.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    assert backup.execute("SELECT name FROM class_section").fetchall() == [("Kept class",)]
    backup.close()
    upgraded = sqlite3.connect(db)
    assert upgraded.execute("SELECT name, room FROM class_section").fetchall() == [
        ("Kept class", "")
    ]
    upgraded.close()
