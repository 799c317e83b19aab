"""The sync status in the main window's status bar: "Synced 10:42 · 3 changes waiting".

Installed by ``ui/wiring.py`` at start-up, so it stays light: a label and the scheduler,
whose first status read comes after the window is usable (nothing of sync, httpx or the
keyring is imported on the start-up path). Clicking it opens the Sync page.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel

from station_rotation.ui.sync.background import SyncScheduler
from station_rotation.ui.sync.status_text import status_line_text

if TYPE_CHECKING:
    from station_rotation.services.sync.service import SyncStatus
    from station_rotation.ui.main_window import MainWindow

SYNC_PAGE = "Sync"


class SyncStatusLine(QLabel):
    """A status-bar label that follows the scheduler and opens the Sync page on a click."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("syncStatusLine")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("District sync — click for details")
        self._window = window
        self.hide()  # until the first status is read

    def show_status(self, status: SyncStatus) -> None:
        text = status_line_text(status)
        self.setText(text)
        self.setVisible(bool(text))
        if not status.enrolled:
            colour = "palette(dark)"  # a hint, not news
        elif (status.last_error and not status.offline) or status.attention.count:
            colour = "#9a3412"  # the teacher should look at the Sync page
        else:
            colour = "palette(window-text)"
        self.setStyleSheet(f"QLabel#syncStatusLine {{ color: {colour}; padding: 0 6px; }}")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        open_sync_page(self._window)
        event.accept()


def open_sync_page(window: MainWindow) -> None:
    """Show the Sync page, even before any class exists (enrolling brings the classes).

    With no class the navigation is hidden, so the page offers a way back to the
    welcome screen.
    """
    from station_rotation.ui.sync.sync_panel import SyncPage  # loaded by show_page

    page = window.show_page(SYNC_PAGE)
    if isinstance(page, SyncPage) and page.go_back is None:
        page.set_go_back(partial(window.stack.setCurrentWidget, window.welcome))
    window.stack.setCurrentWidget(page)
    if isinstance(page, SyncPage) and page.connect_box.isVisible():
        # Not connected: the first empty field is where the teacher types.
        (page.code_edit if page.address_edit.text() else page.address_edit).setFocus()


def install_sync_status(window: MainWindow) -> SyncScheduler:
    """Add the status line and start background sync for ``window``."""
    scheduler = SyncScheduler(window.services, window)
    line = SyncStatusLine(window)
    window.statusBar().addPermanentWidget(line)
    scheduler.status_changed.connect(line.show_status)
    window.relay.changed.connect(scheduler.on_changes)
    window.welcome.sync_requested.connect(partial(open_sync_page, window))
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(scheduler.stop)
    scheduler.start()
    return scheduler
