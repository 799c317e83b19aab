"""A teacher checks a class on a learning target with the keyboard alone."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from quick_check_helpers import Keyboard, cell_text, open_checks

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.checks.entry_model import Cell, GridTarget, SaveState, StateRole
from station_rotation.ui.checks.entry_page import QuickCheckPage
from station_rotation.ui.main_window import MainWindow

LEVELS = "3241342123412344213241342132"  # one digit per student, 28 students


def test_a_class_of_28_is_checked_in_at_most_40_keystrokes(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Right arrows to the target's column, then one digit per student: all 28 stored."""
    section = create_sample_class(services, students=28)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    target = services.targets.list_for(section.id)[2]

    keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Right)
    assert cast(GridTarget, page.model.target_at(page.grid.currentIndex().column())).id == target.id
    timings = []
    for digit in LEVELS:
        start = time.perf_counter()
        keys.press(digit)
        timings.append(time.perf_counter() - start)

    assert 28 <= keys.count <= 40
    students = [s.id for s in page.model.students]
    assert len(students) == 28
    current = services.quick_checks.current(section.id)
    assert [current[(sid, target.id)].score for sid in students] == [int(d) for d in LEVELS]
    assert len(services.quick_checks.history(section.id)) == 28  # one fact per keystroke
    assert cell_text(page, 0, 2).startswith("3 Proficient  ✓ ")
    assert page.saved_state.text().startswith("✓ Saved ")
    assert page.grid.currentIndex().row() == 27  # stayed on the last student
    print(
        f"keystroke to saved cell: p50 {statistics.median(timings) * 1000:.1f} ms, "
        f"max {max(timings) * 1000:.1f} ms"
    )
    page.grid.go_to(0, 2)
    page.grab().save(str(artifacts_dir / "quick-checks-class-of-28.png"))


def test_undo_takes_back_the_last_entry_with_a_new_record(
    qtbot: QtBot, services: AppServices
) -> None:
    """Backspace on a new entry withdraws it; Ctrl+Z brings back yesterday's level."""
    section = create_sample_class(services, students=6)
    [first, second, *_] = [e.student.id for e in services.roster.roster(section.id)]
    target = services.targets.list_for(section.id)[0]
    yesterday = datetime.now(UTC) - timedelta(days=1)
    earlier = services.quick_checks.record(
        class_id=section.id, student_id=second, target_id=target.id, score=1,
        observed_at=yesterday,
    )  # fmt: skip
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    assert cell_text(page, 1, 0) == "1 Beginning"  # yesterday's level, saved earlier

    keys.type("4")
    keys.press(Qt.Key.Key_Backspace)
    assert page.grid.currentIndex().row() == 0  # back on the undone cell
    assert cell_text(page, 0, 0) == ""
    assert (first, target.id) not in {
        k for k, c in services.quick_checks.current(section.id).items() if c.score or c.absent
    }
    [typed, withdrawal] = services.quick_checks.history(section.id, student_id=first)
    assert withdrawal.supersedes == typed.id and withdrawal.score is None

    keys.press(Qt.Key.Key_Down)
    keys.type("4")
    assert services.quick_checks.current(section.id)[(second, target.id)].score == 4
    keys.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    standing = services.quick_checks.current(section.id)[(second, target.id)]
    assert standing.score == 1
    assert standing.observed_at.replace(tzinfo=UTC) == yesterday  # still yesterday's fact
    history = services.quick_checks.history(section.id, student_id=second)
    assert [c.score for c in history] == [1, 1, 4]  # nothing deleted
    assert history[0].id == earlier.id
    assert cell_text(page, 1, 0) == "1 Beginning"
    assert page.saved_state.text().startswith("✓ Undone and saved")

    keys.press(Qt.Key.Key_Delete)
    keys.press(Qt.Key.Key_Delete)
    assert page.saved_state.text() == "Nothing to undo."


