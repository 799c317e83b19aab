"""The chimes: a warning before a round ends and a sound at the change.

Sound is a bonus on top of the visual flash, never instead of it. QtMultimedia is
imported lazily (the first time a run needs a chime, never at app start) and may be
missing (``PySide6-Addons`` not installed, or ``libpulse0`` missing on Linux, which makes
the import fail). With no audio device QSoundEffect neither raises nor hangs, it just
plays nothing, so we ask QMediaDevices first. In every such case :attr:`Chimes.note`
says in plain words that the flash still shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

from station_rotation.paths import resource_path
from station_rotation.ui.rotation import settings
from station_rotation.ui.rotation.cues import Cue

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

SOUND_FILES = {Cue.WARNING: "warning.wav", Cue.CHANGE: "change.wav"}
NO_DEVICE = "No sound device: the flash still shows."
NO_MULTIMEDIA = "Sound is not available on this laptop: the flash still shows."
MUTED = "Chimes are muted: the flash still shows."


class Chimes(QObject):
    """Plays the bundled chimes when it can; says why not when it cannot."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Cue, QSoundEffect] = {}
        self._multimedia_missing = False
        self.note = ""
        """Why the chimes are silent ("" when they can play)."""

    @property
    def can_play(self) -> bool:
        return bool(self._effects)

    def prepare(self) -> bool:
        """Load the sounds if there is a device to play them on; True when they can play.

        Cheap to call again: a device plugged in later (headphones, a projector's HDMI
        audio) is picked up at the next call.
        """
        if self._effects:
            return True
        if self._multimedia_missing:
            return False
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError:
            self._multimedia_missing = True
            self.note = NO_MULTIMEDIA
            return False
        if not QMediaDevices.audioOutputs():
            self.note = NO_DEVICE
            return False
        for cue, name in SOUND_FILES.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", name))))
            self._effects[cue] = effect
        self.note = ""
        return True

    def play(self, cue: Cue) -> bool:
        """Play ``cue``'s sound unless muted or impossible; True if it was started."""
        if settings.CHIMES_MUTED.get() or not self.prepare():
            return False
        effect = self._effects[cue]
        if effect.status() is effect.Status.Error:
            self.note = "The chime could not be played: the flash still shows."
            return False
        effect.setVolume(_linear_volume(settings.CHIME_VOLUME.get()))
        effect.play()
        return True

    def status_text(self) -> str:
        """What the panel says under the sound settings."""
        if settings.CHIMES_MUTED.get():
            return MUTED
        self.prepare()
        return self.note


def _linear_volume(percent: int) -> float:
    """The slider is perceived loudness; QSoundEffect wants a linear amplitude."""
    from PySide6.QtMultimedia import QtAudio

    return float(
        QtAudio.convertVolume(
            max(0, min(100, percent)) / 100,
            QtAudio.VolumeScale.LogarithmicVolumeScale,
            QtAudio.VolumeScale.LinearVolumeScale,
        )
    )
