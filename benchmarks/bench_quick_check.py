"""Quick-check save latency, durable, against a raw sqlite3 insert with the same pragmas.

Target (TARGETS.md): p50 ≤ 2× the raw insert measured in the same run, p99 < 5 ms.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

SAVES = 2000


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def raw_floor(folder: Path) -> list[float]:
    """One INSERT + COMMIT per row with WAL and synchronous=FULL: the floor."""
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE qc (id TEXT PRIMARY KEY, student TEXT, target TEXT, score INT)")
    samples = []
    for i in range(SAVES):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO qc VALUES (?, ?, ?, ?)", (str(uuid.uuid4()), "s", "t", i % 4 + 1))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples


def raw_same_rows(folder: Path) -> list[float]:
    """The same quick-check row and outbox row, through raw sqlite3.

    A fairer floor for our design: it pays for the real schema's indexes and the outbox
    but none of SQLAlchemy/pydantic's Python work.
    """
    services = AppServices.open(folder / "raw-same")
    section = create_sample_class(services, students=4)
    student = services.roster.roster(section.id)[0].student.id
    target = services.targets.list_for(section.id)[0].id
    db_path = services.store.db_path
    services.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    samples = []
    for i in range(SAVES):
        start = time.perf_counter()
        row_id = str(uuid.uuid4())
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO quick_check (id, hlc, deleted, class_id, student_id, target_id, score,"
            " absent, note, station_id, run_id, supersedes, observed_at)"
            " VALUES (?, ?, 0, ?, ?, ?, ?, 0, '', NULL, NULL, NULL, ?)",
            (row_id, f"{i:012x}", section.id, student, target, i % 4 + 1, "2026-11-23 10:00:00"),
        )
        conn.execute(
            "INSERT INTO change_log (change_id, entity, record_id, op, hlc, payload,"
            " payload_version, created_at) VALUES (?, 'quick_check', ?, 'upsert', ?, ?, 1, ?)",
            (str(uuid.uuid4()), row_id, f"{i:012x}", '{"score": 1}' * 20, "2026-11-23"),
        )
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples


def app_saves(folder: Path) -> list[float]:
    services = AppServices.open(folder / "app")
    try:
        section = create_sample_class(services)
        students = [e.student.id for e in services.roster.roster(section.id)]
        target = services.targets.list_for(section.id)[0].id
        samples = []
        for i in range(SAVES):
            start = time.perf_counter()
            services.quick_checks.record(
                class_id=section.id,
                student_id=students[i % len(students)],
                target_id=target,
                score=i % 4 + 1,
            )
            samples.append(time.perf_counter() - start)
        return samples
    finally:
        services.close()


def main() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw_floor(folder)  # warm the file system once
        raw = raw_floor(Path(tempfile.mkdtemp(dir=tmp)))
        same = raw_same_rows(folder)
        app = app_saves(folder)
    raw_p50, app_p50 = statistics.median(raw), statistics.median(app)
    raw_p99, app_p99 = _percentile(raw, 0.99), _percentile(app, 0.99)
    same_p50, same_p99 = statistics.median(same), _percentile(same, 0.99)
    ms = 1000.0
    return "\n".join(
        [
            f"## Quick-check save ({SAVES} durable saves)",
            "",
            "| | p50 ms | p99 ms |",
            "|---|---|---|",
            f"| raw sqlite3 insert + commit (floor) | {raw_p50 * ms:.2f} | {raw_p99 * ms:.2f} |",
            f"| raw sqlite3, same rows (check + outbox, real schema) | "
            f"{same_p50 * ms:.2f} | {same_p99 * ms:.2f} |",
            f"| `quick_checks.record` (row + outbox) | {app_p50 * ms:.2f} | {app_p99 * ms:.2f} |",
            "",
            f"p50 ratio to the one-row floor: **{app_p50 / raw_p50:.2f}×** (target ≤ 2×); "
            f"to the same-rows floor: **{app_p50 / same_p50:.2f}×**; "
            f"p99 {app_p99 * ms:.2f} ms (target < 5 ms).",
        ]
    )


if __name__ == "__main__":
    print(main())
