"""A teacher runs a rotation from the control panel: start, pause, extend, skip, end."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.clock import Phase
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.checks.entry_page import QuickCheckPage
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.rotation.moves_model import FREE_CHOICE, GROUP, NEXT, NOW
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.rotation.shortcuts import Command
from tests.docs_images import docs_image
from tests.ui.rotation_helpers import forget_rotation_settings, open_panel, use_fake_time


@pytest.fixture(autouse=True)
def _default_settings() -> None:
    forget_rotation_settings()


def rotation_page(main_window: MainWindow) -> RotationPage:
    page = main_window.show_page("Rotation")
    assert isinstance(page, RotationPage)
    return page


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.NoModifier)


def test_keys_start_pause_extend_skip_and_end_a_quick_timer(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """Space starts and pauses, + adds a minute, N skips, E ends after a yes."""
    clock = use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    page.rounds_spin.setValue(3)
    page.minutes_spin.setValue(10)
    page.transition_spin.setValue(60)
    main_window.nav.setFocus()  # keys work wherever the focus is in the window

    press(qtbot, main_window.nav, Qt.Key.Key_Space)
    assert page.run is not None and page.run.title == "Quick timer"
    assert page.countdown.time_label.text() == "10:00"
    assert page.countdown.phase_label.text() == "Round 1 of 3"

    clock.pass_seconds(30)
    press(qtbot, main_window.nav, Qt.Key.Key_Space)
    assert page.last_view is not None and page.last_view.paused
    assert page.countdown.time_label.text() == "9:30"
    assert page.buttons[Command.START_PAUSE].text().startswith("Resume")
    clock.pass_seconds(100)  # paused: the time does not move
    press(qtbot, main_window.nav, Qt.Key.Key_Space)
    assert page.countdown.time_label.text() == "9:30"

    press(qtbot, main_window.nav, Qt.Key.Key_Plus)
    assert page.countdown.time_label.text() == "10:30"
    press(qtbot, main_window.nav, Qt.Key.Key_Minus)
    assert page.countdown.time_label.text() == "9:30"
    press(qtbot, main_window.nav, Qt.Key.Key_5)
    assert page.countdown.time_label.text() == "14:30"

    press(qtbot, main_window.nav, Qt.Key.Key_N)
    assert page.last_view is not None and page.last_view.phase is Phase.TRANSITION
    assert page.countdown.time_label.text() == "1:00"
    press(qtbot, main_window.nav, Qt.Key.Key_N)
    assert page.countdown.phase_label.text() == "Round 2 of 3"
    press(qtbot, main_window.nav, Qt.Key.Key_B)
    assert page.countdown.phase_label.text() == "Round 1 of 3"

    press(qtbot, main_window.nav, Qt.Key.Key_E)
    assert page.end_box is not None and page.end_box.isVisible()
    box = page.end_box
    box.button(QMessageBox.StandardButton.Yes).click()
    assert page.last_view is not None and page.last_view.phase is Phase.FINISHED  # type: ignore[comparison-overlap]  # mypy keeps the narrowing from before the key press
    assert page.countdown.time_label.text() == "Done"
    assert services.rotation.unfinished_runs(section.id) == []
    assert not page.buttons[Command.NEXT].isEnabled()


def test_no_to_the_end_question_keeps_the_run_going(qtbot: QtBot, services: AppServices) -> None:
    """A stray E must not end a class: answering No leaves the clock as it was."""
    use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    page.run_command(Command.END)
    assert page.end_box is not None
    page.end_box.button(QMessageBox.StandardButton.No).click()
    assert page.last_view is not None and page.last_view.phase is Phase.ROUND


def test_the_shown_keys_match_the_buttons(qtbot: QtBot, services: AppServices) -> None:
    """Every button names its key, and its tooltip says what it does."""
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    texts = {c: b.text() for c, b in page.buttons.items()}
    assert texts[Command.ADD_ONE].endswith("[+]")
    assert texts[Command.NEXT].endswith("[N]")
    assert texts[Command.START_PAUSE].endswith("[Space]")
    assert "key: E" in page.buttons[Command.END].toolTip()
    assert page.start_button.text().endswith("[Space]")


def test_todays_plan_starts_in_one_action_and_shows_now_and_next(
    qtbot: QtBot, services: AppServices
) -> None:
    """Today's plan is picked already; one click starts it; the table tells who goes where."""
    clock = use_fake_time(services)
    section = create_sample_class(services)
    services.plans.create(section.id, "Last week", date(2020, 1, 6))
    plan = services.plans.create(section.id, "Fractions", date.today())
    page = open_panel(qtbot, services, section.id)
    assert page.plan_picker.currentText() == "Today: Fractions"
    assert page.start_button.text().startswith("Start today's plan")
    assert not page.minutes_spin.isVisible()

    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)

    assert page.run is not None and page.run.board is not None
    assert page.run.board.plan_id == plan.id
    board = page.run.board
    first = board.moves(0)
    rows = [
        tuple(page.moves.index(r, c).data() for c in (GROUP, NOW, NEXT))
        for r in range(page.moves.rowCount())
    ]
    expected = [
        (m.group.name, m.now.name if m.now else FREE_CHOICE, m.next.name if m.next else FREE_CHOICE)
        for m in first
    ]
    assert rows == expected
    assert rows[0][0] == "Blue"
    assert page.countdown.time_label.text() == "15:00"

    clock.pass_seconds(15 * 60 + 1)  # into the transition: leaving round 1 for round 2
    page.ticker.tick_now()
    assert page.countdown.phase_label.text().startswith("Clean up and move")
    assert [page.moves.index(r, NEXT).data() for r in range(len(first))] == [e[2] for e in expected]


