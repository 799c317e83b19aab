"""The data folder and every file in it are readable by their owner only (POSIX modes).

The data file holds students' names and support notes; the sync token beside it already
was private. On Windows the per-user app-data folder's ACL does the same (docs/privacy.md).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.database import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The usual default (new files 0644, folders 0755), whatever the test runner has."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _modes(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` (itself as ".") with its permission bits."""
    found = {".": _mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = _mode(path)
    return found


def test_a_new_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    """A first start: the folder is 0700, the data file and its WAL and shared memory 0600."""
    data_dir = tmp_path / "Station Rotation"
    services = AppServices.open(data_dir)
    try:
        create_sample_class(services, students=2)  # writes: the WAL and -shm exist now
        modes = _modes(data_dir)
    finally:
        services.close()
    assert f"{DB_FILENAME}-wal" in modes and f"{DB_FILENAME}-shm" in modes
    assert modes == {".": 0o700, **{name: 0o600 for name in modes if name != "."}}


def test_an_old_world_readable_folder_is_made_private_when_opened(tmp_path: Path) -> None:
    """A folder an earlier version left 0755 with a 0644 file, a backup and a log: all fixed."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    Store.open(data_dir).close()
    (data_dir / "backups").mkdir(mode=0o755)
    (data_dir / "backups" / "old.sqlite3").write_bytes(b"")
    (data_dir / "logs").mkdir(mode=0o755)
    (data_dir / "logs" / "station-rotation.log").write_text("x")
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    with Store.open(data_dir) as store:
        with store.write() as tx:
            tx.session.execute(text("SELECT 1"))
        modes = _modes(data_dir)

    dirs = {".", "backups", "logs"}
    assert modes == {name: 0o700 if name in dirs else 0o600 for name in modes}


def test_the_backup_taken_before_a_migration_is_private(tmp_path: Path) -> None:
    """An upgrade copies the teacher's file into backups/: the copy is private too."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = data_dir / DB_FILENAME
    upgrade_to(db, "0004")
    db.chmod(0o644)

    with Store.open(data_dir) as store:
        assert store.backup_path is not None
        assert _mode(store.backup_path) == 0o600
        assert _mode(store.backup_path.parent) == 0o700
    assert _mode(db) == 0o600


def test_the_servers_sqlite_file_is_private(tmp_path: Path) -> None:
    """The district server's own SQLite file (every teacher's data) is 0600, new or old."""
    from tests.live_server import LiveServer

    path = tmp_path / "server.sqlite3"
    live = LiveServer(f"sqlite:///{path}").start()
    try:
        assert _mode(path) == 0o600
        assert all(_mode(p) == 0o600 for p in tmp_path.glob("server.sqlite3*"))
    finally:
        live.stop()
    for old in tmp_path.glob("server.sqlite3*"):
        old.chmod(0o644)
    live = LiveServer(f"sqlite:///{path}").start()
    try:
        assert {p.name: _mode(p) for p in tmp_path.glob("server.sqlite3*")} == {
            p.name: 0o600 for p in tmp_path.glob("server.sqlite3*")
        }
    finally:
        live.stop()


def upgrade_to(db: Path, revision: str) -> None:
    """A data file as an older version of the app left it (schema ``revision``)."""
    from alembic import command
    from alembic.config import Config

    from station_rotation.store.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    config.attributes["configure_logger"] = False
    command.upgrade(config, revision)
    assert sqlite3.connect(db).execute("SELECT version_num FROM alembic_version").fetchone()
