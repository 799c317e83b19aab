"""The Sync page: connect this laptop to the district server once, then watch it sync.

The page only renders the scheduler's status and forwards the teacher's two intents
(connect with a code, sync now); the work runs on the asyncio loop in
:mod:`station_rotation.ui.sync.background`, so the window never waits on the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.words import counted
from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.pages.base import Page
from station_rotation.ui.sync.attention import AttentionSection
from station_rotation.ui.sync.background import SyncScheduler
from station_rotation.ui.sync.status_text import waiting_text, when_text
from station_rotation.ui.sync.usb_section import UsbSection
from station_rotation.ui.widgets import SYNC_TROUBLE_STYLE, named

if TYPE_CHECKING:
    from station_rotation.services.sync.service import SyncStatus

NO_LOOP = "Sync cannot run in this window (no background loop). Restart Station Rotation."


def _wrapping(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SyncPage(Page):
    """Connect to the district server with an address and a one-time code; sync now."""

    title = "Sync"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.scheduler = SyncScheduler.of(self, self.services)
        self.scheduler.status_changed.connect(self.show_status)
        self.scheduler.enrol_failed.connect(self._on_enrol_failed)

        heading = QLabel("District sync")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        intro = _wrapping(
            QLabel(
                "Your work is always saved on this laptop first. Whenever the laptop can reach "
                "your district's server, it sends your changes there and brings your classes "
                "down, so your other laptop and the district see the same data. Days or weeks "
                "offline are fine: nothing is lost while changes wait."
            )
        )

        self.connect_box = named(QGroupBox("Connect this laptop"), "syncConnectBox")
        self.address_edit = named(QLineEdit(), "syncAddress")
        self.address_edit.setPlaceholderText("https://sync.yourdistrict.org")
        self.code_edit = named(QLineEdit(), "syncCode")
        self.code_edit.setPlaceholderText("For example K7PQ2MXR9A")
        self.code_edit.setMaxLength(64)
        self.connect_button = named(QPushButton("Connect"), "syncConnectButton")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_laptop)
        self.code_edit.returnPressed.connect(self.connect_laptop)
        self.connect_error = named(_wrapping(QLabel()), "syncConnectError")
        self.connect_error.setStyleSheet(SYNC_TROUBLE_STYLE)
        self.connect_error.hide()
        form = QFormLayout()
        form.addRow("Server &address:", self.address_edit)
        form.addRow("Enrolment &code:", self.code_edit)
        form.addRow("", QLabel("Your district gives you the address and a code that works once."))
        connect_row = QHBoxLayout()
        connect_row.addWidget(self.connect_button)
        connect_row.addStretch(1)
        form.addRow("", connect_row)
        connect_layout = QVBoxLayout()
        connect_layout.addLayout(form)
        connect_layout.addWidget(self.connect_error)
        self.connect_box.setLayout(connect_layout)

        self.status_box = named(QGroupBox("Status"), "syncStatusBox")
        self.state_label = named(_wrapping(QLabel("Reading the sync status…")), "syncState")
        self.server_label = named(_wrapping(QLabel("—")), "syncServer")
        self.last_synced_label = named(QLabel("—"), "syncLastSynced")
        self.waiting_label = named(_wrapping(QLabel("—")), "syncWaiting")
        self.error_label = named(_wrapping(QLabel()), "syncError")
        self.error_label.setStyleSheet(SYNC_TROUBLE_STYLE)
        # What the last sync could not do although it succeeded (a damaged change kept
        # aside, a record from the server this version cannot read).
        self.warnings_label = named(_wrapping(QLabel()), "syncWarnings")
        self.warnings_label.setStyleSheet(SYNC_TROUBLE_STYLE)
        self.sync_button = named(QPushButton("Sync now"), "syncNowButton")
        self.sync_button.clicked.connect(self.sync_now)
        self.reconnect_button = named(QPushButton("Use a new code…"), "syncReconnectButton")
        self.reconnect_button.clicked.connect(self._show_connect_form)
        self.leave_button = named(QPushButton("Disconnect this laptop…"), "syncLeaveButton")
        self.leave_button.clicked.connect(self.ask_to_leave)
        self.leave_question: QMessageBox | None = None
        status_form = QFormLayout()
        status_form.addRow("Now:", self.state_label)
        status_form.addRow("Server:", self.server_label)
        status_form.addRow("Last synced:", self.last_synced_label)
        status_form.addRow("Changes waiting:", self.waiting_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.reconnect_button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        status_layout = QVBoxLayout()
        status_layout.addLayout(status_form)
        status_layout.addWidget(self.error_label)  # outside the form: wraps without gaps
        status_layout.addWidget(self.warnings_label)
        status_layout.addLayout(buttons)
        self.status_box.setLayout(status_layout)
        self.status_box.hide()  # until the first status is read
        self.usb_box = UsbSection(self.services, self.scheduler, self)
        self.usb_box.finished.connect(self.scheduler.refresh_status)
        self.usb_box.hide()  # only for an enrolled laptop

        self.attention_box = AttentionSection(self)
        self.attention_box.restore.connect(self.restore_overwritten)
        self.attention_box.keep_current.connect(self.keep_current)
        self.attention_box.send_again.connect(self.send_again)
        self.attention_box.dismiss.connect(self.dismiss_refused)
        self.attention_box.sync_requested.connect(self.sync_now)
        self.scheduler.action_failed.connect(self.attention_box.show_error)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        self.back_button = named(QPushButton("← Back to the welcome screen"), "syncBackButton")
        self.back_button.setFlat(True)
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.setStyleSheet("color: palette(link); text-align: left;")
        self.back_button.clicked.connect(self._go_back)
        self.back_button.hide()
        self.go_back: Callable[[], object] | None = None
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.back_button)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.connect_box)
        layout.addWidget(self.status_box)
        layout.addWidget(self.attention_box)  # what needs her before the optional USB way
        layout.addWidget(self.usb_box)
        layout.addStretch(1)
        # The page scrolls as a whole: however many items need attention, each card
        # gets its full height (Tab scrolls to the focused button by itself).
        self.scroll_area = named(QScrollArea(), "syncPageScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        viewport = self.scroll_area.viewport()
        if viewport is not None:
            viewport.setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self._want_form = False  # "Use a new code…" shows the form while enrolled
        self._enrol_task: asyncio.Task[bool] | None = None
        if self.scheduler.status is not None:
            self.show_status(self.scheduler.status)

    # --- intents ------------------------------------------------------------------

    def connect_laptop(self) -> None:
        """Enrol with the address and code typed in; the answer comes back as a status."""
        if self._enrol_task is not None:
            return
        self.connect_error.hide()
        task = self.scheduler.enrol(self.address_edit.text(), self.code_edit.text())
        if task is None:
            self._on_enrol_failed(NO_LOOP)
            return
        self._enrol_task = task
        task.add_done_callback(self._on_enrol_done)
        self.connect_button.setEnabled(False)
        self.connect_button.setText("Connecting…")

    def sync_now(self) -> None:
        if self.scheduler.sync_now() is None:
            self.error_label.setText(NO_LOOP)
            return
        self.sync_button.setEnabled(False)
        self.state_label.setText("Syncing…")

    def ask_to_leave(self) -> None:
        """Ask first (window-modal, not blocking): the laptop then needs a new code."""
        waiting = self.scheduler.status.waiting if self.scheduler.status else 0
        kept = f", including {counted(waiting, 'change')} not sent yet," if waiting else ""
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Disconnect this laptop?",
            "This laptop stops syncing with the district. Everything on it stays here"
            f"{kept} and nothing is deleted on the server.\n\nTo sync again you will need "
            "a new enrolment code from your district.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setObjectName("syncLeaveQuestion")
        disconnect = question.addButton("Disconnect", QMessageBox.ButtonRole.AcceptRole)
        disconnect.setObjectName("syncLeaveConfirm")
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.finished.connect(lambda _result: self._answered(question, disconnect))
        self.leave_question = question
        question.open()

    def _answered(self, question: QMessageBox, disconnect: object) -> None:
        self.leave_question = None
        question.deleteLater()
        if question.clickedButton() is not disconnect:
            return
        if self.scheduler.leave() is None:
            self.error_label.setText(NO_LOOP)
            self.error_label.show()
            return
        self.leave_button.setEnabled(False)
        self.state_label.setText("Disconnecting…")

    def restore_overwritten(self, conflict_id: str) -> None:
        """Put the overwritten version back as a new edit, and sync it."""
        attention = self.services.sync.attention
        self._act(lambda: attention.restore_overwritten(conflict_id), then_sync=True)

    def keep_current(self, conflict_id: str) -> None:
        attention = self.services.sync.attention
        self._act(lambda: attention.keep_current(conflict_id))

    def send_again(self, change_id: str) -> None:
        attention = self.services.sync.attention
        self._act(lambda: attention.send_again(change_id), then_sync=True)

    def dismiss_refused(self, change_id: str) -> None:
        attention = self.services.sync.attention
        self._act(lambda: attention.dismiss_refused(change_id))

    def _act(self, work: Callable[[], object], *, then_sync: bool = False) -> None:
        if self.scheduler.act(work, then_sync=then_sync) is None:
            self.attention_box.show_error(NO_LOOP)

    def set_go_back(self, go_back: Callable[[], object]) -> None:
        """How to leave the page when there is no class (no navigation to use)."""
        self.go_back = go_back
        self.back_button.setVisible(self.class_id is None)

    def set_class(self, class_id: str | None) -> None:
        super().set_class(class_id)
        self.back_button.setVisible(class_id is None and self.go_back is not None)

    def _go_back(self) -> None:
        if self.go_back is not None:
            self.go_back()

    def reload(self) -> None:
        self.scheduler.refresh_status()

    def on_changes(self, _changes: object) -> None:
        """The scheduler follows changes itself; nothing to redraw here."""

    # --- rendering ----------------------------------------------------------------

    def show_status(self, status: SyncStatus) -> None:
        enrolled = status.enrolled
        self.connect_box.setVisible(not enrolled or status.needs_enrolment or self._want_form)
        if status.server_url and not self.address_edit.text():
            self.address_edit.setText(status.server_url)
        self.status_box.setVisible(enrolled)
        self.usb_box.setVisible(enrolled)
        self.server_label.setText(status.server_url or "—")
        self.last_synced_label.setText(
            when_text(status.last_synced, today_word=True) if status.last_synced else "not yet"
        )
        waiting = waiting_text(status.waiting)
        if status.waiting:
            waiting += " — kept on this laptop until the server has them"
        self.waiting_label.setText(waiting)
        self.state_label.setText(_state_text(status))
        self.error_label.setText(status.last_error or "")
        self.error_label.setVisible(bool(status.last_error))
        self.warnings_label.setText("\n\n".join(status.warnings))
        self.warnings_label.setVisible(bool(status.warnings))
        self.sync_button.setEnabled(enrolled and not status.syncing)
        self.leave_button.setEnabled(enrolled)
        self.attention_box.show_attention(status.attention)

    def _show_connect_form(self) -> None:
        self._want_form = True
        self.connect_box.show()
        self.code_edit.setFocus()

    def _on_enrol_done(self, task: asyncio.Task[bool]) -> None:
        self._enrol_task = None
        self.connect_button.setEnabled(True)
        self.connect_button.setText("Connect")
        if not task.cancelled() and task.exception() is None and task.result():
            self._want_form = False
            self.code_edit.clear()
            self.connect_error.hide()
            if self.scheduler.status is not None:
                self.show_status(self.scheduler.status)

    def _on_enrol_failed(self, message: str) -> None:
        self.connect_error.setText(message)
        self.connect_error.show()


def _state_text(status: SyncStatus) -> str:
    if status.syncing:
        return "Syncing…"
    if status.needs_enrolment:
        return "Stopped: this laptop needs a new enrolment code."
    if status.offline:
        return "Offline — sync will try again by itself. Nothing is lost."
    if status.last_error:
        return "The last sync did not finish."
    if status.last_synced is None:
        return "Connected; not synced yet."
    return "Up to date." if status.waiting == 0 else "Connected; changes will go up soon."