def test_the_now_next_table_shows_each_groups_colour_and_shape(
    qtbot: QtBot, services: AppServices
) -> None:
    """The Group column's icon is the group's badge (colour plus shape), the same shape
    the board gives it, so two groups never differ by colour alone."""
    use_fake_time(services)
    section = create_sample_class(services)
    services.plans.create(section.id, "Fractions", date.today())
    page = open_panel(qtbot, services, section.id)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.run is not None and page.run.board is not None
    board = page.run.board
    shapes = board.symbols()
    count = page.moves.rowCount()
    assert count >= 2
    images = []
    for row, group in zip(range(count), board.groups, strict=True):
        assert page.moves.symbol(row) == shapes[group.id]
        icon = page.moves.index(row, GROUP).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon) and not icon.isNull()
        image = icon.pixmap(20, 20).toImage().convertToFormat(QImage.Format.Format_RGB32)
        middle = image.pixelColor(10, 10)
        corner = image.pixelColor(2, 10)  # the badge's colour, off the shape
        assert QColor(group.colour).name() == corner.name()
        assert middle != corner  # the shape is drawn on the colour
        described = page.moves.index(row, GROUP).data(Qt.ItemDataRole.AccessibleDescriptionRole)
        assert shapes[group.id].name in described
        images.append(image)
    # The same colour with another shape is another picture: the shape is in the icon.
    mask = [
        [images[0].pixelColor(x, y) == images[0].pixelColor(2, 10) for x in range(20)]
        for y in range(20)
    ]
    others = [
        [[image.pixelColor(x, y) == image.pixelColor(2, 10) for x in range(20)] for y in range(20)]
        for image in images[1:]
    ]
    assert all(other != mask for other in others)


def test_an_infeasible_plan_is_explained_not_started(qtbot: QtBot, services: AppServices) -> None:
    """A plan nobody is grouped in cannot run: the teacher reads why, nothing starts."""
    section = services.classes.create_class(name="Empty")
    services.plans.create(section.id, "Nobody yet", date.today())
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    assert page.run is None
    box = page.findChild(QMessageBox, "errorMessage")
    assert box is not None and "form groups first" in box.text()
    box.close()