def test_retyping_a_cell_corrects_it(qtbot: QtBot, services: AppServices) -> None:
    """A second digit on a cell saved in this sitting supersedes the first; history keeps it."""
    section = create_sample_class(services, students=4)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    student = page.model.students[0].id
    target = page.model.targets[0].id

    keys.type("2")
    keys.press(Qt.Key.Key_Up)
    keys.type("3")

    first, correction = services.quick_checks.history(section.id, student_id=student)
    assert (first.score, correction.score, correction.supersedes) == (2, 3, first.id)
    assert services.quick_checks.current(section.id)[(student, target)].score == 3


def test_absent_is_marked_with_a_and_moves_on(qtbot: QtBot, services: AppServices) -> None:
    """ "A" records the student as absent (no level) and goes to the next student."""
    section = create_sample_class(services, students=4)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    student = page.model.students[0].id
    target = page.model.targets[0].id

    keys.type("a")
    check = services.quick_checks.current(section.id)[(student, target)]
    assert check.absent and check.score is None
    assert cell_text(page, 0, 0).startswith("Absent  ✓")
    assert page.grid.currentIndex().row() == 1


def test_a_note_is_added_to_a_check(qtbot: QtBot, services: AppServices) -> None:
    """N opens a note on the current check; saving it keeps the level and the history."""
    section = create_sample_class(services, students=4)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    student = page.model.students[0].id
    target = page.model.targets[0].id

    keys.press(Qt.Key.Key_N)  # nothing to annotate yet
    assert page.note_dialog is None
    assert "Type a level first" in page.saved_state.text()
    keys.type("2")
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Return)
    dialog = page.note_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.edit, "Counted on fingers")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    check = services.quick_checks.current(section.id)[(student, target)]
    assert (check.score, check.note) == (2, "Counted on fingers")
    assert len(services.quick_checks.history(section.id, student_id=student)) == 2
    assert "✎" in cell_text(page, 0, 0)
    assert page.grid.hasFocus() or page.note_dialog is None


def test_a_digit_off_the_scale_saves_nothing(qtbot: QtBot, services: AppServices) -> None:
    """On a 1-4 scale, 7 is refused in plain words and the cursor stays."""
    section = create_sample_class(services, students=3)
    page = open_checks(qtbot, services, section.id)
    Keyboard(qtbot, page).type("7")
    assert services.quick_checks.history(section.id) == []
    assert "7 is not on the scale" in page.saved_state.text()
    assert page.grid.currentIndex().row() == 0


def test_three_level_and_points_scales_take_their_own_numbers(
    qtbot: QtBot, services: AppServices
) -> None:
    """Three-level: 1 not yet, 2 almost, 3 got it. Points 0-10: "1","0" types ten."""
    section = create_sample_class(services, students=3)
    services.targets.create(section.id, code="TL", statement="I can explain", scale="three-level")
    services.targets.create(section.id, code="PT", statement="Quiz", scale="points:10")
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    students = [s.id for s in page.model.students]
    three, points = page.model.targets[4].id, page.model.targets[5].id
    page.grid.go_to(0, 4)
    keys.type("132")
    assert cell_text(page, 0, 4).startswith("1 Not yet")
    assert cell_text(page, 1, 4).startswith("3 Got it")
    assert cell_text(page, 2, 4).startswith("2 Almost")
    page.grid.go_to(0, 5)
    keys.type("10")  # ten: no longer number fits, saved at once
    keys.type("7")
    qtbot.waitUntil(lambda: page.grid.currentIndex().row() == 2)  # 7 waits for a pause
    keys.type("0")
    current = services.quick_checks.current(section.id)
    assert [current[(s, three)].score for s in students] == [1, 3, 2]
    assert [current[(s, points)].score for s in students] == [10, 7, 0]


