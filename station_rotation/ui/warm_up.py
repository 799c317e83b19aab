"""Load the full services right after the window's first paint, a piece per loop turn.

The first screen came from plain ``sqlite3`` (``services/first_screen_stand_in.py``).
Right after it is painted, :class:`ServicesWarmUp` imports the data layer and opens the
real services, then has the window read everything again from them (the same data, now
the full models). The imports are split over several turns of the event loop (the longest,
SQLAlchemy's own, ~0.17 s), so the window keeps answering between them instead of
freezing for the whole ~0.5 s. A teacher's action that needs the services before then
loads the rest at once and waits for it (``FirstScreenStandIn``): nothing is lost.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

if TYPE_CHECKING:
    from station_rotation.services.first_screen_stand_in import FirstScreenStandIn
    from station_rotation.ui.main_window import MainWindow

# What opening the real services imports, biggest first, one per turn of the loop.
# (Only the pacing depends on this list: ``FirstScreenStandIn.load`` imports whatever is left.)
DATA_LAYER_STEPS = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "pydantic",
    "sqlmodel",
    "station_rotation.store.models",
    "station_rotation.store.database",
    "station_rotation.services.app",
)
UNPAINTED_START_MS = 1500


class ServicesWarmUp(QObject):
    """Opens ``early``'s real services after ``window``'s first paint; then redraws it."""

    finished = Signal()  # the real services are open and the window shows their models
    failed = Signal(str)  # they could not be opened: the message, in plain words
    _loaded = Signal()

    def __init__(self, early: FirstScreenStandIn, window: MainWindow) -> None:
        super().__init__(window)
        self._early = early
        self._window = window
        self.done = False
        self.error: str | None = None
        self._started = False
        # on_loaded runs on whichever thread needed the services first.
        self._loaded.connect(self._redraw, Qt.ConnectionType.QueuedConnection)
        early.on_loaded = self._loaded.emit
        if early.loaded is not None:  # already needed while the window was built
            self._loaded.emit()
        else:
            window.installEventFilter(self)
            # A window that is never painted (opened minimised) loads them all the same.
            QTimer.singleShot(UNPAINTED_START_MS, self, self._start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._start)  # once the loop has turned
        return False

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._window.removeEventFilter(self)
            self._step(0)

    def _step(self, index: int) -> None:
        if self._early.loaded is not None:
            return
        if index < len(DATA_LAYER_STEPS):
            try:
                # __import__, not importlib.import_module: the same path as an import
                # statement, so ``python -X importtime`` still lists these packages.
                __import__(DATA_LAYER_STEPS[index])
            except Exception:  # load() below meets it again and reports it
                index = len(DATA_LAYER_STEPS) - 1
            # A 1 ms timer, not a zero one: zero timers ran back to back (a 5 ms timer of
            # the window's did not fire between them), so the window got no turn.
            QTimer.singleShot(1, self, partial(self._step, index + 1))
            return
        try:
            self._early.load()
        except Exception as exc:  # the window cannot work without them: say so
            self.error = str(exc)
            self.failed.emit(self.error)

    def _redraw(self) -> None:
        if self.done:
            return
        self._window.reload_classes()
        self.done = True
        self.finished.emit()
