"""The teacher switches on "Phones & tablets": pairs her phone, sees devices, ends them.

Real widgets on a real data file, the companion's real server on loopback, and httpx
as the phone and the students' devices.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.companion.server import CompanionServer
from station_rotation.paths import resource_path
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.companion import networks
from station_rotation.ui.companion.controller import CompanionController
from station_rotation.ui.companion.devices_model import TEACHER, WHO
from station_rotation.ui.companion.panel import CompanionPanel
from station_rotation.ui.companion.student_codes import StudentCodesDialog, render_image
from station_rotation.ui.projector.join_band import spaced
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.rotation.shortcuts import Command
from tests.companion.companion_helpers import device, joined, paired
from tests.docs_images import docs_image
from tests.ui.rotation_helpers import FakeTime, forget_rotation_settings, open_panel, use_fake_time

log = logging.getLogger(__name__)


@pytest.fixture(autouse=True)
def _defaults() -> None:
    forget_rotation_settings()
    QSettings().remove("companion")
    networks.NETWORK.set(networks.LOOPBACK)  # these stories run on "This laptop only"


@pytest.fixture
def clock(services: AppServices) -> FakeTime:
    return use_fake_time(services)


@pytest.fixture
def page(qtbot: QtBot, services: AppServices, clock: FakeTime) -> Iterator[RotationPage]:
    """The Rotation page with today's plan for the sample class (28 students) started."""
    section = create_sample_class(services, students=28)
    services.plans.create(section.id, "Ratios day", date.today())
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    assert page.run is not None
    yield page
    if page.companion.controller is not None:
        page.companion.switch.setChecked(False)
        page.companion.controller.wait_idle()
    page.projector.close()


def switch_on(qtbot: QtBot, page: RotationPage) -> tuple[CompanionController, CompanionServer]:
    page.companion.switch.setChecked(True)
    controller = page.companion.controller
    assert controller is not None
    qtbot.waitUntil(lambda: controller.serving, timeout=15_000)
    assert controller.server is not None
    return controller, controller.server


def panel_of(page: RotationPage) -> CompanionPanel:
    assert page.companion.panel is not None
    return page.companion.panel


def open_projector(qtbot: QtBot, page: RotationPage) -> ProjectorWindow:
    page.open_projector()
    window = page.projector.window
    assert isinstance(window, ProjectorWindow)
    window.resize(1920, 1080)
    qtbot.waitExposed(window)
    return window


def command(phone: httpx.Client, name: str) -> httpx.Response:
    return phone.post("/api/command", json={"id": str(uuid.uuid4()), "command": name})


def projector_strings(window: ProjectorWindow) -> list[str]:
    """Everything the projector could show: texts, codes' links, titles, properties."""
    found = [window.windowTitle(), *window.board_view.drawn_texts()]
    found += window.join_band.drawn_texts()
    found += window._qr.urls()
    card = window.join_band.card
    if card is not None:
        found += [card.url, card.code, card.address]
    for child in window.findChildren(QWidget):
        found.append(child.objectName())
        if isinstance(child, QLabel):
            found.append(child.text())
        for name in child.dynamicPropertyNames():
            found.append(str(child.property(bytes(name.data()).decode())))
    return found


def save_shot(image_path: Path, widget: QWidget, docs_name: str) -> None:
    """A picture for people to look at, and the docs' copy (see tests/docs_images.py)."""
    assert widget.grab().save(str(image_path))
    shutil.copyfile(image_path, docs_image(docs_name))


def shots(artifacts_dir: Path) -> Path:
    out = artifacts_dir / "companion"
    out.mkdir(parents=True, exist_ok=True)
    return out


# --- switching on and off -----------------------------------------------------------


def test_phones_and_tablets_is_off_at_every_start(qtbot: QtBot, page: RotationPage) -> None:
    """Nothing serves until the teacher asks, and the switch is not remembered."""
    assert not page.companion.switch.isChecked()
    assert page.companion.controller is None  # the companion's modules are not even loaded
    switch_on(qtbot, page)
    again = RotationPage(page.first_screen)
    qtbot.addWidget(again)
    assert not again.companion.switch.isChecked()


