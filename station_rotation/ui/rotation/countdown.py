"""The teacher's own countdown: big digits, the round, and a flash on every cue."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from station_rotation.core.rotation.clock import ClockView, Phase
from station_rotation.ui.rotation.cues import Cue, describe, format_remaining
from station_rotation.ui.widgets import named

FLASH_MS = 1500
_STYLE = """
QFrame#countdownFrame { background: #f4f6f8; border: 1px solid #c9d1d9; border-radius: 10px; }
QFrame#countdownFrame[flash="warning"] { background: #ffd54f; border-color: #b28704; }
QFrame#countdownFrame[flash="change"] { background: #8fd3ff; border-color: #0072b2; }
QLabel#countdownLabel { font-size: 84px; font-weight: 700; color: #1b1f23; }
QLabel#countdownLabel[ending="true"] { color: #c62828; }
QLabel#countdownLabel[paused="true"] { color: #6a737d; }
QLabel#phaseLabel { font-size: 20px; font-weight: 600; color: #24292e; }
QLabel#runTitleLabel { font-size: 14px; color: #586069; }
"""


class CountdownPanel(QFrame):
    """Shows a run's view; turns red in the warning window; flashes on a cue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "countdownFrame")
        self.setStyleSheet(_STYLE)
        self.phase_label = named(QLabel("No rotation running"), "phaseLabel")
        self.time_label = named(QLabel("–:––"), "countdownLabel")
        self.title_label = named(QLabel(""), "runTitleLabel")
        for label in (self.phase_label, self.time_label, self.title_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.time_label, 1)
        layout.addWidget(self.title_label)
        self.warning_seconds = 60.0
        self.flashes: list[Cue] = []  # every flash shown (the tests read it)
        self._unflash = QTimer(self)
        self._unflash.setSingleShot(True)
        self._unflash.timeout.connect(lambda: self._set_style_property(self, "flash", ""))

    def show_view(self, view: ClockView | None, title: str = "") -> None:
        if view is None:
            self.phase_label.setText("No rotation running")
            self.time_label.setText("–:––")
            self.title_label.setText("")
            ending = paused = False
        else:
            self.phase_label.setText(describe(view))
            finished = view.phase is Phase.FINISHED
            self.time_label.setText("Done" if finished else format_remaining(view.remaining))
            self.title_label.setText(title)
            ending = view.phase is Phase.ROUND and view.remaining <= self.warning_seconds
            paused = view.paused
        self._set_style_property(self.time_label, "ending", "true" if ending else "false")
        self._set_style_property(self.time_label, "paused", "true" if paused else "false")

    def flash(self, cue: Cue) -> None:
        """Light the panel up for a moment (the visual half of every chime)."""
        self.flashes.append(cue)
        self._set_style_property(self, "flash", cue.value)
        self._unflash.start(FLASH_MS)

    @property
    def flashing(self) -> str:
        return str(self.property("flash") or "")

    @staticmethod
    def _set_style_property(widget: QWidget, name: str, value: str) -> None:
        if widget.property(name) == value:
            return
        widget.setProperty(name, value)
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
