"""An unexpected failure is shown in plain words; its technical text goes to the log.

Before, the raw exception text ("Something went wrong: database disk image is malformed
(/home/…/data.sqlite3)") was put in front of the teacher.
"""

from __future__ import annotations

import logging
import sqlite3

import pytest
import qasync
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from station_rotation.core.errors import StationRotationError
from station_rotation.services.app import AppServices
from station_rotation.ui.errors import show_error
from station_rotation.ui.sync.background import SyncScheduler

TECHNICAL = "database disk image is malformed (/home/teacher/Station Rotation/data.sqlite3)"


def test_a_message_box_shows_plain_words_and_logs_the_details(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        box = show_error(None, "Saving the plan", sqlite3.DatabaseError(TECHNICAL))
    qtbot.addWidget(box)
    assert TECHNICAL not in box.text() and "sqlite" not in box.text().lower()
    assert "the details are in the app's log" in box.text()
    assert "Nothing was changed" in box.text()
    assert TECHNICAL in caplog.text and "Saving the plan" in caplog.text

    ours = show_error(None, "Saving", StationRotationError("That name is taken."))
    qtbot.addWidget(ours)
    assert ours.text() == "That name is taken."  # our own plain messages stay as they are
    assert isinstance(ours, QMessageBox)


def test_a_sync_page_action_that_fails_unexpectedly_says_so_plainly(
    qtbot: QtBot,
    async_loop: qasync.QEventLoop,
    services: AppServices,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> None:
        raise sqlite3.OperationalError(TECHNICAL)

    scheduler = SyncScheduler(services)
    with (
        caplog.at_level(logging.ERROR),
        qtbot.waitSignal(scheduler.action_failed, timeout=10_000) as failed,
    ):
        scheduler.act(broken)
    message = failed.args[0]
    assert TECHNICAL not in message
    assert message.startswith("Something unexpected went wrong")
    assert TECHNICAL in caplog.text