def test_this_laptop_only_serves_on_loopback(qtbot: QtBot, page: RotationPage) -> None:
    """Switched on with "This laptop only", the companion answers on 127.0.0.1 alone."""
    controller, server = switch_on(qtbot, page)
    panel = panel_of(page)
    assert panel.isVisible()
    assert panel.network_picker.currentText() == networks.LOOPBACK_LABEL
    assert panel.network_picker.itemText(panel.network_picker.count() - 1) == (
        networks.LOOPBACK_LABEL
    )
    assert server.host == "127.0.0.1"
    assert controller.url.startswith("http://127.0.0.1:")
    with device(server) as browser:
        answer = browser.get("/api/view")
    assert answer.status_code == 401  # served, and nobody paired yet
    assert "error" in answer.json()
    assert panel.status_label.text() == f"Serving at {server.url}"
    assert server.url in page.companion.summary.text()


@pytest.mark.skipif(
    not resource_path("companion", "index.html").is_file(),
    reason="the companion's pages are not in this checkout yet (branch companion-pages)",
)
def test_the_code_screen_is_served(qtbot: QtBot, page: RotationPage) -> None:
    """A phone that opens the address gets the code screen."""
    _, server = switch_on(qtbot, page)
    with device(server) as browser:
        assert browser.get("/").status_code == 200


def test_switching_off_ends_every_session_and_closes_the_port(
    qtbot: QtBot, page: RotationPage
) -> None:
    """Off: the phone's open stream ends, and the address refuses connections (quickly)."""
    controller, server = switch_on(qtbot, page)
    phone = paired(server)
    address = server.url
    stream_ended = threading.Event()

    def follow_stream() -> None:
        try:
            with phone.stream("GET", "/api/events", timeout=20) as events:
                for _line in events.iter_lines():
                    pass
        except httpx.HTTPError:
            pass
        stream_ended.set()

    reader = threading.Thread(target=follow_stream, daemon=True)
    reader.start()
    time.sleep(0.2)  # the stream is open
    began = time.monotonic()
    page.companion.switch.setChecked(False)
    switched = time.monotonic() - began
    controller.wait_idle()
    log.info(
        "switch-off returned in %.3f s; the server stopped in %.2f s",
        switched,
        controller.last_stop_seconds,
    )
    assert switched < 0.2  # the GUI thread does not wait for the server
    assert controller.last_stop_seconds < 5
    assert stream_ended.wait(5)
    assert not controller.on and not panel_of(page).isVisible()
    with pytest.raises(httpx.ConnectError), httpx.Client(timeout=5) as browser:
        browser.get(f"{address}/api/view")


def test_a_network_the_laptop_left_is_said_in_plain_words(qtbot: QtBot, page: RotationPage) -> None:
    """An address the laptop does not have is an error in the panel, not a crash."""
    controller, _ = switch_on(qtbot, page)
    panel = panel_of(page)
    controller.use_network("192.0.2.123")  # TEST-NET: not this laptop's
    qtbot.waitUntil(lambda: bool(controller.error), timeout=15_000)
    assert "Cannot listen on 192.0.2.123" in panel.status_label.text()
    assert not controller.serving and panel.pair_qr.url == ""
    assert "Cannot listen" in page.companion.summary.text()
    panel.choose(networks.LOOPBACK)  # the teacher picks a network again
    qtbot.waitUntil(lambda: controller.serving, timeout=15_000)
    assert networks.NETWORK.get() == networks.LOOPBACK  # remembered for next time
    assert panel.status_label.text().startswith("Serving at http://127.0.0.1:")


# --- pairing and devices --------------------------------------------------------------


def test_the_pairing_code_is_shown_on_the_laptop(qtbot: QtBot, page: RotationPage) -> None:
    """The QR code holds the pairing address; the short code and address are beside it."""
    _, server = switch_on(qtbot, page)
    panel = panel_of(page)
    access = server.classroom.access
    assert panel.pair_qr.url == f"{server.url}/#pair={access.pair_secret}"
    assert panel.pair_qr.property("url") == panel.pair_qr.url
    pixmap = panel.pair_qr.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 100
    assert panel.pair_code.text() == spaced(access.pair_code)
    assert len(panel.pair_code.text()) == 7 and panel.pair_code.text()[3] == " "
    assert panel.pair_address.text() == server.url

    before = panel.pair_qr.url
    panel.new_code_button.click()
    assert panel.pair_qr.url != before
    assert panel.pair_qr.url == f"{server.url}/#pair={access.pair_secret}"


