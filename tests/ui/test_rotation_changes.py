"""Class goes on while things change: a teacher changes a running rotation from its page.

Each story is a classroom moment; none of them resets the clock, and each change is in
the run's log (a restart shows it).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.board import Board
from station_rotation.services.app import AppServices
from station_rotation.services.checks.groups import teacher_led_group
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation.rotation_page import RotationPage
from station_rotation.ui.rotation.run_changes import ChangeAction, ChangeDialog
from tests.ui.rotation_helpers import (
    FakeTime,
    forget_rotation_settings,
    open_panel,
    use_fake_time,
)


@pytest.fixture(autouse=True)
def _default_settings() -> None:
    forget_rotation_settings()


def running_sample(
    qtbot: QtBot, services: AppServices, *, absent: int = 0
) -> tuple[RotationPage, FakeTime]:
    """The sample class's plan for today, started, three minutes into round 1."""
    clock = use_fake_time(services)
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Ratios", date.today())
    members = [sid for g in plan.body.groups for sid in g.student_ids]
    for student_id in members[:absent]:
        services.plans.set_absent(plan.id, student_id, True)
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    assert page.run is not None and page.run.board is not None
    clock.pass_seconds(180)
    page.ticker.tick_now()
    return page, clock


def open_change(page: RotationPage, action: ChangeAction) -> ChangeDialog:
    assert page.change_button.isEnabled()
    dialog = page.change_button.open_dialog(action)
    assert dialog is not None and dialog.isVisible()
    return dialog


def pick(dialog: ChangeDialog, name: str, text: str) -> None:
    box = dialog.findChild(QComboBox, name)
    assert box is not None
    index = next(i for i in range(box.count()) if box.itemText(i).startswith(text))
    box.setCurrentIndex(index)


def board_of(page: RotationPage) -> Board:
    assert page.run is not None and page.run.board is not None
    return page.run.board


def remaining(page: RotationPage) -> float:
    assert page.last_view is not None
    return page.last_view.remaining


def save(widget: ProjectorWindow | ChangeDialog, path: Path) -> None:
    assert widget.grab().toImage().save(str(path))


