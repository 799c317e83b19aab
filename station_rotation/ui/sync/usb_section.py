"""The Sync page's "no connection" part: write a sync file to a USB stick, read the reply.

Thin: the file dialogs pick a path (opened with ``open()``, never ``exec()``), the work
runs in a worker thread through :mod:`station_rotation.services.sync.usb` (a stick is
slow disk) by the window's sync scheduler, never alongside a network sync (both move the
outbox and the pull cursor), and the outcome or the plain-words error is shown under the
buttons.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.widgets import SYNC_TROUBLE_STYLE, named

if TYPE_CHECKING:
    from station_rotation.services.app import AppServices
    from station_rotation.services.sync.usb import UsbOutcome
    from station_rotation.ui.sync.background import SyncScheduler

log = logging.getLogger(__name__)
FILTER = "Station Rotation sync files (*.srsync);;All files (*)"
UNEXPECTED = (
    "Something unexpected went wrong; the details are in the app's log. Your work on this "
    "laptop is kept, and doing the same step again is safe."
)
"""Not "nothing was changed": reading a reply applies it in two steps, each kept."""


class UsbSection(QGroupBox):
    """Two intents — write a sync file, read the reply — and what came of the last one."""

    finished = Signal()
    """A step ended (successfully or not): the page reads the sync status again."""

    def __init__(
        self, services: AppServices, scheduler: SyncScheduler, parent: QWidget | None = None
    ) -> None:
        super().__init__("No connection at school? Sync by USB stick", parent)
        self.setObjectName("syncUsbBox")
        # The sync service is reached only in the worker: the page can be built while the window's
        # first screen still runs on the early services (no SQLAlchemy yet).
        self.services = services
        self.scheduler = scheduler  # runs each step, never alongside a network sync
        intro = QLabel(
            "Write your changes to a file on a USB stick and take it to your district. "
            "They give you a reply file back: read it here. Your changes stay on this laptop "
            "until a reply says the district has them."
        )
        intro.setWordWrap(True)
        self.write_button = named(QPushButton("Write a sync file…"), "syncUsbWrite")
        self.write_button.clicked.connect(self.choose_file_to_write)
        self.read_button = named(QPushButton("Read the reply…"), "syncUsbRead")
        self.read_button.clicked.connect(self.choose_reply)
        self.result_label = named(QLabel(), "syncUsbResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.read_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        self.dialog: QFileDialog | None = None
        self.task: asyncio.Task[None] | None = None

    # --- intents ------------------------------------------------------------------

    def choose_file_to_write(self) -> None:
        name = f"station-rotation-{date.today().isoformat()}.srsync"
        dialog = self._dialog("Write a sync file", QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(str(Path.home() / name))
        dialog.fileSelected.connect(lambda path: self.write_to(Path(path)))
        dialog.open()

    def choose_reply(self) -> None:
        dialog = self._dialog("Read the reply", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.read_from(Path(path)))
        dialog.open()

    def write_to(self, path: Path) -> None:
        from station_rotation.services.sync import usb as usb_sync

        if not path.suffix:
            path = path.with_suffix(usb_sync.SUFFIX)
        self._run("Writing the sync file…", lambda: self.services.sync.write_sync_file(path))

    def read_from(self, path: Path) -> None:
        self._run("Reading the reply…", lambda: self.services.sync.apply_reply(path))

    # --- the work -------------------------------------------------------------------

    def _dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = QFileDialog(self, title)
        dialog.setObjectName("syncUsbDialog")
        dialog.setAcceptMode(mode)
        dialog.setNameFilter(FILTER)
        dialog.setDefaultSuffix("srsync")
        self.dialog = dialog
        return dialog

    def _run(self, doing: str, work: Callable[[], UsbOutcome]) -> None:
        if self.task is not None and not self.task.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no qasync loop (a plain Qt event loop)
            self._show("Sync cannot run in this window (no background loop).", error=True)
            return
        self._busy(True)
        self._show(doing, error=False)
        self.task = loop.create_task(self._work(work))

    async def _work(self, work: Callable[[], UsbOutcome]) -> None:
        from station_rotation.core.errors import StationRotationError

        try:
            outcome = await self.scheduler.run_alone(work)
        except StationRotationError as exc:
            self._show(str(exc), error=True)
        except Exception:  # a bug: the details go to the log, the teacher gets plain words
            log.exception("USB sync step failed")
            self._show(UNEXPECTED, error=True)
        else:
            self._show("\n".join(outcome.lines), error=bool(outcome.refused))
        finally:
            self._busy(False)
            self.finished.emit()

    def _busy(self, busy: bool) -> None:
        self.write_button.setEnabled(not busy)
        self.read_button.setEnabled(not busy)

    def _show(self, text: str, *, error: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(SYNC_TROUBLE_STYLE if error else "")
        self.result_label.show()
