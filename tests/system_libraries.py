"""Optional system libraries some tests need, checked once, so a bare machine skips them.

The README's test command must pass on a fresh machine. QtMultimedia (the chimes) links
the PulseAudio client library on Linux, which a desktop has but a bare Debian image does
not: without it ``import PySide6.QtMultimedia`` fails. Tests that play or probe sound are
marked ``needs_sound_library`` and skip with the package to install; the app itself then
falls back to the visual flash, which tests/ui/test_rotation_cues.py checks either way.
(`.ci/run` installs libpulse0, so CI always runs them.)
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

PULSE_PACKAGE = "libpulse0"


def _load_qt_multimedia() -> object:
    return importlib.import_module("PySide6.QtMultimedia")


def sound_library_problem(load: Callable[[], object] = _load_qt_multimedia) -> str | None:
    """Why QtMultimedia cannot load here, naming what to install; None when it loads."""
    try:
        load()
    except ModuleNotFoundError as exc:
        return f"QtMultimedia is not installed (pip install PySide6-Addons): {exc}"
    except ImportError as exc:
        if "libpulse" in str(exc):
            return (
                "QtMultimedia cannot load without the PulseAudio client library "
                f"(Debian/Ubuntu: apt-get install {PULSE_PACKAGE}): {exc}"
            )
        return f"QtMultimedia cannot load here: {exc}"
    return None


@functools.cache
def sound_library_problem_here() -> str | None:
    """:func:`sound_library_problem` on this machine, decided once per test session."""
    return sound_library_problem()
