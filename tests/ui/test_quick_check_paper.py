"""After a day on paper, the teacher types the record sheet back in, one key per box."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from quick_check_helpers import Keyboard, open_checks

from station_rotation.core.record_sheet import walk
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.plans.paper import record_sheet

# What the sheet says, box by box in its order: a digit, A (absent) or "-" (empty: Enter).
SHEET = "32412-33AAAA44341-2-"


def _type_sheet(keys: Keyboard, boxes: str) -> None:
    for box in boxes:
        keys.press(Qt.Key.Key_Return if box == "-" else box)


def test_a_class_of_28_typed_back_from_paper_in_one_key_per_box(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Student by student, target by target, as the sheet prints: every box saved."""
    section = create_sample_class(services, students=28)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    qtbot.mouseClick(page.paper.button, Qt.MouseButton.LeftButton)
    assert page.paper.on and page.focusWidget() is page.grid  # the next key goes to the grid
    assert "the next box of the sheet" in page.legend.text()

    sheet = record_sheet(services, section.id)
    students = [s.id for s in page.model.students]
    targets = [t.id for t in page.model.targets]
    assert [s.name for s in page.model.students] == list(sheet.students)  # the sheet's rows
    assert [t.code for t in page.model.targets] == [t.code for t in sheet.targets]

    boxes = (SHEET * 6)[: 28 * 4]  # the whole class: 112 boxes
    start = time.perf_counter()
    _type_sheet(keys, boxes)
    elapsed = time.perf_counter() - start
    assert keys.count == len(boxes) == 112  # one key per box, nothing else
    assert elapsed < 60  # the machine's share of "a class in a minute"
    current = services.quick_checks.current(section.id)
    for (row, column), box in zip(walk(28, 4), boxes, strict=True):
        check = current.get((students[row], targets[column]))
        if box == "-":
            assert check is None
        elif box == "A":
            assert check is not None and check.absent
        else:
            assert check is not None and check.score == int(box)
    assert page.saved_state.text() == "✓ That was the last box of the sheet."
    page.grab().save(str(artifacts_dir / "quick-checks-from-paper.png"))


def test_enter_skips_shift_enter_goes_back_and_a_mistake_is_retyped(
    qtbot: QtBot, services: AppServices
) -> None:
    """A skipped box stays empty; going back and typing again corrects, in one record."""
    section = create_sample_class(services, students=5)
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    page.paper.button.setChecked(True)
    _type_sheet(keys, "32-")
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (0, 3)
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert page.grid.currentIndex().column() == 1
    keys.press("4")  # it was a 4 on the paper
    assert page.grid.currentIndex().column() == 2
    keys.press(Qt.Key.Key_Tab)
    keys.press("1")  # the last target of the first student, then the next student
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (1, 0)
    student = page.model.students[0].id
    targets = [t.id for t in page.model.targets]
    current = services.quick_checks.current(section.id)
    assert [current.get((student, t)) is not None for t in targets] == [True, True, False, True]
    assert current[(student, targets[1])].score == 4
    assert page.paper.button.text() == "From &paper"

    # Off again: a level moves down to the next student, as before.
    page.paper.button.setChecked(False)
    page.grid.go_to(2, 0)
    keys.press("2")
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (3, 0)


def test_more_targets_than_fit_across_go_band_by_band(qtbot: QtBot, services: AppServices) -> None:
    """Six targets: the sheet's first pages hold four, the next two; typing follows it."""
    section = create_sample_class(services, students=3)
    for code in ("6.RP.4", "6.RP.5"):
        services.targets.create(section.id, code=code, statement=f"I can {code}.")
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    page.paper.button.setChecked(True)
    keys.type("111122223333443322")
    current = services.quick_checks.current(section.id)
    targets = [t.id for t in page.model.targets]
    rows = [[current[(s.id, t)].score for t in targets] for s in page.model.students]
    assert rows == [[1, 1, 1, 1, 4, 4], [2, 2, 2, 2, 3, 3], [3, 3, 3, 3, 2, 2]]
