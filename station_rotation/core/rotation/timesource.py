"""The time line a rotation runs on, valid across app restarts and laptop sleep.

Within one boot we use a system-wide monotonic clock that keeps counting while the laptop
sleeps (a class keeps working when the lid is closed): ``CLOCK_BOOTTIME`` on Linux,
``CLOCK_MONOTONIC`` on macOS (which includes sleep there), ``time.monotonic`` on Windows
(tick count, includes sleep). Its readings are comparable between processes of the same
boot, so a restarted app resumes to the exact second. After a reboot the monotonic clock
restarts, so we fall back to the wall clock: the best estimate of the time that passed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

_BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
_SAME_BOOT_TOLERANCE = 5.0  # seconds of wall-clock adjustment we still call "same boot"


def monotonic_with_sleep() -> float:
    """Seconds on a system-wide clock that never goes back and counts sleep."""
    if sys.platform.startswith("linux"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    if sys.platform == "darwin":
        return time.clock_gettime(time.CLOCK_MONOTONIC)
    return time.monotonic()


def boot_id() -> str:
    """An id of this boot where the OS offers one (Linux), else ''."""
    try:
        return _BOOT_ID_FILE.read_text().strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class Anchor:
    """Where a run's time line starts, recorded durably when the run starts."""

    wall: float
    mono: float
    boot: str

    @classmethod
    def now(cls) -> Anchor:
        return cls(time.time(), monotonic_with_sleep(), boot_id())


def elapsed_since(anchor: Anchor, current: Anchor) -> float:
    """Seconds from ``anchor`` to ``current`` on the best clock both share."""
    if _same_boot(anchor, current):
        return current.mono - anchor.mono
    return max(0.0, current.wall - anchor.wall)


def _same_boot(a: Anchor, b: Anchor) -> bool:
    if a.boot and b.boot:
        return a.boot == b.boot
    if b.mono < a.mono:
        return False
    return abs((b.wall - b.mono) - (a.wall - a.mono)) < _SAME_BOOT_TOLERANCE
