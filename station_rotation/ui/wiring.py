"""Connect feature windows and dialogs to the main window's requests.

Each feature adds one line here, so the main window does not import every feature.
"""

from __future__ import annotations

from station_rotation.ui.lock.screen_lock import install_lock
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.sync.status_line import install_sync_status


def wire_features(window: MainWindow) -> None:
    """Hook feature dialogs to the main window's signals."""
    window.import_requested.connect(lambda: _open_import_wizard(window))
    install_lock(window)  # Ctrl+L and the idle lock, behind the teacher's PIN
    install_sync_status(window)  # status line + background sync (lazy: no httpx at start)
    _show_a_rotation_left_going(window)


def _show_a_rotation_left_going(window: MainWindow) -> None:
    """After a crash or a power cut, open on the rotation that was going, to resume it.

    Pages are built when first shown, so without this the clock would wait until the
    teacher happened to open the Rotation page.
    """
    class_id = window.current_class_id
    if class_id is not None and window.services.rotation.running_run(class_id) is not None:
        window.show_page("Rotation")


def _open_import_wizard(window: MainWindow) -> None:
    # Imported on first use: the wizard and the roster formats cost ~0.13 s at start-up.
    from station_rotation.ui.import_wizard import open_import_wizard

    open_import_wizard(window)
