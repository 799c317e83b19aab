"""Run slow work (parsing a roster, a bulk write) off the GUI thread, one job at a time.

Like Anki's task manager: a single worker thread (so database work stays serial), and
the result or the error comes back on the GUI thread through a queued Qt signal. The
callbacks run on the GUI thread; the worker never touches a widget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

T = TypeVar("T")


class BackgroundRunner(QObject):
    """Run callables on one worker thread; deliver their outcome on the GUI thread."""

    busy_changed = Signal(bool)
    _finished = Signal(object, object)  # Future, (on_done, on_error)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-op")
        self._pending = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        executor = self._executor  # not self: the lambda outlives this object's C++ side
        self.destroyed.connect(lambda *_: executor.shutdown(wait=True))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[T]:
        """Start ``work`` on the worker; later call ``on_done(result)`` or ``on_error(exc)``."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        future = self._executor.submit(work)
        future.add_done_callback(lambda f: self._emit(f, (on_done, on_error)))
        return future

    def _emit(self, future: Future[Any], callbacks: tuple[Any, Any]) -> None:
        # RuntimeError: the runner's owner closed meanwhile, so there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            self._finished.emit(future, callbacks)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs. ``wait``: block until the running one ends (do for writes)."""
        self._executor.shutdown(wait=wait, cancel_futures=not wait)

    @Slot(object, object)
    def _deliver(self, future: Future[Any], callbacks: tuple[Any, Any]) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        on_done, on_error = callbacks
        error = future.exception()
        if error is not None:
            on_error(error)
        else:
            on_done(future.result())
