"""The rotation panel's user settings, declared once with their types and defaults.

Kept in QSettings (per user, not per data folder): they are the teacher's preferences
for the room, not class data, and they never sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QSettings

from station_rotation.ui.rotation.cues import DEFAULT_WARNING_SECONDS

T = TypeVar("T", int, bool, str)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T

    def get(self) -> T:
        # QSettings converts the stored text back to the default's type.
        return cast(T, QSettings().value(self.key, self.default, type(self.default)))

    def set(self, value: T) -> None:
        QSettings().setValue(self.key, value)


WARNING_SECONDS = Setting("rotation/warningSeconds", DEFAULT_WARNING_SECONDS)
"""How long before the end of a round the warning chime and flash come."""
CHIME_VOLUME = Setting("rotation/chimeVolume", 70)
"""Chime volume, 0-100 (perceived loudness)."""
CHIMES_MUTED = Setting("rotation/chimesMuted", False)
"""Silence the chimes; the visual flash always shows."""
FIRST_NAMES = Setting("projector/firstNames", False)
"""Show students' first names on the projector (else group names only)."""
BLANK_STYLE = Setting("projector/blankStyle", "eyes")
"""What a blanked projector shows: "eyes" (a calm "Eyes on me") or "black"."""
BLANK_PAUSES = Setting("projector/blankPauses", False)
"""Pause the clock while the projector is blank (else it runs on, the usual choice)."""
PROJECTOR_SCREEN = Setting("projector/screen", "")
"""The screen the teacher last made the projector full screen on by hand (its name);
the projector opens there while it is connected."""
