"""How blanking the projector behaves: what it shows, and whether the clock pauses.

A teacher who blanks the screen to talk to the class chooses once: a calm "Eyes on me"
or plain black, and the clock running on (the rotation keeps its time) or pausing until
the screen comes back.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from station_rotation.ui.rotation import settings
from station_rotation.ui.widgets import named

STYLES = (("eyes", "“Eyes on me”"), ("black", "Black"))


class BlankSettings(QWidget):
    """Edits the blank settings (saved at once in QSettings)."""

    style_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_picker = named(QComboBox(), "blankStyle")
        for value, words in STYLES:
            self.style_picker.addItem(words, value)
        index = self.style_picker.findData(settings.BLANK_STYLE.get())
        self.style_picker.setCurrentIndex(max(0, index))
        self.style_picker.currentIndexChanged.connect(self._on_style)
        self.pause_box = named(QCheckBox("Pause the clock while blank"), "blankPauses")
        self.pause_box.setChecked(settings.BLANK_PAUSES.get())
        self.pause_box.setToolTip(
            "Off: the rotation keeps its time while the screen is blank. "
            "On: the clock waits until the screen comes back."
        )
        self.pause_box.toggled.connect(settings.BLANK_PAUSES.set)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Bla&nk shows:")
        label.setBuddy(self.style_picker)
        row.addWidget(label)
        row.addWidget(self.style_picker)
        row.addWidget(self.pause_box)
        row.addStretch(1)

    @property
    def blank_style(self) -> str:
        """What the blank shows: "eyes" or "black"."""
        return str(self.style_picker.currentData())

    @property
    def pauses(self) -> bool:
        return self.pause_box.isChecked()

    def _on_style(self, _index: int) -> None:
        settings.BLANK_STYLE.set(self.blank_style)
        self.style_changed.emit(self.blank_style)
