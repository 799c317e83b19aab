"""Notice when no one has used the app for a while: an application-wide event filter.

Every keyboard, mouse, wheel or touch event to any of the app's windows notes the time;
one single-shot timer is armed for the idle deadline and, when it fires, re-arms for
what is left if there was input meanwhile. No polling, and no timer restarted on every
mouse move (the projector's ticks share this thread).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatch(QObject):
    """Emits :attr:`idle` once ``interval_ms`` pass without input (while started)."""

    idle = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._monotonic = monotonic
        self._last_input = monotonic()
        self.interval_ms = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, interval_ms: int) -> None:
        """Watch from now; 0 or less stops watching."""
        self.interval_ms = interval_ms
        self._last_input = self._monotonic()
        self._timer.stop()
        if interval_ms > 0:
            self._timer.start(interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self._last_input = self._monotonic()
        return False

    def _on_timeout(self) -> None:
        quiet_ms = (self._monotonic() - self._last_input) * 1000
        if quiet_ms + 1 >= self.interval_ms:
            self.idle.emit()
        else:
            self._timer.start(max(1, round(self.interval_ms - quiet_ms)))
