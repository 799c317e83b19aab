"""A write that cannot be completed says why in plain words and loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from station_rotation.core.errors import StoreError
from station_rotation.services.app import AppServices


def test_disk_full_is_reported_plainly_and_earlier_data_is_kept(services: AppServices) -> None:
    """When the disk fills up mid-import, the teacher is told, and saved data is intact."""
    section = services.classes.create_class(name="Math 6")
    services.roster.add_student(section.id, given_name="Ana")

    engine = services.store.write_engine
    engine.dispose()  # new connections pick up the page cap below

    @event.listens_for(engine, "connect")
    def _cap_file_size(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")  # SQLite's own SQLITE_FULL path

    with pytest.raises(StoreError, match=r"disk .* is full"), services.store.write() as tx:
        from station_rotation.store.models import Student

        for i in range(2000):
            tx.put(Student(given_name=f"Student {i}", support_notes="x" * 500))
    event.remove(engine, "connect", _cap_file_size)
    engine.dispose()

    names = [e.student.given_name for e in services.roster.roster(section.id)]
    assert names == ["Ana"]


def test_a_data_folder_that_cannot_be_created_gets_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --data-dir pointing at a file is refused with what to do, not a traceback."""
    from station_rotation.cli.main import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    code = main(["--data-dir", str(blocker / "data"), "classes"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Cannot create the data folder" in err and "--data-dir" in err
