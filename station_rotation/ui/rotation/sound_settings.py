"""Chime settings on the panel: mute, volume, how early the warning comes, and a note
saying plainly when no sound can play (the flash always shows)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.rotation import settings
from station_rotation.ui.rotation.chimes import Chimes
from station_rotation.ui.widgets import named


class SoundSettings(QWidget):
    """Edits the chime settings (saved at once in QSettings)."""

    warning_changed = Signal(int)

    def __init__(self, chimes: Chimes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chimes = chimes
        self.mute_box = named(QCheckBox("Mute chimes"), "muteChimes")
        self.mute_box.setChecked(settings.CHIMES_MUTED.get())
        self.mute_box.toggled.connect(self._on_mute)
        self.volume_slider = named(QSlider(Qt.Orientation.Horizontal), "chimeVolume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setFixedWidth(120)
        self.volume_slider.setValue(settings.CHIME_VOLUME.get())
        self.volume_slider.valueChanged.connect(settings.CHIME_VOLUME.set)
        self.volume_slider.setToolTip("Chime volume")
        self.warning_spin = named(QSpinBox(), "warningSeconds")
        self.warning_spin.setRange(0, 600)
        self.warning_spin.setSingleStep(15)
        self.warning_spin.setSuffix(" s")
        self.warning_spin.setSpecialValueText("no warning")
        self.warning_spin.setValue(settings.WARNING_SECONDS.get())
        self.warning_spin.valueChanged.connect(self._on_warning)
        self.note_label = named(QLabel(""), "soundNote")
        self.note_label.setStyleSheet("color: #8a6d00;")

        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Chimes:"))
        layout.addWidget(self.mute_box)
        volume_label = QLabel("&Volume")
        volume_label.setBuddy(self.volume_slider)
        layout.addWidget(volume_label)
        layout.addWidget(self.volume_slider)
        warning_label = QLabel("&Warn")
        warning_label.setBuddy(self.warning_spin)
        layout.addWidget(warning_label)
        layout.addWidget(self.warning_spin)
        layout.addWidget(QLabel("before a round ends"))
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        outer.addWidget(self.note_label)

    def refresh_note(self) -> None:
        """Say whether chimes can sound (checks for a device: call when a run starts)."""
        self.note_label.setText(self._chimes.status_text())

    def _on_mute(self, muted: bool) -> None:
        settings.CHIMES_MUTED.set(muted)
        self.volume_slider.setEnabled(not muted)
        self.refresh_note()

    def _on_warning(self, seconds: int) -> None:
        settings.WARNING_SECONDS.set(seconds)
        self.warning_changed.emit(seconds)
