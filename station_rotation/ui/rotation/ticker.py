"""The tick that redraws the countdown: deadline-aligned, never counted.

Each tick asks the run for its exact view (``deadline - now``) and re-arms a single-shot
precise timer for the moment the displayed second changes next. A tick that comes late
shows the right time anyway, and a missed one is simply not there: nothing here
accumulates. The ticker records how late each tick fired, for the benchmark.

It is a QObject owned by the rotation page but independent of its visibility, so the
projector keeps ticking while the teacher works on another page.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from station_rotation.core.rotation.clock import ClockView

# Land just after the second boundary, so the display has already changed when we look.
_AFTER_BOUNDARY = 0.003
_LATENESS_SAMPLES = 100_000

ViewSource = Callable[[], ClockView | None]


class RotationTicker(QObject):
    """Emits :attr:`ticked` with the run's view at every change of the shown second."""

    ticked = Signal(object)  # ClockView

    def __init__(
        self,
        source: ViewSource,
        parent: QObject | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._monotonic = monotonic
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timeout)
        self._due: float | None = None
        self.lateness: deque[float] = deque(maxlen=_LATENESS_SAMPLES)
        """Seconds each timed tick fired after it was due (what the benchmark reports)."""

    @property
    def active(self) -> bool:
        """True while a next tick is armed (the run is going, not paused)."""
        return self._timer.isActive()

    def set_source(self, source: ViewSource) -> None:
        self._source = source

    def tick_now(self) -> ClockView | None:
        """Read the view now, emit it, and arm the next tick (after any command, too)."""
        view = self._source()
        if view is not None:
            self.ticked.emit(view)
        self._arm(view)
        return view

    def stop(self) -> None:
        self._timer.stop()
        self._due = None

    def _on_timeout(self) -> None:
        if self._due is not None:
            self.lateness.append(max(0.0, self._monotonic() - self._due))
            self._due = None
        self.tick_now()

    def _arm(self, view: ClockView | None) -> None:
        self._timer.stop()
        self._due = None
        if view is None or not view.running:
            return  # paused or over: the next command ticks again
        to_boundary = view.remaining - math.floor(view.remaining)
        if to_boundary < 0.001:
            to_boundary += 1.0
        msec = max(1, math.ceil((to_boundary + _AFTER_BOUNDARY) * 1000))
        self._due = self._monotonic() + msec / 1000
        self._timer.start(msec)
