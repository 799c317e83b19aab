"""Switch the companion on and off, follow the page's run, and carry its news to the GUI.

The rotation page owns one :class:`CompanionController`. Switched on, it makes the
companion's :class:`Access` (with this data folder's personal-code key), its
:class:`Classroom` over the real services, and a :class:`CompanionServer` on the address
the teacher chose. Starting and stopping the server happen on one worker thread of their
own, in the order asked (the first start imports the web stack, and a stop waits for
the devices' streams to close): the GUI thread never waits on the network. What the
companion reports from the web thread (a device paired or left, "blank the projector")
arrives here through queued signals, on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from station_rotation.companion.access import Access
from station_rotation.companion.classroom import Classroom, Refused
from station_rotation.companion.server import DEFAULT_PORT, CompanionError, CompanionServer
from station_rotation.companion.views import CheckInRequest
from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.projector.join_band import JoinCard

log = logging.getLogger(__name__)


class CompanionController(QObject):
    """The companion's life on the laptop: on, off, the network, the run it follows."""

    changed = Signal()  # codes, devices, serving state: the panel re-reads
    blank_requested = Signal(bool)  # a teacher's phone asked to blank (True) or not
    _news = Signal()  # from any thread: something in the classroom changed
    _blank_news = Signal(bool)  # from the web thread: the phone's blank
    _served = Signal(int, object, str)  # (attempt, server or None, error), from the worker

    def __init__(
        self, first_screen: FirstScreen, parent: QObject | None = None, *, port: int = DEFAULT_PORT
    ) -> None:
        super().__init__(parent)
        self._first_screen = first_screen
        self.port = port
        self.classroom: Classroom | None = None
        self.server: CompanionServer | None = None
        self.host: str | None = None
        self.error = ""
        self.starting = False
        self.show_join = False  # the join code on the projector (off until the teacher asks)
        self.last_stop_seconds = 0.0
        self._attempt = 0  # each start asked for; only the latest one's server is kept
        self._following: tuple[str | None, str | None] = (None, None)
        self._pending = threading.Event()  # a _news is on its way (coalesce bursts)
        self._unlisten: Callable[[], None] = lambda: None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-control")
        self._jobs: list[Future[None]] = []
        queued = Qt.ConnectionType.QueuedConnection
        self._news.connect(self._on_news, queued)
        self._blank_news.connect(self.blank_requested, queued)
        self._served.connect(self._on_served, queued)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- state --------------------------------------------------------------------

    @property
    def on(self) -> bool:
        return self.classroom is not None

    @property
    def serving(self) -> bool:
        return self.server is not None

    @property
    def access(self) -> Access | None:
        return self.classroom.access if self.classroom is not None else None

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else ""

    def pair_url(self) -> str:
        """What the pairing QR code holds (laptop screen only, never the projector)."""
        if self.server is None or self.classroom is None:
            return ""
        return f"{self.server.url}/#pair={self.classroom.access.pair_secret}"

    def join_card(self) -> JoinCard | None:
        """The class's join code for the projector, when serving a run."""
        access = self.access
        if self.server is None or access is None or not access.join_code:
            return None
        url = self.server.url
        return JoinCard(f"{url}/#join={access.join_secret}", access.join_code, url)

    def projector_join(self) -> JoinCard | None:
        """The join card if the teacher asked for it on the projector, else None."""
        return self.join_card() if self.show_join else None

    # --- switching ----------------------------------------------------------------

    def switch_on(self, host: str) -> None:
        """Make the classroom (on the real services) and serve it on ``host``."""
        if self.classroom is None:
            services = self._first_screen.full()
            access = Access.for_data_folder(services.store.data_dir)
            classroom = Classroom(services, access)
            classroom.on_blank = self._blank_news.emit  # the web thread: queued to the GUI
            self._unlisten = classroom.listen(self._on_classroom_changed)
            classroom.follow(*self._following)
            self.classroom = classroom
        self.use_network(host)

    def use_network(self, host: str) -> None:
        """Serve on ``host`` (the one before stops first)."""
        classroom = self.classroom
        if classroom is None:
            return
        self.host = host
        self.error = ""
        self.starting = True
        old, self.server = self.server, None
        self._attempt += 1
        attempt = self._attempt
        self._submit(lambda: self._restart(attempt, classroom, old, host))
        self.changed.emit()

    def switch_off(self) -> None:
        """Stop serving; every device's session ends (the server stops off this thread)."""
        classroom, server = self.classroom, self.server
        if classroom is None:
            return
        self._unlisten()
        self._unlisten = lambda: None
        classroom.on_blank = lambda _on: None
        self.classroom = self.server = None
        self._attempt += 1
        self.host = None
        self.error = ""
        self.starting = False
        self.show_join = False
        self._submit(lambda: self._stop(server, classroom))
        self.changed.emit()

    def wait_idle(self, timeout: float = 15.0) -> None:
        """Block until every start and stop asked so far is done (tests, app exit)."""
        for job in list(self._jobs):
            job.result(timeout)
        self._jobs = [job for job in self._jobs if not job.done()]

    @Slot()
    def shutdown(self) -> None:
        """The app is quitting: stop now and wait (a few seconds at most)."""
        self.switch_off()
        try:
            self.wait_idle()
        finally:
            self._worker.shutdown(wait=False)

    def _submit(self, job: Callable[[], None]) -> None:
        self._jobs = [j for j in self._jobs if not j.done()]
        self._jobs.append(self._worker.submit(job))

    # --- on the worker thread -----------------------------------------------------

    def _restart(
        self, attempt: int, classroom: Classroom, old: CompanionServer | None, host: str
    ) -> None:
        if old is not None:
            self._timed_stop(old)
        server = CompanionServer(classroom, host, port=self.port)
        try:
            server.start()
        except CompanionError as error:
            self._served.emit(attempt, None, str(error))
            return
        except Exception as error:  # a bug: logged, and the panel says it in plain words
            log.exception("The companion did not start")
            self._served.emit(attempt, None, f"The companion did not start ({error}).")
            return
        self._served.emit(attempt, server, "")

    def _stop(self, server: CompanionServer | None, classroom: Classroom) -> None:
        if server is not None:
            self._timed_stop(server)
        classroom.close()

    def _timed_stop(self, server: CompanionServer) -> None:
        began = time.monotonic()
        server.stop()
        self.last_stop_seconds = time.monotonic() - began
        log.info("The companion stopped in %.2f s", self.last_stop_seconds)

    # --- on the GUI thread --------------------------------------------------------

    @Slot(int, object, str)
    def _on_served(self, attempt: int, server: CompanionServer | None, error: str) -> None:
        if attempt != self._attempt:
            # Switched off, or another network chosen, while it started: not wanted now.
            if server is not None:
                self._submit(lambda: self._timed_stop(server))
            return
        self.server = server
        self.error = error
        self.starting = False
        self.changed.emit()

    def follow(self, class_id: str | None, run_id: str | None) -> None:
        """The run the page shows (None: none, or it ended: students' sessions end)."""
        if (class_id, run_id) == self._following:
            return
        self._following = (class_id, run_id)
        if self.classroom is not None:
            self.classroom.follow(class_id, run_id)

    def set_blank(self, on: bool) -> None:
        """The laptop blanked the projector: the teacher's phone shows it too."""
        if self.classroom is not None:
            self.classroom.set_blank(on)

    @property
    def checkin_open(self) -> bool:
        return self.classroom is not None and self.classroom.checkin is not None

    def set_checkin(self, on: bool) -> str:
        """Open (on the class's first target) or close the students' check-in from the
        laptop, as the phone can; returns why it could not, or ""."""
        classroom = self.classroom
        if classroom is None:
            return "Switch on Phones & tablets first."
        try:
            classroom.open_checkin(CheckInRequest(open=on))
        except Refused as refused:
            return refused.words
        self.changed.emit()
        return ""

    def set_show_join(self, on: bool) -> None:
        if on != self.show_join:
            self.show_join = on
            self.changed.emit()

    def new_code(self) -> None:
        """A fresh pairing code (the old one, if someone saw it, no longer pairs)."""
        access = self.access
        if access is not None:
            access.new_pairing()
            self.changed.emit()

    def remove(self, key: str) -> None:
        """The teacher removes one device (``DeviceSession.key``)."""
        access = self.access
        if access is not None:
            access.remove_device(key)

    def end_all(self) -> None:
        """Every device's session ends (and the pairing code changes)."""
        access = self.access
        if access is not None:
            access.end_all()

    def _on_classroom_changed(self, _entities: frozenset[str]) -> None:
        """Any thread: ask the GUI thread to re-read, once per burst of changes."""
        if not self._pending.is_set():
            self._pending.set()
            self._news.emit()

    @Slot()
    def _on_news(self) -> None:
        self._pending.clear()
        if self.classroom is not None:
            self.changed.emit()
