"""Start the GUI: one instance per data folder, the store opened, the window shown.

Runs the Qt event loop through qasync so later features (sync, the rotation clock) can
use asyncio on the GUI thread without blocking it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from station_rotation import APP_ID, APP_NAME, __version__
from station_rotation.core.errors import StationRotationError
from station_rotation.paths import resource_path
from station_rotation.services.first_screen_stand_in import FirstScreenStandIn
from station_rotation.startup_collector import resume_collection
from station_rotation.ui import startup_probe
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.no_screen import exit_plainly_without_a_screen
from station_rotation.ui.single_instance import SingleInstance
from station_rotation.ui.warm_up import ServicesWarmUp

if TYPE_CHECKING:
    from station_rotation.services.first_screen import FirstScreen


SWITCH_INTERVAL_S = 0.001
"""Background threads (saves, exports, sync's disk work) hand the GIL back to the GUI
thread after 1 ms instead of Python's 5: the projector's tick p99 drops several-fold
(docs/benchmarks.md, projector ticks, which runs with it)."""


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the names QSettings uses (or the one that already exists)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        with exit_plainly_without_a_screen():  # no display: a sentence, not an abort
            app = QApplication(list(argv))
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "station-rotation.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def build_main_window(services: FirstScreen) -> MainWindow:
    """The main window with every feature wired in (shared by the app and the self-test)."""
    window = MainWindow(services)
    from station_rotation.ui.wiring import wire_features

    wire_features(window)
    return window


def run_gui(data_dir: Path, argv: Sequence[str] | None = None) -> int:
    """Open the app on ``data_dir``; returns the process exit code.

    A data file already at the current schema is first painted from plain ``sqlite3``
    (``services/first_screen_stand_in.py``) and the full services load right after the
    first paint; a new file, or one that needs a migration, is created or migrated
    before anything is shown.
    """
    app = make_application(argv or sys.argv[:1])
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        print(f"{APP_NAME} is already open on {data_dir}; it was brought to the front.")
        return 0
    try:
        window, warm_up = open_main_window(data_dir)
    except StationRotationError as exc:
        resume_collection()  # the message box and whatever follows collect as usual
        _cannot_open(str(exc))
        instance.release()
        return 2
    services = window.services
    instance.raise_requested.connect(lambda: _bring_to_front(window))
    if warm_up is None:
        QTimer.singleShot(0, resume_collection)  # start-up is done once the loop turns
    else:
        warm_up.finished.connect(resume_collection)  # done once the services are in
        warm_up.failed.connect(lambda message: _give_up(app, message))
    if startup_probe.requested():
        # Installed after the warm-up: Qt asks the last-installed filter first, so the
        # probe's turn of the loop is queued before the services load.
        probe = startup_probe.install(window)
        if warm_up is not None:
            probe.wait_for(warm_up.finished)
    window.show()

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    try:
        with loop:
            loop.run_until_complete(closed.wait())
    finally:
        resume_collection()  # already resumed unless the services failed to load
        services.close()
        instance.release()
    return 2 if warm_up is not None and warm_up.error is not None else 0


def open_main_window(data_dir: Path) -> tuple[MainWindow, ServicesWarmUp | None]:
    """The main window on ``data_dir``, and the warm-up that loads its services if pending.

    On a file at the current schema the window is built on :class:`FirstScreenStandIn` (its
    first screen read with plain ``sqlite3``); the warm-up loads the full services right
    after the first paint. Any other file is created or migrated first (or refused with
    a :class:`StationRotationError`), and the window gets the full services at once.
    """
    early = FirstScreenStandIn.open(data_dir)
    if early is None:
        from station_rotation.services.app import AppServices

        return build_main_window(AppServices.open(data_dir)), None
    # FirstScreenStandIn is the window's FirstScreen: the first screen's reads itself, everything
    # else through full(), which loads the real services first
    # (see services/first_screen_stand_in.py).
    window = build_main_window(early)
    return window, ServicesWarmUp(early, window)


def _cannot_open(message: str) -> None:
    QMessageBox.critical(None, f"{APP_NAME} cannot open its data", message)


def _give_up(app: QApplication, message: str) -> None:
    """The services could not be opened after the first paint: say why, then quit."""
    _cannot_open(message)
    app.quit()


def _bring_to_front(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