def test_the_cell_reads_saved_only_after_the_commit(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """While saving the cell says so; "saved" appears only once the row is in the file."""
    import sqlite3

    section = create_sample_class(services, students=4)
    page = open_checks(qtbot, services, section.id)
    seen: list[tuple[str, bool]] = []

    def on_change(top: QModelIndex, _bottom: QModelIndex, _roles: Sequence[int] = ()) -> None:
        state = page.model.data(top, StateRole)
        check_id = cast(Cell, page.model.cell(*_key(page, top))).check_id
        with sqlite3.connect(services.store.db_path) as conn:
            in_file = (
                check_id is not None
                and conn.execute("SELECT 1 FROM quick_check WHERE id=?", (check_id,)).fetchone()
                is not None
            )
        seen.append((state, in_file))

    page.model.dataChanged.connect(on_change)
    Keyboard(qtbot, page).type("3")
    assert seen == [(SaveState.SAVING.value, False), (SaveState.SAVED.value, True)]


def test_a_failed_save_is_shown_and_nothing_typed_is_lost(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Another program holds the file: the error is shown, the level stays, Retry saves it."""
    import sqlite3

    from sqlalchemy import event

    section = create_sample_class(services, students=4)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    engine = services.store.write_engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _short_wait(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    holder = sqlite3.connect(services.store.db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        keys.type("3")
        assert services.quick_checks.history(section.id) == []
        assert page.model.data(page.model.index(0, 0), StateRole) == SaveState.FAILED.value
        assert cell_text(page, 0, 0) == "⚠ 3 Proficient · NOT saved"
        assert page.grid.currentIndex().row() == 0  # did not move on
        assert page.retry_button.isVisible()
        box: Any = page.findChild(object, "errorMessage")
        assert box is not None and "busy" in box.text()
        page.grid.setFocus()
        page.grab().save(str(artifacts_dir / "quick-checks-not-saved.png"))
        box.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        event.remove(engine, "connect", _short_wait)
        engine.dispose()

    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    [check] = services.quick_checks.history(section.id)
    assert check.score == 3
    assert cell_text(page, 0, 0).startswith("3 Proficient  ✓")
    assert not page.retry_button.isVisible()
    assert isinstance(page, QuickCheckPage)


def _key(page: QuickCheckPage, index: QModelIndex) -> tuple[str, str]:
    return page.model.students[index.row()].id, page.model.targets[index.column()].id


def test_the_grid_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, services: AppServices
) -> None:
    """The table model follows Qt's model rules (rows, columns, roles)."""
    section = create_sample_class(services, students=5)
    page = open_checks(qtbot, services, section.id)
    Keyboard(qtbot, page).type("12a")
    qtmodeltester.check(page.model)


def test_the_page_in_the_main_window_with_a_lesson_in_progress(
    qtbot: QtBot, main_window: MainWindow, services: AppServices, artifacts_dir: Path
) -> None:
    """The page is in the navigation after Learning targets; last week's levels, today's
    column being typed (the picture in docs/images/quick_checks.png)."""
    section = create_sample_class(services, students=28)
    students = [e.student.id for e in services.roster.roster(section.id)]
    targets = services.targets.list_for(section.id)
    last_week = datetime.now(UTC) - timedelta(days=7)
    for offset, target in enumerate(targets[:2]):
        for index, student in enumerate(students):
            services.quick_checks.record(
                class_id=section.id, student_id=student, target_id=target.id,
                score=1 + (index * 7 + offset * 3) % 4, absent=index == 9 and offset == 0,
                observed_at=last_week + timedelta(days=offset),
            )  # fmt: skip
    titles = [main_window.nav.item(r).text() for r in range(main_window.nav.count())]
    assert titles.index("Quick checks") > titles.index("Learning targets")
    main_window.select_class(section.id)
    page = main_window.show_page("Quick checks")
    assert isinstance(page, QuickCheckPage)
    page.grid.setFocus()
    keys = Keyboard(qtbot, page)
    keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Right)
    keys.type("3422a31")
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_N)
    assert page.note_dialog is not None
    qtbot.keyClicks(page.note_dialog.edit, "Used the ratio table without help")
    qtbot.keyClick(page.note_dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    keys.press(Qt.Key.Key_Down)
    assert len(services.quick_checks.current(section.id)) == 28 * 2 + 7
    main_window.resize(1280, 900)
    main_window.grab().save(str(artifacts_dir / "quick-checks-lesson.png"))