def test_a_late_student_joins_the_suggested_group_and_the_clock_goes_on(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Jada walks in late: her plan's group is suggested; she is on the board at once."""
    page, _ = running_sample(qtbot, services, absent=1)
    assert page.run is not None
    late = next(s for s in services.run_changes.students(page.run.run_id) if s.group_id is None)
    before = remaining(page)
    dialog = open_change(page, ChangeAction.LATE)
    student = dialog.findChild(QComboBox, "changeStudent")
    group = dialog.findChild(QComboBox, "changeGroup")
    assert student is not None and group is not None
    assert student.currentText() == late.name
    assert group.currentText().endswith("(suggested)")
    suggested = group.currentData()
    save(dialog, artifacts_dir / "run-change-late-student.png")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter makes the change

    assert not dialog.isVisible()
    first = late.name.split()[0]
    assert page.status_label.text().startswith(f"{first} joined")
    joined = next(g for g in board_of(page).groups if g.id == suggested)
    assert first in joined.first_names
    assert remaining(page) == before  # the clock was not touched
    reopened = AppServices.open(services.store.data_dir)
    try:
        assert reopened.rotation.live(page.run.run_id).board == board_of(page)
    finally:
        reopened.close()


def test_a_student_pulled_out_leaves_the_grid_of_the_teacher_table(
    qtbot: QtBot, services: AppServices
) -> None:
    """Speech therapy: the student at the teacher table is gone from now on; the quick-check
    grid's group at the table no longer waits for them."""
    page, _ = running_sample(qtbot, services)
    assert page.run is not None
    at_table = teacher_led_group(services, page.run.run_id)
    assert at_table is not None
    leaving = at_table.student_ids[0]
    name = next(s.name for s in services.run_changes.students(page.run.run_id) if s.id == leaving)
    dialog = open_change(page, ChangeAction.GONE)
    pick(dialog, "changeStudent", name)
    dialog.ok_button.click()

    assert "gone from now on" in page.status_label.text()
    now = teacher_led_group(services, page.run.run_id)
    assert now is not None and leaving not in now.student_ids
    assert len(now.student_ids) == len(at_table.student_ids) - 1


def test_broken_computers_are_taken_out_and_the_rounds_to_come_re_planned(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """The computers go down in round 1: rounds 2–4 are planned over the three stations
    left, round 1 stays as it ran, and the projector shows the new stations at once."""
    page, clock = running_sample(qtbot, services)
    page.open_projector()
    projector = page.projector.window
    assert isinstance(projector, ProjectorWindow)
    projector.resize(1920, 1080)
    old = board_of(page)
    online = next(s for s in old.stations if s.kind == "online")
    dialog = open_change(page, ChangeAction.STATION_OUT)
    pick(dialog, "changeStation", online.name)
    save(dialog, artifacts_dir / "run-change-station-out.png")
    dialog.ok_button.click()

    new = board_of(page)
    assert page.status_label.text().startswith(f"{online.name} is out. Rounds 2–4 re-planned")
    assert all(online.id not in row for row in new.rounds[1:])
    assert new.rounds[0] == tuple(None if c == online.id else c for c in old.rounds[0])
    assert online.name not in {r.station for r in projector.board_view.rows}
    clock.pass_seconds(15 * 60 + 120)  # into round 2
    page.ticker.tick_now()
    shown = {r.group: r.station for r in projector.board_view.rows}
    assert online.name not in shown.values()
    assert shown == {
        g.name: (new.station(new.rounds[1][i]).name if new.rounds[1][i] else "Free choice")  # type: ignore[union-attr]
        for i, g in enumerate(new.groups)
    }
    qtbot.waitUntil(lambda: not projector.flashing, timeout=5000)  # the bell's flash
    save(projector, artifacts_dir / "run-change-projector-after-station-out.png")


def test_the_group_that_needs_five_more_minutes_stays_a_round(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Green is in the middle of it: Green stays at its station for round 2, the others
    move at the bell as planned where they can."""
    page, _ = running_sample(qtbot, services)
    old = board_of(page)
    green = next(i for i, g in enumerate(old.groups) if g.name == "Green")
    dialog = open_change(page, ChangeAction.STAY)
    pick(dialog, "changeGroup", "Green")
    save(dialog, artifacts_dir / "run-change-stay.png")
    dialog.ok_button.click()

    new = board_of(page)
    here = old.station(old.rounds[0][green])
    assert here is not None
    assert new.rounds[1][green] == old.rounds[0][green]
    assert page.status_label.text().startswith(f"Green stays at {here.name} for round 2.")
    assert new.rounds[0] == old.rounds[0]  # the round going on is as it was
    moves = [page.moves.row_item(r) for r in range(page.moves.rowCount())]
    green_move = next(m for m in moves if m.group.name == "Green")
    assert green_move.now == here and green_move.next == here
    assert page.grab().toImage().save(str(artifacts_dir / "run-change-page-after-stay.png"))


def test_an_impossible_change_is_refused_with_what_to_do_and_nothing_changes(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Two chairs of the collaborative table went to the office: it seats six now. Then
    the computers go down: every group (seven) still owes the collaborative task, so the
    re-plan cannot work. The teacher reads why and what would; the board, the log and
    the clock are as they were."""
    page, _ = running_sample(qtbot, services)
    assert page.run is not None
    before, log = board_of(page), len(page.run.changes)
    collab = next(s for s in before.stations if s.kind == "collaborative")
    services.stations.update(collab.id, capacity=6)
    clock_events = list(page.run.clock.events)
    online = next(s for s in before.stations if s.kind == "online")
    dialog = open_change(page, ChangeAction.STATION_OUT)
    pick(dialog, "changeStation", online.name)
    dialog.ok_button.click()

    assert dialog.isVisible()  # refused: the dialog stays, saying why
    text = dialog.refusal.text()
    assert text.startswith(f"Without {online.name}, rounds 2–4 cannot be planned")
    assert "Blue has 7 students, but Collaborative task holds only 6." in text
    assert "Any one of these would fix it:" in text
    save(dialog, artifacts_dir / "run-change-refused.png")
    assert board_of(page) is before and len(page.run.changes) == log
    assert page.run.clock.events == clock_events
    reopened = AppServices.open(services.store.data_dir)
    try:
        assert len(reopened.rotation.live(page.run.run_id).changes) == log
    finally:
        reopened.close()
    dialog.reject()


def test_two_groups_too_many_for_a_station_are_not_merged(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Green's table is needed, so the teacher tries Green into Blue: fourteen students,
    and no station left on Blue's way seats fourteen. Refused in plain words with what to
    do; nothing is written."""
    page, _ = running_sample(qtbot, services)
    assert page.run is not None
    before = board_of(page)
    dialog = open_change(page, ChangeAction.MERGE)
    pick(dialog, "changeGroup", "Blue")
    pick(dialog, "changeOtherGroup", "Green")
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.refusal.text() == (
        "Online practice seats 10, Collaborative task seats 8 and Independent practice "
        "seats 10; Blue and Green together are 14, and Blue still goes there. Nothing "
        "changed: merge smaller groups, or raise the seats on the Stations page and merge "
        "again."
    )
    save(dialog, artifacts_dir / "run-change-merge-refused.png")
    assert board_of(page) is before and page.run.changes == []
    dialog.reject()


def test_a_group_split_in_two_goes_two_ways_and_merges_back(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Three of Blue cannot work with the others today: they become a group of their
    own, which from round 2 has its own way (sharing a station with Blue only where it
    has room for both, never the teacher table, no station past its seats), and the
    projector shows both. Later they join Blue again."""
    page, clock = running_sample(qtbot, services)
    assert page.run is not None
    page.open_projector()
    projector = page.projector.window
    assert isinstance(projector, ProjectorWindow)
    projector.resize(1920, 1080)
    dialog = open_change(page, ChangeAction.SPLIT)
    pick(dialog, "changeGroup", "Blue")
    members = dialog.findChild(QListWidget, "changeMembers")
    assert members is not None and members.count() == 7
    for index in (0, 1, 2):
        members.item(index).setCheckState(Qt.CheckState.Checked)
    save(dialog, artifacts_dir / "run-change-split.png")
    dialog.ok_button.click()

    board = board_of(page)
    names = [g.name for g in board.groups]
    assert len(names) == 5
    new_name = names[-1]
    blue, new = names.index("Blue"), len(names) - 1
    status = page.status_label.text()
    assert status.startswith("Blue split:") and f"{new_name} goes to " in status
    assert board.rounds[0][new] == board.rounds[0][blue]  # together until the bell
    blue_way = [row[blue] for row in board.rounds[1:]]
    new_way = [row[new] for row in board.rounds[1:]]
    assert new_way != blue_way and sorted(map(str, new_way)) == sorted(map(str, blue_way))
    room = {s.id: s for s in services.stations.list_for(page.run.class_id)}
    sizes = [len(g.first_names) for g in board.groups]
    for row in board.rounds[1:]:
        for station_id in set(row) - {None}:
            here = [i for i, c in enumerate(row) if c == station_id]
            assert sum(sizes[i] for i in here) <= room[str(station_id)].capacity
            if room[str(station_id)].kind == "teacher_led":
                assert len(here) == 1
    clock.pass_seconds(15 * 60 + 120)  # into round 2: the projector shows both ways
    page.ticker.tick_now()
    shown = {r.group: r.station for r in projector.board_view.rows}
    assert shown[new_name] != shown["Blue"]
    qtbot.waitUntil(lambda: not projector.flashing, timeout=5000)
    save(projector, artifacts_dir / "run-change-projector-after-split.png")

    dialog = open_change(page, ChangeAction.MERGE)
    pick(dialog, "changeGroup", "Blue")
    pick(dialog, "changeOtherGroup", new_name)
    dialog.ok_button.click()
    assert page.status_label.text().startswith(f"{new_name} joined Blue")
    blue_group = next(g for g in board_of(page).groups if g.name == "Blue")
    assert len(blue_group.first_names) == 7 and len(board_of(page).groups) == 4


def test_the_stay_and_skip_pickers_say_where_each_group_is_and_goes_next(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Choosing who stays, the teacher sees each group's station now and next."""
    page, _ = running_sample(qtbot, services)
    board = board_of(page)
    for action in (ChangeAction.STAY, ChangeAction.SKIP):
        dialog = open_change(page, action)
        box = dialog.findChild(QComboBox, "changeGroup")
        assert box is not None
        texts = [box.itemText(i) for i in range(box.count())]
        for g, group in enumerate(board.groups):
            now = board.station(board.rounds[0][g] or "")
            then = board.station(board.rounds[1][g] or "")
            assert now is not None and then is not None
            assert texts[g] == f"{group.name} — now {now.name}, next {then.name}"
        pick(dialog, "changeGroup", "Orange")
        save(dialog, artifacts_dir / f"run-change-{action.value}-picker.png")
        dialog.reject()


def test_a_student_moved_to_another_group(qtbot: QtBot, services: AppServices) -> None:
    """A student who works better with Orange goes on with Orange."""
    page, _ = running_sample(qtbot, services)
    blue = board_of(page).groups[0]
    dialog = open_change(page, ChangeAction.MOVE)
    box = dialog.findChild(QComboBox, "changeStudent")
    assert box is not None
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemText(i).endswith("(Blue)")))
    pick(dialog, "changeGroup", "Orange")
    dialog.ok_button.click()
    assert "moved from Blue to Orange" in page.status_label.text()
    groups = {g.name: g for g in board_of(page).groups}
    assert len(groups["Blue"].first_names) == len(blue.first_names) - 1
    assert len(groups["Orange"].first_names) == 8


def test_the_change_button_waits_for_a_run_of_a_plan(qtbot: QtBot, services: AppServices) -> None:
    """No run, or a quick timer with no board: nothing to change."""
    use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    assert not page.change_button.isEnabled()
    page.start_selected()  # the quick timer
    assert page.run is not None
    assert not page.change_button.isEnabled()


def test_a_change_is_quick_enough_for_the_gui_thread(qtbot: QtBot, services: AppServices) -> None:
    """Changes run on the Qt thread, from the click to the projector redrawn: each one
    on the sample class stays far below a tenth of a second, so no worker is needed."""
    page, _ = running_sample(qtbot, services)
    page.open_projector()
    projector = page.projector.window
    assert isinstance(projector, ProjectorWindow) and page.run is not None
    projector.resize(1920, 1080)
    taken: dict[str, float] = {}

    def timed(label: str, action: ChangeAction, *picks: tuple[str, str]) -> None:
        dialog = open_change(page, action)
        for name, text in picks:
            pick(dialog, name, text)
        if action is ChangeAction.SPLIT:
            members = dialog.findChild(QListWidget, "changeMembers")
            assert members is not None
            members.item(0).setCheckState(Qt.CheckState.Checked)
        start = time.monotonic()
        dialog.ok_button.click()
        refused = dialog.refusal.text() if dialog.isVisible() else ""
        QApplication.processEvents()  # the page and the projector take the new board
        projector.repaint()
        taken[label] = time.monotonic() - start
        assert not refused

    timed("stay", ChangeAction.STAY, ("changeGroup", "Green"))
    timed("skip", ChangeAction.SKIP, ("changeGroup", "Orange"))
    timed("move", ChangeAction.MOVE, ("changeGroup", "Orange"))
    timed("split", ChangeAction.SPLIT, ("changeGroup", "Blue"))
    timed("merge", ChangeAction.MERGE, ("changeGroup", "Blue"), ("changeOtherGroup", "Sky"))
    online = next(s for s in board_of(page).stations if s.kind == "online")
    timed("station out", ChangeAction.STATION_OUT, ("changeStation", online.name))
    print({k: f"{v * 1000:.0f} ms" for k, v in taken.items()})
    assert max(taken.values()) < 0.1, taken
