"""A teacher connects her laptop to the district server on the Sync page and watches it sync.

Real widgets in the real main window, a real data file, a real district server on a
loopback port, and the app's own qasync loop driving the network work in the background.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest
import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import Session, func, select

from station_rotation.server import admin
from station_rotation.server.tables import Record
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import StudentNote
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.sync.background import SyncScheduler
from station_rotation.ui.sync.status_line import SyncStatusLine, open_sync_page
from station_rotation.ui.sync.sync_panel import SyncPage
from tests.live_server import LiveServer

WAIT_MS = 20_000


@pytest.fixture
def window(
    async_loop: qasync.QEventLoop, main_window: MainWindow, services: AppServices
) -> MainWindow:
    """The main window with a class, quick retries (a test need not wait minutes offline)."""
    services.sync.attempts = 2
    services.sync.max_wait = 0.05
    section = create_sample_class(services, students=6)
    main_window.select_class(section.id)
    return main_window


def _page(window: Any) -> SyncPage:
    page = window.show_page("Sync")
    assert isinstance(page, SyncPage)
    return page


def _status_line(window: Any) -> SyncStatusLine:
    line = window.findChild(SyncStatusLine, "syncStatusLine")
    assert line is not None
    return line


def _records_on(server: LiveServer) -> int:
    with Session(server.engine) as session:
        return int(session.exec(select(func.count()).select_from(Record)).one())


def _connect(qtbot: QtBot, page: SyncPage, address: str, code: str) -> None:
    page.address_edit.clear()
    qtbot.keyClicks(page.address_edit, address)
    page.code_edit.clear()
    qtbot.keyClicks(page.code_edit, code)
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)


def test_connecting_with_a_code_syncs_and_the_status_line_follows(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    district: LiveServer,
    artifacts_dir: Path,
) -> None:
    """Address + one-time code: the laptop enrols, sends its class, and says so."""
    waiting = services.sync.status().waiting
    assert waiting > 0  # the sample class is in the outbox
    line = _status_line(window)
    qtbot.waitUntil(lambda: line.text() == "District sync: not set up", timeout=WAIT_MS)

    page = _page(window)
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))

    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    assert not page.connect_box.isVisible()
    assert page.server_label.text() == district.url
    assert page.waiting_label.text() == "everything sent"
    assert _records_on(district) == waiting
    assert line.text().startswith("Synced ") and line.text().endswith("· everything sent")
    window.grab().save(str(artifacts_dir / "sync-window.png"))

    # An edit waits in the outbox and the status line counts it; "Sync now" sends it.
    station = services.stations.list_for(cast(str, window.current_class_id))[0]
    services.stations.update(station.id, name="Listening corner")
    qtbot.waitUntil(lambda: "1 change waiting" in line.text(), timeout=WAIT_MS)
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: line.text().endswith("· everything sent"), timeout=WAIT_MS)
    # The outbox empties after the push; the button comes back once the pull is done too.
    qtbot.waitUntil(page.sync_button.isEnabled, timeout=WAIT_MS)
    assert page.state_label.text() == "Up to date."


def test_an_address_without_https_is_explained_on_the_page(
    qtbot: QtBot, window: MainWindow, services: AppServices, artifacts_dir: Path
) -> None:
    """The teacher types the bare host name: she is told how an address starts."""
    page = _page(window)
    _connect(qtbot, page, "sync.example.org", "K7PQ2MXR9A")
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=WAIT_MS)
    assert page.connect_error.isVisible()
    assert page.connect_error.text().startswith(
        "The server address must start with https:// (or http:// for a test server on this "
        "computer)"
    )
    assert page.connect_button.isEnabled() and page.connect_button.text() == "Connect"
    assert not services.sync.status().enrolled
    qtbot.waitUntil(lambda: SyncScheduler.of(page, services).status is not None, timeout=WAIT_MS)
    assert not page.status_box.isVisible()
    page.grab().save(str(artifacts_dir / "sync-connect.png"))


def test_a_wrong_code_is_refused_in_plain_words(
    qtbot: QtBot, window: MainWindow, services: AppServices, district: LiveServer
) -> None:
    """A mistyped code: the form stays, with the district's explanation."""
    page = _page(window)
    _connect(qtbot, page, district.url, "WRONGCODE1")
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=WAIT_MS)
    assert page.connect_error.isVisible()
    assert "code is wrong, already used or expired" in page.connect_error.text()
    assert page.connect_box.isVisible() and not services.sync.status().enrolled


