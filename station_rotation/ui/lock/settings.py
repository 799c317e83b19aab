"""The lock's settings: the PIN's hash, the idle time, and whether the app was left locked.

Kept in QSettings, per user and not per data folder, on purpose: the PIN is the
teacher's (her account on this laptop), not class data, so it never syncs and is not
lost when she opens another data folder; it is there before the services load, so the
lock works from the first paint; and only its salted scrypt hash is stored
(``core/pin.py``), never the PIN.
"""

from __future__ import annotations

from station_rotation.ui.rotation.settings import Setting

PIN_HASH = Setting("lock/pinHash", "")
"""``scrypt$n$r$p$salt$hash`` of the teacher's PIN; empty while she has set none."""
IDLE_MINUTES = Setting("lock/idleMinutes", 5)
"""Lock after this many minutes without keyboard or mouse input; 0 = never."""
LEFT_LOCKED = Setting("lock/leftLocked", False)
"""The app ended while locked (closed by force): it opens locked again."""


def has_pin() -> bool:
    return bool(PIN_HASH.get())
