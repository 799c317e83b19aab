"""A student rates their own confidence in the full-screen check-in, seeing only their name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from quick_check_helpers import open_checks

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import SAMPLE_TARGETS, create_sample_class


def test_a_student_enters_a_reflection_in_check_in(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Keys 1-4 and a few words are saved as the student's reflection; Esc hands back."""
    section = create_sample_class(services, students=28)
    page = open_checks(qtbot, services, section.id)
    page.grid.go_to(4, 1)
    student = page.model.students[4]
    target = page.model.targets[1]

    window = page.open_check_in()
    assert window is not None and window.isVisible() and window.isFullScreen()
    qtbot.waitExposed(window)
    # Only this student's own name is anywhere on the screen.
    first = student.name.split(" ")[0]
    shown = " ".join(
        w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)
    )
    assert first in shown
    others = {s.name.split(" ")[0] for s in page.model.students} - {first}
    assert not any(other in shown.split() for other in others)
    assert student.name.split(" ")[-1] not in shown  # not even the family name
    assert window.statement.text() == target.statement  # the target the teacher was on
    assert window.question.text() == "How sure are you about:"

    qtbot.keyClick(window, "3")
    qtbot.keyClicks(window.findChild(QLineEdit, "checkInWords"), "I can do the tables")
    window.resize(1280, 800)
    window.grab().save(str(artifacts_dir / "quick-checks-check-in.png"))
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.status.text() == "✓ Saved. Thank you!"
    assert window.statement.text() == SAMPLE_TARGETS[2][1]  # the next target

    [reflection] = services.quick_checks.reflections(section.id)
    assert (reflection.student_id, reflection.target_id) == (student.id, target.id)
    assert (reflection.confidence, reflection.words) == (3, "I can do the tables")

    qtbot.keyClick(window, Qt.Key.Key_Return)  # no rating chosen: nothing saved
    assert "Choose 1, 2, 3 or 4" in window.status.text()
    assert len(services.quick_checks.reflections(section.id)) == 1

    with qtbot.waitSignal(window.closed):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert page.check_in_window is None


def test_check_in_walks_through_every_target_then_says_done(
    qtbot: QtBot, services: AppServices
) -> None:
    """Four targets, four saved reflections, then a thank-you with nothing else to press."""
    section = create_sample_class(services, students=3)
    page = open_checks(qtbot, services, section.id)
    window = page.open_check_in()
    assert window is not None
    for level in "1234":
        window.choose(int(level))
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert "All done" in window.statement.text()
    assert not window.save_button.isVisible()
    stored = services.quick_checks.reflections(section.id)
    assert [r.confidence for r in stored] == [1, 2, 3, 4]
    assert {r.student_id for r in stored} == {page.model.students[0].id}
    window.close()
