"""``check-db`` reads every row the app would read and names the damaged table and row.

Before: only SQLite's own page checks ran, so a file whose outbox held invalid UTF-8 (a
disk error, a bad copy) was "healthy", and the next sync ended in a traceback.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.integrity import check_integrity
from station_rotation.store.models import SYNCED_TABLES, ChangeLog
from station_rotation.sync import remote_apply


def damage(data_dir: Path, sql: str, raw: bytes) -> None:
    """Write ``raw`` as a text value behind the app's back (what a bad disk sector does)."""
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        conn.execute(sql, (raw,))
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def sample(data_dir: Path) -> Path:
    """A data folder holding the sample class (and its outbox), closed."""
    services = AppServices.open(data_dir)
    create_sample_class(services, students=4)
    services.close()
    return data_dir


def test_a_healthy_file_is_still_healthy(sample: Path) -> None:
    """Reading every row finds nothing in a file the app wrote itself."""
    assert check_integrity(sample) == []


def test_an_outbox_payload_that_is_not_utf8_is_named_by_table_and_row(sample: Path) -> None:
    """Invalid UTF-8 in one outbox row: the table, the row and the byte are named."""
    damage(
        sample,
        "UPDATE change_log SET payload = CAST(? AS TEXT) WHERE seq = 5",
        b'{"name": "Reading\xff corner"}',
    )

    [problem] = check_integrity(sample)

    assert problem.startswith("Table change_log, row 5")
    assert "payload is not valid text (byte 0xff at position 17)" in problem


def test_an_outbox_payload_that_is_not_json_is_named(sample: Path) -> None:
    """Readable text that is not the JSON document the app reads: named too."""
    damage(sample, "UPDATE change_log SET before = CAST(? AS TEXT) WHERE seq = 3", b'{"name": "x')

    [problem] = check_integrity(sample)

    assert problem.startswith("Table change_log, row 3")
    assert "before is not a readable document" in problem


def test_damage_in_a_record_table_names_the_record(sample: Path) -> None:
    """A student's name with a broken byte, a station's number that is text: both named."""
    conn = sqlite3.connect(sample / DB_FILENAME)
    student_id, station_id = (
        conn.execute("SELECT id FROM student ORDER BY id LIMIT 1").fetchone()[0],
        conn.execute("SELECT id FROM station ORDER BY id LIMIT 1").fetchone()[0],
    )
    conn.close()
    damage(
        sample,
        f"UPDATE student SET given_name = CAST(? AS TEXT) WHERE id = '{student_id}'",
        b"\xc3(",
    )
    damage(
        sample, f"UPDATE station SET capacity = CAST(? AS TEXT) WHERE id = '{station_id}'", b"many"
    )

    problems = check_integrity(sample)

    assert any(
        p.startswith(f"Table station, row {station_id}") and "capacity is not a number" in p
        for p in problems
    ), problems
    assert any(
        p.startswith(f"Table student, row {student_id}") and "given_name is not valid text" in p
        for p in problems
    ), problems
    assert len(problems) == 2


def _app_reads_everything(data_dir: Path) -> None:
    """What the app reads of a file: every synced table through its models, the outbox as a
    push reads it (payloads and ``before`` parsed), the device state."""
    services = AppServices.open(data_dir)
    try:
        entry: ChangeLog | remote_apply.OutboxEntry
        with services.store.read() as session:
            for model in SYNCED_TABLES.values():
                list(session.exec(select(model)))
            for entry in session.exec(select(ChangeLog)):
                json.loads(entry.payload)
                if entry.before is not None:
                    json.loads(entry.before)
        for entry in remote_apply.pending(services.store, 10_000, after=0):
            assert isinstance(entry.payload, dict)
    finally:
        services.close()


def test_random_damage_is_found_or_harmless(sample: Path, tmp_path: Path) -> None:
    """20 random 64-byte corruptions (a fixed seed): whenever check-db calls a copy
    healthy, the app reads every row of it; and check-db itself never fails."""
    original = (sample / DB_FILENAME).read_bytes()
    rng = random.Random(21)
    healthy = 0
    for attempt in range(20):
        folder = tmp_path / f"copy{attempt}"
        folder.mkdir()
        data = bytearray(original)
        start = rng.randrange(4096, len(data) - 64)  # the header page kept: still SQLite
        data[start : start + 64] = rng.randbytes(64)
        (folder / DB_FILENAME).write_bytes(bytes(data))
        problems = check_integrity(folder)
        if not problems:
            healthy += 1
            _app_reads_everything(folder)
        shutil.rmtree(folder)
    assert healthy < 20  # the seed does damage something that matters
