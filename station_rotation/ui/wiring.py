"""Connect feature windows and dialogs to the main window's requests.

Each feature adds one line here, so the main window does not import every feature.
"""

from __future__ import annotations

from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.sync.status_line import install_sync_status


def wire_features(window: MainWindow) -> None:
    """Hook feature dialogs to the main window's signals."""
    window.import_requested.connect(lambda: _open_import_wizard(window))
    install_sync_status(window)  # status line + background sync (lazy: no httpx at start)


def _open_import_wizard(window: MainWindow) -> None:
    # Imported on first use: the wizard and the roster formats cost ~0.13 s at start-up.
    from station_rotation.ui.import_wizard import open_import_wizard

    open_import_wizard(window)
