"""The Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11 does).

A leak of one reference per Qt call that returns nothing aborts the interpreter with
"none_dealloc" a few thousand calls later: minutes into a running rotation. The check runs
in its own process, as a failure kills the interpreter.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 20_000

PROBE = f"""
import sys
from PySide6.QtCore import QObject
probe = QObject()
before = sys.getrefcount(None)
for _ in range({CALLS}):
    probe.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_qt_calls_keep_none_alive() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"the Qt binding corrupted None: {done.stderr[-400:]}"
    lost = int(done.stdout.strip())
    assert lost < CALLS // 100, f"{lost} references to None lost in {CALLS} Qt calls"
