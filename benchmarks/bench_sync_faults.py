"""Reliability run: sync through the fault proxy 1,000 times (the suite runs 100).

``python -m benchmarks sync_faults`` runs ``tests/sync/test_sync_faults.py`` with
``STATION_ROTATION_SYNC_RUNS`` (default 1000 here) in a child pytest, on a fresh seed
each time unless ``STATION_ROTATION_SYNC_SEED`` is set, and reports what it saw.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(runs: int, seed: int) -> tuple[bool, float, str]:
    env = {
        **os.environ,
        "STATION_ROTATION_SYNC_RUNS": str(runs),
        "STATION_ROTATION_SYNC_SEED": str(seed),
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "tests/sync/test_sync_faults.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seen = re.search(r"^\d+ runs, .*$", done.stdout, re.MULTILINE)
    summary = seen.group(0) if seen else done.stdout[-2000:] + done.stderr[-2000:]
    return done.returncode == 0, time.perf_counter() - started, summary


def main() -> str:
    runs = int(os.environ.get("STATION_ROTATION_SYNC_RUNS", "1000"))
    seed = int(os.environ.get("STATION_ROTATION_SYNC_SEED", str(random.randrange(1 << 30))))
    ok, seconds, summary = run(runs, seed)
    verdict = "0 lost, 0 duplicated, all three converged" if ok else "**FAILED**"
    return (
        "## Sync under faults (reliability run)\n\n"
        f"{runs} randomised runs, seed {seed}, {seconds:.0f} s: {verdict}.\n\n"
        f"`{summary.strip()}`"
    )


if __name__ == "__main__":
    print(main())
