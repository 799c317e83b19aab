"""Keep CPython 3.11 alive under PySide6 6.12's lost ``None`` references.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void method (``fillRect``,
``lineTo``, ``setX``, ``update``...) without taking a reference to it, so each call
lowers ``None``'s reference count by one for good; after a few thousand calls CPython
aborts with "none_dealloc: deallocating None". A painted page makes thousands of such
calls per repaint. CPython 3.12 made ``None`` immortal (PEP 683), which hides the bug;
on 3.11 we do the same by hand: give ``None`` a reference count no program can use up.
An extra reference to ``None`` is harmless (it is never freed anyway).
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 60


def make_none_immortal() -> None:
    """Raise ``None``'s reference count far out of reach (CPython before 3.12 only)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < HEADROOM:
        count.value += HEADROOM
