"""A teacher sees what sync needs from her on the Sync page, and decides.

Real main window on the app's qasync loop, a real data file, a second real laptop (its
own data file, synced through the same ``SyncService`` on its own thread) and a real
district server on a loopback port: a real conflict and a real refusal, no fakes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from docs_images import docs_image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import Session, select

from station_rotation.server import admin
from station_rotation.server.tables import Record
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.sync.attention import Attention, RefusedItem, advice_for
from station_rotation.store.models import ClassSection, Station
from station_rotation.sync.conflicts import list_conflicts
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.sync.attention import AttentionSection
from station_rotation.ui.sync.status_line import SyncStatusLine
from station_rotation.ui.sync.sync_panel import SyncPage
from tests.live_server import LiveServer

WAIT_MS = 20_000
T = TypeVar("T")


@pytest.fixture
def other_laptop(tmp_path: Path) -> Iterator[AppServices]:
    """The teacher's other laptop (or a colleague's): its own data folder."""
    services = AppServices.open(tmp_path / "other-laptop")
    services.sync.attempts, services.sync.max_wait = 2, 0.05
    yield services
    services.close()


@pytest.fixture
def window(
    async_loop: qasync.QEventLoop, main_window: MainWindow, services: AppServices
) -> MainWindow:
    services.sync.attempts = 2
    services.sync.max_wait = 0.05
    return main_window


def _elsewhere(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run another laptop's sync on its own loop (the window's loop runs this test)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result(timeout=60)


def _enrol_and_sync(laptop: AppServices, district: LiveServer, teacher: str) -> None:
    async def run() -> bool:
        await laptop.sync.enrol(district.url, admin.issue_code(district.engine, teacher))
        return (await laptop.sync.sync_now()).ok

    assert _elsewhere(run)


def _sync(laptop: AppServices) -> None:
    async def run() -> bool:
        return (await laptop.sync.sync_now()).ok

    assert _elsewhere(run)


def _page(window: Any) -> SyncPage:
    page = window.show_page("Sync")
    assert isinstance(page, SyncPage)
    return page


def _connect(qtbot: QtBot, window: Any, district: LiveServer, teacher: str) -> SyncPage:
    page = _page(window)
    page.address_edit.clear()
    qtbot.keyClicks(page.address_edit, district.url)
    qtbot.keyClicks(page.code_edit, admin.issue_code(district.engine, teacher))
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)
    return page


def _status_line(window: Any) -> SyncStatusLine:
    line = window.findChild(SyncStatusLine, "syncStatusLine")
    assert line is not None
    return line


def _server_station(district: LiveServer, station_id: str) -> dict[str, Any]:
    with Session(district.engine) as session:
        row = session.exec(select(Record).where(Record.id == station_id)).one()
        return {**row.payload, "hlc": row.hlc}


def test_she_sees_the_conflict_keeps_hers_and_both_laptops_converge(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    other_laptop: AppServices,
    district: LiveServer,
) -> None:
    """Home laptop renamed her station while school had renamed it too; she keeps school's."""
    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    section = create_sample_class(services, students=6)
    window.select_class(section.id)
    page = _connect(qtbot, window, district, teacher)
    home = other_laptop
    _enrol_and_sync(home, district, teacher)
    station = services.stations.list_for(section.id)[0]

    services.stations.update(station.id, name="Reading corner", capacity=5)  # at school
    time.sleep(0.01)
    home.stations.update(station.id, name="Listening post")  # that evening, at home
    _sync(home)
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)

    box = page.attention_box
    qtbot.waitUntil(lambda: len(box.conflict_cards) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(page.sync_button.isEnabled, timeout=WAIT_MS)
    assert box.isVisible() and box.title() == "Needs your attention (1)"
    [card] = box.conflict_cards
    sentence = card.sentence.text()
    assert sentence.startswith(
        f"Your edit of station “Listening post” in {section.name} on this laptop (today "
    )
    assert "was replaced by an edit from another laptop (today " in sentence
    mine = [label.text() for label in card.findChildren(type(card.sentence), "mineValue")]
    theirs = [label.text() for label in card.findChildren(type(card.sentence), "theirsValue")]
    assert mine == ["Reading corner"]  # the capacity only she changed was merged in
    assert theirs == ["Listening post"]
    line = _status_line(window)
    qtbot.waitUntil(lambda: line.text().endswith("· 1 needs attention"), timeout=WAIT_MS)
    assert "#9a3412" in line.styleSheet()  # in the warning colour, to be noticed
    window.resize(1100, 760)
    qtbot.wait(50)  # the new size's layout
    window.grab().save(str(docs_image("sync_attention.png")))

    # Keyboard only: Tab reaches "Keep mine", Space presses it.
    assert card.keep_mine is not None
    card.keep_mine.setFocus()
    assert card.keep_mine.hasFocus()
    qtbot.keyClick(card.keep_mine, Qt.Key.Key_Space)

    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
    assert services.stations.get(station.id).name == "Reading corner"
    # "Keep mine" is a new edit, and it syncs at once.
    qtbot.waitUntil(lambda: line.text().endswith("· everything sent"), timeout=WAIT_MS)
    qtbot.waitUntil(page.sync_button.isEnabled, timeout=WAIT_MS)
    assert "#9a3412" not in line.styleSheet()
    _sync(home)
    school_copy = services.stations.get(station.id).model_dump(mode="json")
    home_copy = home.stations.get(station.id).model_dump(mode="json")
    assert school_copy == home_copy == _server_station(district, station.id)
    assert (home_copy["name"], home_copy["capacity"]) == ("Reading corner", 5)
    assert list_conflicts(services.store) == list_conflicts(home.store) == []


def test_a_refused_change_is_explained_and_can_be_dismissed(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    other_laptop: AppServices,
    district: LiveServer,
) -> None:
    """Mr Okafor adds a station to a class the district gives Ms Rivera: why, and what next."""
    rivera = admin.create_teacher(district.engine, "Ms Rivera")
    okafor = admin.create_teacher(district.engine, "Mr Okafor")
    hers = other_laptop
    her_class = hers.classes.create_class(name="7A Science")
    _enrol_and_sync(hers, district, rivera)
    mine = create_sample_class(services, students=4)
    window.select_class(mine.id)
    page = _connect(qtbot, window, district, okafor)
    with services.store.write() as tx:  # a copy of her class, as a shared file might hold
        tx.put(ClassSection(id=her_class.id, name="7A Science"))
        tx.put(Station(class_id=her_class.id, name="Microscopes"))
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)

    box: AttentionSection = page.attention_box
    qtbot.waitUntil(lambda: len(box.refused_cards) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(page.sync_button.isEnabled, timeout=WAIT_MS)
    texts = [
        [label.text() for label in card.findChildren(type(page.state_label))]
        for card in box.refused_cards
    ]
    assert texts[1][:3] == [
        "The district server did not accept your change to station “Microscopes” in 7A Science.",
        "Why: This change is for a class that is not yours on the server.",
        "What you can do: The district server does not list this class as yours. If it is, "
        "ask your district to assign it to you, then press Send again.",
    ]
    assert texts[0][1] == "Why: This class belongs to another teacher."
    line = _status_line(window)
    qtbot.waitUntil(lambda: line.text().endswith("· 2 need attention"), timeout=WAIT_MS)
    window.resize(1100, 860)
    qtbot.wait(50)  # the new size's layout
    window.grab().save(str(docs_image("sync_attention-refused.png")))

    first = box.refused_cards[0]
    first.dismiss.setFocus()
    qtbot.keyClick(first.dismiss, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(box.refused_cards) == 1, timeout=WAIT_MS)
    # The focus moves on to the next item, so the keyboard can carry on.
    [left] = box.refused_cards
    qtbot.waitUntil(left.send_again.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(left.dismiss, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "attention" not in line.text(), timeout=WAIT_MS)
    assert {s.name for s in services.stations.list_for(her_class.id)} == {"Microscopes"}
    _sync(hers)
    assert "Microscopes" not in {s.name for s in hers.stations.list_for(her_class.id)}


def test_the_welcome_screen_leads_to_the_sync_page_and_back(
    qtbot: QtBot, async_loop: qasync.QEventLoop, main_window: MainWindow, artifacts_dir: Path
) -> None:
    """A second laptop with no class: "Connect to district…" opens the Sync page."""
    welcome = main_window.welcome
    assert main_window.stack.currentWidget() is welcome
    main_window.grab().save(str(artifacts_dir / "welcome-connect.png"))
    qtbot.mouseClick(welcome.sync_button, Qt.MouseButton.LeftButton)
    page = main_window.stack.currentWidget()
    assert isinstance(page, SyncPage)
    assert page.connect_box.isVisible() and page.address_edit.hasFocus()
    assert page.back_button.isVisible()
    main_window.grab().save(str(artifacts_dir / "welcome-connect-sync-page.png"))
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert main_window.stack.currentWidget() is welcome
    assert not page.isVisible()


def test_a_double_click_sends_a_choice_once(qtbot: QtBot) -> None:
    """Pressing "Send again" twice before the page redraws queues the record once; after a
    failure the same choice can be made again."""
    box = AttentionSection()
    qtbot.addWidget(box)
    refused = RefusedItem(
        change_id="c1",
        entity="station",
        record_id="s1",
        what="station “Microscopes” in 7A Science",
        reason="This class belongs to another teacher.",
        advice=advice_for("This class belongs to another teacher."),
    )
    box.show_attention(Attention(refused=(refused,)))
    sent: list[str] = []
    box.send_again.connect(sent.append)
    [card] = box.refused_cards
    card.send_again.click()
    card.send_again.click()
    assert sent == ["c1"]
    box.show_error("The district server could not be reached.")
    card.send_again.click()
    assert sent == ["c1", "c1"]
