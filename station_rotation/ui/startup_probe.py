"""Measure start-up: report when the main window is first usable, then quit.

With ``STATION_ROTATION_EXIT_AFTER_SHOWN=1`` in the environment the app prints one line,
``station-rotation: usable after 0.812 s``, once the window has painted and the event
loop is free to take input, and then quits. The start-up benchmark and the frozen-build
check use it to time a real start without a person watching a stopwatch. The seconds
are counted from the process's creation where the OS tells us (Linux), else from when
this module was imported; the benchmark also times the line from outside.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "STATION_ROTATION_EXIT_AFTER_SHOWN"
MARKER = "station-rotation: usable after"
_IMPORTED_AT = time.monotonic()


def requested() -> bool:
    """Whether this run should report its start-up time and quit."""
    return os.environ.get(ENV, "") not in ("", "0")


def seconds_since_process_start() -> float:
    """Seconds since the OS created this process (Linux), else since this module loaded."""
    try:
        stat = Path("/proc/self/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _IMPORTED_AT


class _FirstPaint(QObject):
    """Waits for the window's first paint, then lets the event loop turn once and reports."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            self._window.removeEventFilter(self)
            # A zero timer runs once the loop has handled what was queued: usable.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"{MARKER} {seconds_since_process_start():.3f} s", flush=True)
        sys.stdout.flush()
        QApplication.quit()


def install(window: QWidget) -> None:
    """Report and quit once ``window`` is first painted (call before ``show``)."""
    _FirstPaint(window)
