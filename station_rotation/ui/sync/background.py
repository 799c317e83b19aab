"""Sync in the background on the GUI's asyncio loop (qasync), never blocking the window.

One :class:`SyncScheduler` per main window syncs a little after start-up, then every few
minutes, and at once on "Sync now". When the server cannot be reached it backs off (one
minute, doubling up to half an hour) instead of trying every few minutes; when the
server refuses the laptop it waits for a new enrolment. It keeps its own references to
the tasks it starts (asyncio keeps only weak ones) and never runs two syncs at once.

The scheduler needs a running asyncio loop (``ui/app.py`` runs the app under qasync);
without one (a plain Qt event loop) it does nothing. Importing this module costs nothing
beyond Qt: the sync service, httpx and the engine load when the first status is read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from station_rotation.core.events import Changes
from station_rotation.ui.errors import UNEXPECTED

if TYPE_CHECKING:
    from station_rotation.services.app import AppServices
    from station_rotation.services.first_screen import FirstScreen
    from station_rotation.services.sync.service import SyncOutcome, SyncStatus

log = logging.getLogger(__name__)
T = TypeVar("T")

INTERVAL_S = 5 * 60  # between syncs while all is well
FIRST_DELAY_S = 10  # after start-up: let the teacher's first clicks go first
FIRST_STATUS_MS = 1500  # the status line's first read, after the window is usable
OFFLINE_FIRST_RETRY_S = 60
OFFLINE_MAX_RETRY_S = 30 * 60
STATUS_DEBOUNCE_MS = 400  # a burst of edits updates the waiting count once


class SyncScheduler(QObject):
    """Runs ``services.sync`` now and then; tells listeners the status after each change.

    Made when the window is wired, on its :class:`FirstScreen`: the full services (and
    with them sync) are asked for only when a sync or a status read runs.
    """

    status_changed = Signal(object)  # SyncStatus
    sync_finished = Signal(object)  # SyncOutcome
    enrol_failed = Signal(str)  # the error in plain words
    action_failed = Signal(str)  # a choice on the Sync page could not be carried out

    def __init__(
        self,
        services: FirstScreen,
        parent: QObject | None = None,
        *,
        interval_s: float = INTERVAL_S,
        first_delay_s: float = FIRST_DELAY_S,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncScheduler")
        self._first_screen = services
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self.status: SyncStatus | None = None
        self.offline_failures = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sync_task: asyncio.Task[SyncOutcome | None] | None = None
        # A network sync and a USB step both move the outbox and the pull cursor: one at a
        # time, or an old reply's cursor could be written over a newer sync's.
        self._one_at_a_time = asyncio.Lock()
        self._next_sync = QTimer(self)
        self._next_sync.setSingleShot(True)
        self._next_sync.timeout.connect(self.sync_now)
        self._status_soon = QTimer(self)
        self._status_soon.setSingleShot(True)
        self._status_soon.setInterval(STATUS_DEBOUNCE_MS)
        self._status_soon.timeout.connect(self.refresh_status)

    @classmethod
    def of(cls, widget: QWidget, services: FirstScreen) -> SyncScheduler:
        """The window's scheduler (one per main window); made on the widget if none yet."""
        window = widget.window()
        found = window.findChild(SyncScheduler, "syncScheduler")
        if isinstance(found, SyncScheduler):
            return found
        return cls(services, window)

    @property
    def services(self) -> AppServices:
        return self._first_screen.full()

    # --- what callers ask for -------------------------------------------------------

    def start(self) -> None:
        """Read the status soon and sync a little later (call once the window is up)."""
        QTimer.singleShot(FIRST_STATUS_MS, self, self.refresh_status)
        self._next_sync.start(int(self.first_delay_s * 1000))

    def stop(self) -> None:
        """Stop the timers and cancel running work (a cut-off sync resumes next time)."""
        self._next_sync.stop()
        self._status_soon.stop()
        for task in list(self._tasks):
            task.cancel()

    @property
    def syncing(self) -> bool:
        return self._sync_task is not None and not self._sync_task.done()

    def sync_now(self) -> asyncio.Task[SyncOutcome | None] | None:
        """Start a sync unless one runs (then that one is returned); None without a loop."""
        if self.syncing:
            return self._sync_task
        self._next_sync.stop()
        task = self._spawn(self._run_sync())
        self._sync_task = task
        return task

    def enrol(self, address: str, code: str) -> asyncio.Task[bool] | None:
        """Enrol with a code, then sync at once; failures come back on :attr:`enrol_failed`."""
        return self._spawn(self._run_enrol(address, code))

    def leave(self) -> asyncio.Task[None] | None:
        """Disconnect this laptop (after a sync that runs); background sync stops."""
        return self._spawn(self._run_leave())

    def act(
        self, work: Callable[[], object], *, then_sync: bool = False
    ) -> asyncio.Task[bool] | None:
        """Carry out a teacher's choice (a blocking service call) off the GUI thread.

        The status is read again afterwards; ``then_sync`` starts a sync so a new edit
        (a version put back) reaches the other laptops soon. Failures come back on
        :attr:`action_failed` in plain words.
        """
        return self._spawn(self._run_action(work, then_sync))

    def refresh_status(self) -> asyncio.Task[None] | None:
        """Read the status again (off the GUI thread) and emit it."""
        return self._spawn(self._read_status())

    def on_changes(self, changes: Changes) -> None:
        """A record changed somewhere: the waiting count changed; read it (debounced)."""
        if changes.entities:
            self._status_soon.start()

    # --- the work, on the asyncio loop ------------------------------------------------

    async def _run_sync(self) -> SyncOutcome | None:
        service = self.services.sync
        status = await service.read_status()
        if not status.enrolled:
            self._emit(status)
            return None  # nothing to do until the teacher enrols
        from dataclasses import replace

        self._emit(replace(status, syncing=True))
        try:
            async with self._one_at_a_time:
                outcome = await service.sync_now()
        finally:
            self._sync_task = None
        self._schedule_after(outcome)
        self.sync_finished.emit(outcome)
        await self._read_status()
        return outcome

    async def run_alone(self, work: Callable[[], T]) -> T:
        """Run a blocking step that moves sync state (a USB sync file) in a worker thread,
        never while a network sync runs; a sync asked for meanwhile waits for it."""
        async with self._one_at_a_time:
            return await asyncio.to_thread(work)

    async def _run_leave(self) -> None:
        async with self._one_at_a_time:  # a sync under way finishes first
            self._next_sync.stop()
            status = await self.services.sync.leave()
        self.offline_failures = 0
        self._emit(status)

    async def _run_enrol(self, address: str, code: str) -> bool:
        from station_rotation.core.errors import StationRotationError

        try:
            status = await self.services.sync.enrol(address, code)
        except StationRotationError as exc:
            self.enrol_failed.emit(str(exc))
            return False
        self.offline_failures = 0
        self._emit(status)
        self.sync_now()
        return True

    async def _run_action(self, work: Callable[[], object], then_sync: bool) -> bool:
        from station_rotation.core.errors import StationRotationError

        try:
            await asyncio.to_thread(work)
        except StationRotationError as exc:
            self.action_failed.emit(str(exc))
            return False
        except Exception:  # a bug: say so; the write transaction rolled back
            log.exception("sync page action failed")  # the details, for whoever helps her
            self.action_failed.emit(UNEXPECTED)
            return False
        finally:
            await self._read_status()
        if then_sync and self.status is not None and self.status.enrolled:
            self.sync_now()
        return True

    async def _read_status(self) -> None:
        self._emit(await self.services.sync.read_status())

    def _schedule_after(self, outcome: SyncOutcome) -> None:
        if outcome.ok:
            self.offline_failures = 0
            self._next_sync.start(int(self.interval_s * 1000))
        elif outcome.offline:
            delay = min(OFFLINE_FIRST_RETRY_S * 2**self.offline_failures, OFFLINE_MAX_RETRY_S)
            self.offline_failures += 1
            self._next_sync.start(int(delay * 1000))
        elif not outcome.needs_enrolment:  # refused for now: try again in a while
            self._next_sync.start(int(self.interval_s * 1000))

    def _emit(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no qasync loop (a plain Qt event loop): stay idle
            coro.close()
            return None
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background sync work failed", exc_info=task.exception())
