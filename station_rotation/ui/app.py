"""Start the GUI: one instance per data folder, the store opened, the window shown.

Runs the Qt event loop through qasync so later features (sync, the rotation clock) can
use asyncio on the GUI thread without blocking it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from station_rotation import APP_ID, APP_NAME, __version__
from station_rotation.core.errors import StationRotationError
from station_rotation.gc_pause import resume_collection
from station_rotation.paths import resource_path
from station_rotation.services.app import AppServices
from station_rotation.ui import startup_probe
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.single_instance import SingleInstance


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the names QSettings uses (or the one that already exists)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "station-rotation.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def build_main_window(services: AppServices) -> MainWindow:
    """The main window with every feature wired in (shared by the app and the self-test)."""
    window = MainWindow(services)
    from station_rotation.ui.wiring import wire_features

    wire_features(window)
    return window


def run_gui(data_dir: Path, argv: Sequence[str] | None = None) -> int:
    """Open the app on ``data_dir``; returns the process exit code."""
    app = make_application(argv or sys.argv[:1])
    # Background threads (saves, exports, sync's disk work) hand the GIL back to the GUI
    # thread after 1 ms instead of 5: the projector's tick p99 drops several-fold
    # (docs/benchmarks.md, projector ticks).
    sys.setswitchinterval(0.001)
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        print(f"{APP_NAME} is already open on {data_dir}; it was brought to the front.")
        return 0
    try:
        services = AppServices.open(data_dir)
    except StationRotationError as exc:
        QMessageBox.critical(None, f"{APP_NAME} cannot open its data", str(exc))
        instance.release()
        return 2
    window = build_main_window(services)
    instance.raise_requested.connect(lambda: _bring_to_front(window))
    if startup_probe.requested():
        startup_probe.install(window)
    window.show()
    QTimer.singleShot(0, resume_collection)  # start-up is done once the loop turns

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    try:
        with loop:
            loop.run_until_complete(closed.wait())
    finally:
        services.close()
        instance.release()
    return 0


def _bring_to_front(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