def test_a_paired_phone_is_listed_and_remove_ends_its_session(
    qtbot: QtBot, page: RotationPage, qtmodeltester: ModelTester
) -> None:
    """Pairing shows the phone in the list and a new code; Remove signs it out."""
    _, server = switch_on(qtbot, page)
    panel = panel_of(page)
    first_code = panel.pair_qr.url
    phone = paired(server)
    qtbot.waitUntil(lambda: panel.devices.rowCount() == 1)
    assert panel.devices.index(0, WHO).data() == TEACHER
    qtmodeltester.check(panel.devices)
    qtbot.waitUntil(lambda: panel.pair_qr.url != first_code)  # one code pairs one phone
    assert phone.get("/api/view").status_code == 200

    remove = panel.findChild(QPushButton, "removeDevice0")
    assert isinstance(remove, QPushButton)
    remove.click()
    assert phone.get("/api/view").status_code == 401
    qtbot.waitUntil(lambda: panel.devices.rowCount() == 0)


def test_end_all_sessions_signs_out_every_device(qtbot: QtBot, page: RotationPage) -> None:
    """The phone and a student's device both have to join again."""
    _, server = switch_on(qtbot, page)
    panel = panel_of(page)
    phone = paired(server)
    pupil = joined(server)
    qtbot.waitUntil(lambda: panel.devices.rowCount() == 2)
    whos = {panel.devices.index(row, WHO).data() for row in range(2)}
    assert TEACHER in whos and len(whos) == 2  # and the student's first name

    panel.end_all_button.click()
    assert phone.get("/api/view").status_code == 401
    assert pupil.get("/api/view").status_code == 401
    qtbot.waitUntil(lambda: panel.devices.rowCount() == 0)


def test_ending_the_rotation_on_the_laptop_ends_students_sessions(
    qtbot: QtBot, page: RotationPage
) -> None:
    """End on the laptop: students are sent back to the code screen; the phone stays."""
    controller, server = switch_on(qtbot, page)
    panel = panel_of(page)
    phone = paired(server)
    pupil = joined(server)
    assert pupil.get("/api/view").status_code == 200
    assert panel.join_code.text() == spaced(server.classroom.access.join_code)

    page.run_command(Command.END)
    assert page.end_box is not None
    page.end_box.button(QMessageBox.StandardButton.Yes).click()

    assert pupil.get("/api/view").status_code == 401
    assert phone.get("/api/view").status_code == 200
    qtbot.waitUntil(lambda: panel.join_code.text() == "—")
    assert controller.join_card() is None


def test_the_check_in_opens_from_the_laptop_too(qtbot: QtBot, page: RotationPage) -> None:
    """The teacher at her desk opens the students' check-in without her phone."""
    _controller, server = switch_on(qtbot, page)
    panel = panel_of(page)
    pupil = joined(server)
    assert pupil.get("/api/view").json()["checkin"] is None
    assert panel.checkin_button.isEnabled() and panel.checkin_button.text() == "Open check-in"

    panel.checkin_button.click()
    prompt = pupil.get("/api/view").json()["checkin"]
    assert prompt is not None and prompt["statement"]
    qtbot.waitUntil(lambda: panel.checkin_button.text() == "Close check-in")

    phone = paired(server)  # closed from the phone: the laptop's button follows
    assert phone.post("/api/checkin", json={"open": False}).status_code == 200
    qtbot.waitUntil(lambda: panel.checkin_button.text() == "Open check-in")
    assert pupil.get("/api/view").json()["checkin"] is None


# --- the projector ----------------------------------------------------------------------