def test_the_projector_keeps_ticking_while_another_page_is_used(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """Quick checks on another page while the run goes: the ticker does not stop."""
    section = services.classes.create_class(name="Math 6")
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    page.minutes_spin.setValue(1)
    page.start_selected()
    main_window.show_page("Roster")
    assert not page.isVisible()
    ticks: list[float] = []
    page.ticker.ticked.connect(lambda view: ticks.append(view.remaining))
    qtbot.waitUntil(lambda: len(ticks) >= 1, timeout=2500)
    assert page.ticker.active
    assert 57.0 < ticks[-1] < 60.0
    page.ticker.stop()


def test_space_typed_into_another_page_is_just_a_space(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """The panel's keys act only while the panel is shown."""
    use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    page.start_selected()
    roster = main_window.show_page("Roster")
    search = roster.findChild(QLineEdit, "rosterSearch")
    assert search is not None
    search.setFocus()
    qtbot.keyClicks(search, "a b")
    qtbot.keyClick(search, Qt.Key.Key_N)
    assert search.text() == "a bn"
    assert page.last_view is not None
    assert not page.last_view.paused and page.last_view.phase is Phase.ROUND


def test_the_panel_in_the_window_during_round_two(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    main_window: MainWindow,
    services: AppServices,
    artifacts_dir: Path,
) -> None:
    """Round 2 of today's plan, 7:42 left: the teacher's view of the run (screenshot)."""
    clock = use_fake_time(services)
    section = create_sample_class(services)
    services.plans.create(section.id, "Fractions", date.today())
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    page.start_selected()
    clock.pass_seconds(15 * 60 + 120 + (15 * 60 - 462))  # round 1, transition, into round 2
    page.cues.reset()  # as if the panel had been watching: no change flash in the picture
    page.ticker.tick_now()
    assert page.countdown.phase_label.text() == "Round 2 of 4"
    assert page.countdown.time_label.text() == "7:42"
    assert page.moves.rowCount() == 4
    qtmodeltester.check(page.moves)
    page.ticker.stop()
    qtbot.wait(20)
    image = main_window.grab()
    image.save(str(artifacts_dir / "rotation.png"))
    image.save(str(docs_image("rotation.png")))


def test_typing_a_number_into_the_panels_own_fields_is_not_a_command(
    qtbot: QtBot, main_window: MainWindow, services: AppServices
) -> None:
    """Keys typed into a field on the panel go to the field: "5" is a number there."""
    use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    main_window.select_class(section.id)
    page = rotation_page(main_window)
    page.start_selected()
    page.minutes_spin.setFocus()
    page.minutes_spin.lineEdit().selectAll()
    qtbot.keyClick(page.minutes_spin, Qt.Key.Key_5)
    assert page.minutes_spin.value() == 5
    assert page.countdown.time_label.text() == "15:00"


def test_q_opens_quick_checks_on_the_teacher_table_group(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    """Mid-rotation, Q (or the button) opens the grid on the group with the teacher."""
    services = cast(AppServices, main_window.services)  # the window runs on the full services
    section = create_sample_class(services)
    services.plans.create(section.id, "Fractions", lesson_date=date.today())
    main_window.select_class(section.id)
    page = cast(RotationPage, main_window.show_page("Rotation"))
    assert not page.checks_button.isEnabled()  # nothing is running yet
    page.start_selected()
    assert page.run is not None and page.checks_button.isEnabled()

    qtbot.mouseClick(page.checks_button, Qt.MouseButton.LeftButton)
    checks = cast(QuickCheckPage, main_window.stack.currentWidget())
    assert checks.title == "Quick checks"
    board = page.run.board
    assert board is not None
    teacher_led = {s.id for s in board.stations if s.kind == "teacher-led"}
    [group] = [m.group for m in board.moves(0) if m.now is not None and m.now.id in teacher_led]
    assert checks.model.rowCount() == len(group.first_names) < 28
