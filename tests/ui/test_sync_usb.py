"""A school with no connection: the teacher syncs from the Sync page with a USB stick.

The real main window on the app's qasync loop, a real data file and a real district
database; the laptop is enrolled over loopback once, then the server goes away and the
sync file and its reply travel as files.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from station_rotation.server import admin
from station_rotation.server.bundle import import_bundle
from station_rotation.server.database import make_engine
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.sync.usb import UsbOutcome
from station_rotation.ui.sync.background import SyncScheduler
from station_rotation.ui.sync.sync_panel import SyncPage
from station_rotation.ui.sync.usb_section import UNEXPECTED, UsbSection
from tests.docs_images import docs_image
from tests.live_server import LiveServer

WAIT_MS = 20_000


def _choose(qtbot: Any, page: SyncPage, button: Any, path: Path) -> None:
    """Click ``button`` and pick ``path`` in the file dialog it opens."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.usb_box.dialog
    assert isinstance(dialog, QFileDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.selectFile(str(path))
    dialog.accept()


def test_a_teacher_syncs_by_usb_stick_from_the_sync_page(
    qtbot: Any,
    async_loop: Any,
    main_window: Any,
    services: AppServices,
    district: LiveServer,
    tmp_path: Path,
) -> None:
    """Enrolled once; then, with no connection, a sync file goes out and its reply comes in."""
    services.sync.attempts = 2
    services.sync.max_wait = 0.05
    section = create_sample_class(services, students=6)
    main_window.select_class(section.id)
    page = main_window.show_page("Sync")
    assert isinstance(page, SyncPage)
    assert not page.usb_box.isVisible()  # not enrolled: nothing to sync by stick yet
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    page.address_edit.setText(district.url)
    page.code_edit.setText(admin.issue_code(district.engine, teacher))
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    assert page.usb_box.isVisible()
    district.stop()  # from now on the school has no connection

    station = services.stations.list_for(section.id)[0]
    services.stations.update(station.id, name="Listening corner")
    stick = tmp_path / "stick"
    stick.mkdir()
    request, reply = stick / "rivera.srsync", stick / "rivera-reply.srsync"
    _choose(qtbot, page, page.usb_box.write_button, request)
    result = page.usb_box.result_label
    qtbot.waitUntil(lambda: result.text().startswith("Wrote 1 change to"), timeout=WAIT_MS)
    assert services.sync.status().waiting == 1  # kept until the district has it

    engine = make_engine(district.settings.database_url)
    try:
        import_bundle(engine, request, reply)
    finally:
        engine.dispose()
    _choose(qtbot, page, page.usb_box.read_button, reply)
    qtbot.waitUntil(lambda: result.text().startswith("Applied the reply"), timeout=WAIT_MS)
    assert "1 change acknowledged" in result.text() and "0 waiting" in result.text()
    qtbot.waitUntil(lambda: page.waiting_label.text() == "everything sent", timeout=WAIT_MS)
    page.grab().save(str(docs_image("sync-usb.png")))

    # The same reply again, then a file that is not a sync file: plain words, no harm.
    _choose(qtbot, page, page.usb_box.read_button, reply)
    qtbot.waitUntil(lambda: "0 changes acknowledged" in result.text(), timeout=WAIT_MS)
    junk = stick / "notes.txt"
    junk.write_text("not a sync file")
    _choose(qtbot, page, page.usb_box.read_button, junk)
    qtbot.waitUntil(lambda: "is damaged or is not" in result.text(), timeout=WAIT_MS)
    assert page.usb_box.write_button.isEnabled() and services.sync.status().waiting == 0


def test_an_unexpected_failure_is_told_in_plain_words(
    qtbot: Any, async_loop: Any, services: AppServices, caplog: pytest.LogCaptureFixture
) -> None:
    """A step that fails for a reason nobody foresaw shows no Python message to the teacher,
    nor claims nothing changed; the details go to the log and the buttons work again."""
    section = UsbSection(services, SyncScheduler(services))
    qtbot.addWidget(section)

    def broken() -> UsbOutcome:
        raise KeyError("acked_through_seq")

    section._run("Reading the reply…", broken)
    result = section.result_label
    qtbot.waitUntil(lambda: result.text() == UNEXPECTED, timeout=WAIT_MS)
    assert "acked_through_seq" not in result.text()
    assert section.read_button.isEnabled() and section.write_button.isEnabled()
    assert "acked_through_seq" in caplog.text


def test_a_network_sync_waits_for_the_usb_step_under_way(
    qtbot: Any, async_loop: Any, services: AppServices, district: LiveServer
) -> None:
    """Reading a reply and a network sync both move the pull cursor: a sync that comes due
    while the stick is read starts only once the reading is done."""
    teacher = admin.create_teacher(district.engine, "Ms Rivera")

    async def enrol() -> None:
        await services.sync.enrol(district.url, admin.issue_code(district.engine, teacher))

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(enrol())).result(timeout=60)
    scheduler = SyncScheduler(services)
    section = UsbSection(services, scheduler)
    qtbot.addWidget(section)
    reading, release = threading.Event(), threading.Event()
    seen_syncing: list[bool] = []

    def slow_read() -> UsbOutcome:
        reading.set()
        release.wait(WAIT_MS / 1000)
        seen_syncing.append(services.sync.running)
        return UsbOutcome(["Applied the reply."])

    section._run("Reading the reply…", slow_read)
    qtbot.waitUntil(reading.is_set, timeout=WAIT_MS)
    task = scheduler.sync_now()
    assert task is not None
    qtbot.wait(300)  # time enough for a sync to start, were it not waiting
    assert not services.sync.running and not task.done()
    release.set()
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert seen_syncing == [False]
    outcome = task.result()
    assert outcome is not None and outcome.ok
    assert section.result_label.text() == "Applied the reply."
