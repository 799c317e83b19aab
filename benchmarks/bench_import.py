"""Roster import of a district: OneRoster, 5,000 students in 200 classes, on a fresh data folder.

Target (TARGETS.md): preview + apply < 5 s. Also timed: a re-import of the same export
(nothing to change), and a floor measured in the same run: raw ``sqlite3`` inserting the
same number of rows plus their outbox rows in one transaction.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.oneroster_gen import write_roster
from station_rotation.services.app import AppServices

STUDENTS = 5000
CLASSES = 200
TARGET_S = 5.0


def raw_floor(folder: Path, rows: int) -> float:
    """One transaction: ``rows`` records and ``rows`` outbox rows with WAL + synchronous=FULL."""
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE rec (id TEXT PRIMARY KEY, name TEXT, source TEXT)")
    conn.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT, payload TEXT)")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    ids = [str(uuid.uuid4()) for _ in range(rows)]
    conn.executemany("INSERT INTO rec VALUES (?, ?, ?)", ((i, "Ava Adams", i) for i in ids))
    conn.executemany("INSERT INTO log (id, payload) VALUES (?, ?)", ((i, "{}" * 80) for i in ids))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        export = write_roster(root / "export", students=STUDENTS, classes=CLASSES)
        services = AppServices.open(root / "data")
        try:
            start = time.perf_counter()
            plan = services.roster_import.preview(export)
            previewed = time.perf_counter()
            summary = services.roster_import.apply(plan)
            applied = time.perf_counter()
            again = services.roster_import.preview(export)
            services.roster_import.apply(again)
            reimported = time.perf_counter()
        finally:
            services.close()
        assert summary.added == STUDENTS * 2 + CLASSES * 3 and again.empty  # + teacher, link
        floor = raw_floor(root, summary.added)
    return {
        "preview": previewed - start,
        "apply": applied - previewed,
        "total": applied - start,
        "reimport": reimported - applied,
        "floor": floor,
        "rows": float(summary.added),
    }


def main() -> str:
    r = run()
    verdict = "meets" if r["total"] < TARGET_S else "**misses**"
    return "\n".join(
        [
            "## Roster import",
            "",
            f"OneRoster 1.1 export, {STUDENTS:,} students in {CLASSES} classes "
            f"({int(r['rows']):,} records + their outbox rows), fresh data folder.",
            "",
            "| step | seconds |",
            "|---|---|",
            f"| raw sqlite3: same row count + outbox rows, one transaction (floor) | "
            f"{r['floor']:.2f} |",
            f"| preview (parse + diff against the store) | {r['preview']:.2f} |",
            f"| apply (one write transaction through the outbox) | {r['apply']:.2f} |",
            f"| **import total** | **{r['total']:.2f}** |",
            f"| re-import of the same export (preview finds nothing; no write) | "
            f"{r['reimport']:.2f} |",
            "",
            f"- Total {r['total']:.2f} s = {r['total'] / TARGET_S:.2f}× the 5 s target: "
            f"{verdict} it; {r['total'] / r['floor']:.0f}× the raw-insert floor.",
        ]
    )


if __name__ == "__main__":
    print(main())