def test_an_unreachable_server_shows_offline_and_loses_nothing(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    district: LiveServer,
    artifacts_dir: Path,
) -> None:
    """The server goes away after enrolment: 'Offline', the changes wait, none is lost."""
    page = _page(window)
    teacher = admin.create_teacher(district.engine, "Mr Okafor")
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    district.stop()

    class_id = cast(str, window.current_class_id)
    for index, station in enumerate(services.stations.list_for(class_id)):
        services.stations.update(station.id, name=f"Offline edit {index}")
    edits = services.sync.status().waiting
    assert edits > 1
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)

    line = _status_line(window)
    qtbot.waitUntil(lambda: line.text().startswith("Offline"), timeout=WAIT_MS)
    assert line.text() == f"Offline — {edits} changes waiting, nothing is lost"
    assert page.state_label.text().startswith("Offline")
    assert "Could not reach the district server" in page.error_label.text()
    assert "saved on this laptop" in page.error_label.text()
    assert services.sync.status().waiting == edits
    scheduler = SyncScheduler.of(page, services)
    assert scheduler.offline_failures == 1  # the next try is backed off, not in 5 minutes
    page.grab().save(str(artifacts_dir / "sync-offline.png"))


def test_a_change_too_large_for_the_server_is_explained_and_kept(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """A server set to take little (64 KB) meets a note far longer than the app lets anyone
    type (a bad copy): the page says what happened and what to do; nothing is lost."""
    small = LiveServer(f"sqlite:///{tmp_path / 'small.sqlite3'}", max_request_bytes=65_536)
    small.start()
    try:
        page = _page(window)
        teacher = admin.create_teacher(small.engine, "Ms Haddad")
        _connect(qtbot, page, small.url, admin.issue_code(small.engine, teacher))
        qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
        class_id = cast(str, window.current_class_id)
        student = services.roster.roster(class_id)[0].student
        with services.store.write() as tx:
            tx.put(StudentNote(class_id=class_id, student_id=student.id, text="x" * 100_000))
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=WAIT_MS)
        assert "too large for the district server" in page.error_label.text()
        assert "help desk" in page.error_label.text()
        assert services.sync.status().waiting == 1
        window.resize(1100, 720)
        window.grab().save(str(artifacts_dir / "sync-too-large.png"))
    finally:
        small.stop()


def test_the_status_line_opens_the_sync_page_even_without_a_class(
    qtbot: QtBot, async_loop: qasync.QEventLoop, main_window: MainWindow
) -> None:
    """A second laptop has no class yet: the status line leads to the Sync page anyway."""
    line = _status_line(main_window)
    qtbot.waitUntil(line.isVisible, timeout=WAIT_MS)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    assert isinstance(main_window.stack.currentWidget(), SyncPage)
    open_sync_page(main_window)  # twice is fine
    assert isinstance(main_window.stack.currentWidget(), SyncPage)


def test_a_second_laptop_gets_its_classes_by_connecting(
    qtbot: QtBot,
    async_loop: qasync.QEventLoop,
    main_window: MainWindow,
    services: AppServices,
    district: LiveServer,
    tmp_path: Path,
) -> None:
    """Her first laptop synced a class; the new one, still empty, connects and shows it."""
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    first = AppServices.open(tmp_path / "first-laptop")
    try:
        section = create_sample_class(first, students=5)

        async def first_laptop_syncs() -> bool:
            await first.sync.enrol(district.url, admin.issue_code(district.engine, teacher))
            return (await first.sync.sync_now()).ok

        with ThreadPoolExecutor(1) as pool:  # its own loop: the window's is running here
            assert pool.submit(asyncio.run, first_laptop_syncs()).result(timeout=60)
    finally:
        first.close()

    line = _status_line(main_window)
    qtbot.waitUntil(line.isVisible, timeout=WAIT_MS)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    page = main_window.stack.currentWidget()
    assert isinstance(page, SyncPage)
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))
    qtbot.waitUntil(lambda: main_window.current_class_id == section.id, timeout=WAIT_MS)
    assert main_window.class_picker.currentText() == section.name
    assert len(services.roster.roster(section.id)) == 5
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)


