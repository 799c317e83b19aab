"""Measure start-up: report when the main window is first usable, then quit.

With ``STATION_ROTATION_EXIT_AFTER_SHOWN=1`` in the environment the app prints one line,
``station-rotation: usable after 0.812 s (cpu 0.640 s)``, once the window has painted
with its real content and the event loop has turned once (free to take input), and then
quits. The start-up benchmark and the frozen-build check use it to time a real start
without a person watching a stopwatch. The seconds are counted from the process's
creation where the OS tells us (Linux), else from when this module was imported; the
benchmark also times the line from outside.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

ENV = "STATION_ROTATION_EXIT_AFTER_SHOWN"
MARKER = "station-rotation: usable after"
READY_MARKER = "station-rotation: services ready after"
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


class FirstPaint(QObject):
    """Waits for the window's first paint, then lets the event loop turn once and reports.

    When start-up goes on after the first paint (the full services load right after it,
    ``ui/app.py``), :meth:`wait_for` holds the quit until that work is done too and adds
    a second line, ``station-rotation: services ready after 1.104 s``, so both are timed.
    Each line also gives the process's CPU time so far.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._done = False
        self._reported = False
        self._pending = 0
        self._waited = False
        window.installEventFilter(self)

    def wait_for(self, finished: SignalInstance) -> None:
        """Quit only once ``finished`` has been emitted as well."""
        self._pending += 1
        self._waited = True
        finished.connect(self._release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            self._window.removeEventFilter(self)
            # A zero timer runs once the loop has handled what was queued: usable.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        _print(MARKER)
        self._reported = True
        self._quit_when_all_done()

    def _release(self) -> None:
        self._pending -= 1
        self._quit_when_all_done()

    def _quit_when_all_done(self) -> None:
        if self._reported and self._pending <= 0:
            if self._waited:
                _print(READY_MARKER)
            QApplication.quit()


def _print(marker: str) -> None:
    print(
        f"{marker} {seconds_since_process_start():.3f} s (cpu {time.process_time():.3f} s)",
        flush=True,
    )
    sys.stdout.flush()


def install(window: QWidget) -> FirstPaint:
    """Report and quit once ``window`` is first painted (call before ``show``)."""
    return FirstPaint(window)
