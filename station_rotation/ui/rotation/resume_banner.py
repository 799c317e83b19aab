"""After a restart: "a rotation was running — resume it, or resume it paused?"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from station_rotation.core.rotation.clock import ClockView
from station_rotation.services.rotation import LiveRun
from station_rotation.ui.rotation.cues import describe, format_remaining
from station_rotation.ui.widgets import named


class ResumeBanner(QFrame):
    """Offers the run a restart left going; emits ``chosen(run_id, paused)``."""

    chosen = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "resumeBanner")
        self.setStyleSheet(
            "QFrame#resumeBanner { background: #fff4ce; border: 1px solid #d4a72c;"
            " border-radius: 6px; }"
        )
        self.text_label = named(QLabel(""), "resumeText")
        self.text_label.setWordWrap(True)
        self.resume_button = named(QPushButton("Resume"), "resumeButton")
        self.resume_paused_button = named(QPushButton("Resume paused"), "resumePausedButton")
        self.resume_button.clicked.connect(lambda: self._choose(False))
        self.resume_paused_button.clicked.connect(lambda: self._choose(True))
        layout = QHBoxLayout(self)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.resume_paused_button)
        self._run_id = ""
        self.hide()

    def offer(self, live: LiveRun, view: ClockView) -> None:
        self._run_id = live.run_id
        name = f"“{live.title}”" if live.title else "A rotation"
        state = f"{describe(view)}, {format_remaining(view.remaining)} left"
        self.text_label.setText(
            f"{name} was running when the app closed ({state}; the time since counts)."
        )
        self.show()

    def _choose(self, paused: bool) -> None:
        self.hide()
        self.chosen.emit(self._run_id, paused)
