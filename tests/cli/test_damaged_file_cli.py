"""No command ends in a traceback on a damaged data file (issue 21, item 6).

Before: ``check-db`` called a file with invalid UTF-8 in its outbox healthy, and ``sync``
on it ended in a 62-line traceback. Now ``check-db`` names the table and row, ``sync``
sends the rest and says what to do, and a file too damaged to read is refused in words.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from station_rotation.cli.main import main
from station_rotation.paths import DB_FILENAME
from station_rotation.server import admin
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from tests.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]


def _sample(data_dir: Path) -> None:
    services = AppServices.open(data_dir)
    create_sample_class(services, students=3)
    services.close()


def _damage_outbox_row(data_dir: Path, seq: int) -> None:
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.execute(
        "UPDATE change_log SET payload = CAST(? AS TEXT) WHERE seq = ?", (b'{"n": "\xff"}', seq)
    )
    conn.commit()
    conn.close()


def _wreck_table(data_dir: Path, table: str) -> None:
    """Overwrite the first page of ``table``'s b-tree: SQLite itself cannot read it now."""
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(data_dir / DB_FILENAME, "r+b") as file:
        file.seek((page[0] - 1) * size)
        file.write(b"\x07" * size)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_rotation", *args],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_db_names_the_damaged_outbox_row(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sample(data_dir)
    assert main(["--data-dir", str(data_dir), "check-db"]) == 0
    assert capsys.readouterr().out == "The data file is healthy.\n"
    _damage_outbox_row(data_dir, 4)

    assert main(["--data-dir", str(data_dir), "check-db"]) == 1

    out = capsys.readouterr()
    assert "Table change_log, row 4" in out.err and "not valid text" in out.err
    assert "healthy" not in out.out


def test_sync_sends_the_rest_and_says_what_to_do(
    server: LiveServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sample(data_dir)
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    code = admin.issue_code(server.engine, teacher)
    _damage_outbox_row(data_dir, 2)
    argv = ["--data-dir", str(data_dir), "sync", "--server", server.url]

    assert main([*argv, "--enrol", code]) == 0

    out = capsys.readouterr().out
    assert "0 waiting" in out
    assert "1 change on this laptop is damaged and was not sent" in out
    assert main(argv) == 0  # and again, quietly the same
    assert "damaged and was not sent" in capsys.readouterr().out

    # The outbox is readable again; check-db names the change kept aside.
    assert main(["--data-dir", str(data_dir), "check-db"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The data file is healthy.")
    assert "Table damaged_change, row 1: outbox change 2 was damaged (its payload is not" in out


def test_a_file_sqlite_cannot_read_is_refused_in_words(data_dir: Path) -> None:
    """Damage below the rows (a wrecked page): a plain message and the log's place,
    exit status 2, no traceback; check-db says what is wrong."""
    _sample(data_dir)
    _wreck_table(data_dir, "change_log")

    for command in (["classes"], ["sync"], ["sync", "--export-bundle", "x.srsync"]):
        result = _run("--data-dir", str(data_dir), *command)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "data file" in result.stderr and "check-db" in result.stderr
        assert str(data_dir / "logs") in result.stderr
    check = _run("--data-dir", str(data_dir), "check-db")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert "change_log" in check.stderr