def test_the_panel_for_the_docs(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    district: LiveServer,
    artifacts_dir: Path,
) -> None:
    """Render the page after a sync with a change waiting (docs/images/sync.png)."""
    page = _page(window)
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    for station in services.stations.list_for(cast(str, window.current_class_id))[:3]:
        services.stations.update(station.id, capacity=6)
    qtbot.waitUntil(lambda: page.waiting_label.text().startswith("3 changes"), timeout=WAIT_MS)
    window.resize(1100, 720)
    image = window.grab()
    image.save(str(artifacts_dir / "sync.png"))
    assert image.width() > 0


def test_start_up_imports_nothing_of_sync(tmp_path: Path) -> None:
    """The window and its status line come up without httpx, the engine or the keyring."""
    AppServices.open(tmp_path).close()  # migrated here: the child times only the start
    script = f"""
import sys
from pathlib import Path
from station_rotation.services.app import AppServices
from station_rotation.ui.app import build_main_window, make_application
app = make_application([])
services = AppServices.open(Path({str(tmp_path)!r}))
window = build_main_window(services)
window.show()
app.processEvents()
heavy = [m for m in ("httpx", "keyring", "tenacity", "station_rotation.sync.client",
         "station_rotation.sync.engine", "station_rotation.services.sync.service")
         if m in sys.modules]
print(heavy)
services.close()
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_teacher_disconnects_the_laptop_and_keeps_her_work(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    district: LiveServer,
    artifacts_dir: Path,
) -> None:
    """ "Disconnect this laptop…" asks first; Cancel keeps it; Disconnect forgets the
    enrolment (a new code is needed), keeps the data and the changes not sent yet."""
    page = _page(window)
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    station = services.stations.list_for(cast(str, window.current_class_id))[0]
    services.stations.update(station.id, name="Listening corner")  # not sent yet
    qtbot.waitUntil(lambda: services.sync.status().waiting == 1, timeout=WAIT_MS)
    page.reload()
    qtbot.waitUntil(lambda: "1 change waiting" in page.waiting_label.text(), timeout=WAIT_MS)

    def ask() -> Any:
        qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.leave_question is not None, timeout=WAIT_MS)
        question = page.leave_question
        assert question is not None and question.isVisible()
        return question

    question = ask()
    assert "1 change not sent yet" in question.text()
    assert "new enrolment code" in question.text()
    question.grab().save(str(artifacts_dir / "sync-disconnect-question.png"))
    question.button(question.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: page.leave_question is None, timeout=WAIT_MS)
    assert services.sync.status().enrolled and page.status_box.isVisible()

    question = ask()
    question.findChild(type(page.leave_button), "syncLeaveConfirm").click()
    qtbot.waitUntil(lambda: page.connect_box.isVisible(), timeout=WAIT_MS)
    assert not page.status_box.isVisible()
    assert not services.sync.status().enrolled
    assert services.sync.status().waiting == 1  # kept for a new enrolment
    assert services.stations.get(station.id).name == "Listening corner"
    assert page.address_edit.text() == district.url  # ready for the new code


def test_a_damaged_change_is_explained_on_the_page_and_the_rest_syncs(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    district: LiveServer,
    artifacts_dir: Path,
) -> None:
    """An outbox row damaged on disk: the other changes go up, and the page says what
    happened and what to do (before: the sync stopped with "an unexpected problem")."""
    import sqlite3

    from station_rotation.paths import DB_FILENAME

    page = _page(window)
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    _connect(qtbot, page, district.url, admin.issue_code(district.engine, teacher))
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    assert not page.warnings_label.isVisible()
    first, second = services.stations.list_for(cast(str, window.current_class_id))[:2]
    services.stations.update(first.id, name="Listening corner")
    services.stations.update(second.id, name="Maths games")
    conn = sqlite3.connect(services.store.data_dir / DB_FILENAME)
    conn.execute(
        "UPDATE change_log SET payload = CAST(? AS TEXT) WHERE seq = "
        "(SELECT max(seq) - 1 FROM change_log)",
        (b'{"name": "Listening\xff corner"}',),
    )
    conn.commit()
    conn.close()

    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(page.warnings_label.isVisible, timeout=WAIT_MS)
    assert page.warnings_label.text().startswith(
        "1 change on this laptop is damaged and was not sent"
    )
    qtbot.waitUntil(page.sync_button.isEnabled, timeout=WAIT_MS)
    assert not page.error_label.isVisible()
    assert page.waiting_label.text() == "everything sent"
    page.grab().save(str(artifacts_dir / "sync-damaged-change.png"))