def test_the_phones_blank_blanks_the_projector_and_the_clock_runs_on(
    qtbot: QtBot, page: RotationPage, clock: FakeTime, artifacts_dir: Path
) -> None:
    """Blank from the phone: black "Eyes on me"; the key on the laptop lifts it again."""
    _, server = switch_on(qtbot, page)
    window = open_projector(qtbot, page)
    phone = paired(server)
    before = window.countdown.text

    assert command(phone, "blank").status_code == 200
    qtbot.waitUntil(lambda: window.blanked)
    assert page.blank and page.blank_button.isChecked()
    assert window.grab().save(str(shots(artifacts_dir) / "projector-blank.png"))
    clock.pass_seconds(30)
    page.ticker.tick_now()
    assert window.countdown.text != before  # the time goes on underneath

    page.run_command(Command.BLANK)  # the "." key
    assert not window.blanked and not page.blank_button.isChecked()
    assert phone.get("/api/view").json()["blank"] is False

    page.blank_button.click()  # the laptop blanks: the phone shows it
    assert window.blanked
    assert phone.get("/api/view").json()["blank"] is True


def test_the_blank_key_works_without_the_companion(qtbot: QtBot, page: RotationPage) -> None:
    """The laptop's blank needs no phone: a key, shown on its button."""
    window = open_projector(qtbot, page)
    assert page.blank_button.text().endswith("[.]")
    qtbot.keyClick(page, Qt.Key.Key_Period)
    assert window.blanked
    qtbot.keyClick(page, Qt.Key.Key_Period)
    assert not window.blanked


def test_the_join_code_shows_on_the_projector_only_when_asked_and_never_the_pairing(
    qtbot: QtBot, page: RotationPage, artifacts_dir: Path
) -> None:
    """Students join from the projector's code; the teacher's pairing secret is never there."""
    controller, server = switch_on(qtbot, page)
    window = open_projector(qtbot, page)
    panel = panel_of(page)
    access = server.classroom.access
    pairing = (access.pair_secret, access.pair_code, controller.pair_url())

    assert not window.join_band.isVisible()  # off until the teacher ticks it
    assert access.join_secret not in projector_strings(window)
    panel.show_join_box.setChecked(True)
    assert window.join_band.isVisible()
    seen = projector_strings(window)
    join_url = f"{server.url}/#join={access.join_secret}"
    assert join_url in seen
    assert f"Class code  {spaced(access.join_code)}" in seen
    assert f"or go to {server.url}" in seen
    for text in seen:
        for secret in pairing:
            assert secret not in text
    assert not any("#pair=" in text for text in seen)
    band = window.join_band.geometry()
    assert not band.intersects(window.countdown.geometry())

    image = shots(artifacts_dir) / "projector-join.png"
    save_shot(image, window, "projector-join.png")

    panel.show_join_box.setChecked(False)
    assert not window.join_band.isVisible()
    panel.show_join_box.setChecked(True)
    page.companion.switch.setChecked(False)  # off: nothing to join any more
    assert not window.join_band.isVisible()


def test_the_panel_with_a_phone_and_students(
    qtbot: QtBot, page: RotationPage, artifacts_dir: Path
) -> None:
    """What the teacher sees: the pairing code, her phone and two students' devices."""
    _, server = switch_on(qtbot, page)
    panel = panel_of(page)
    paired(server)
    joined(server, 0, 0)
    joined(server, 1, 0)
    qtbot.waitUntil(lambda: panel.devices.rowCount() == 3)
    assert panel.devices_note.text() == "1 phone, 2 student devices"
    panel.resize(900, 560)
    save_shot(shots(artifacts_dir) / "companion-panel.png", panel, "companion-panel.png")
    page.resize(1100, 700)
    page.companion.switch.setFocus()
    assert page.grab().save(str(shots(artifacts_dir) / "rotation-page-companion.png"))


def test_student_codes_list_every_student_for_printing(
    qtbot: QtBot, page: RotationPage, services: AppServices, artifacts_dir: Path
) -> None:
    """Each student's own code, the same as the server accepts, ready to print."""
    _, server = switch_on(qtbot, page)
    panel_of(page).codes_button.click()
    dialog = page.companion.codes_dialog
    assert isinstance(dialog, StudentCodesDialog)
    assert dialog.model.rowCount() == 28
    assert page.run is not None
    roster = services.roster.roster(page.run.class_id)
    for row, entry in enumerate(roster):
        assert dialog.model.index(row, 0).data() == entry.student.display_name
        assert dialog.model.index(row, 1).data() == server.classroom.access.personal_code(
            entry.student.id
        )
    sheet = render_image(dialog.sheet)
    assert sheet.save(str(shots(artifacts_dir) / "student-codes.png"))
    dialog.close()
