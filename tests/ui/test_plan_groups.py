"""A teacher forms and adjusts groups on the Plan page: keyboard, drag and drop, the buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTime
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from station_rotation.core.scheduling.model import Infeasible, Timetable
from station_rotation.core.scheduling.symbols import symbols_for
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.group_badge import badge_icon
from station_rotation.ui.plan.members_model import STUDENT_ID_ROLE
from station_rotation.ui.plan.plan_page import PlanPage
from tests.docs_images import docs_image
from tests.ui.plan_helpers import new_plan, open_page


def members(page: PlanPage, column: int) -> list[str]:
    model = page.groups.columns[column].model
    return [str(model.index(r, 0).data(STUDENT_ID_ROLE)) for r in range(model.rowCount())]


def stored_members(services: AppServices, page: PlanPage) -> list[list[str]]:
    assert page.plan is not None
    return [g.student_ids for g in services.plans.get(page.plan.id).body.groups]


@pytest.mark.qt_log_ignore("This plugin does not support")  # a menu pops up offscreen
def test_keyboard_moves_a_student_between_groups(qtbot: QtBot, services: AppServices) -> None:
    """Alt+→ sends the selected student to the next group, Alt+← back; Ctrl+M offers a menu."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    first = page.groups.columns[0]
    student = members(page, 0)[0]
    first.list.setFocus()
    first.select_student(student)
    qtbot.keyClick(first.list, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert student in stored_members(services, page)[1]
    assert student in members(page, 1) and student not in members(page, 0)
    second = page.groups.columns[1]
    assert page.focusWidget() is second.list and second.selected_student() == student
    assert "Moved" in page.status.text() and "Orange" in page.status.text()

    qtbot.keyClick(second.list, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert student in stored_members(services, page)[0]

    # Ctrl+M: "Move to Green".
    qtbot.keyClick(first.list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    menu = page.groups.last_menu
    assert menu is not None
    action = next(a for a in menu.actions() if a.text() == "Move to Green")
    action.trigger()
    menu.close()
    assert student in stored_members(services, page)[2]
    assert isinstance(page.result, Timetable)


def test_drag_a_student_onto_another_group(qtbot: QtBot, services: AppServices) -> None:
    """Dropping a dragged student on another group's list moves them there in the plan."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    source, target = page.groups.columns[0], page.groups.columns[3]
    student = members(page, 0)[1]
    data = source.model.mimeData([source.model.index(1, 0)])
    assert target.model.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, target.model.index(0, 0).parent()
    )
    assert target.model.dropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, target.model.index(0, 0).parent()
    )
    qtbot.waitUntil(lambda: student in members(page, 3))
    assert student in stored_members(services, page)[3]
    assert student not in members(page, 0)
    # The same through the view's drag events: the student lands in Green.
    other = members(page, 0)[0]
    data = source.model.mimeData([source.model.index(0, 0)])
    green = page.groups.columns[2].list
    pos = QPointF(green.viewport().rect().center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    for event in (
        QDragEnterEvent(pos.toPoint(), move, data, buttons, keys),
        QDragMoveEvent(pos.toPoint(), move, data, buttons, keys),
    ):
        QApplication.sendEvent(green.viewport(), event)
        assert event.isAccepted()
    drop = QDropEvent(pos, move, data, buttons, keys)
    QApplication.sendEvent(green.viewport(), drop)
    qtbot.waitUntil(lambda: other in members(page, 2))
    assert other in stored_members(services, page)[2]
    # Dropping on the group the student is already in changes nothing.
    again = target.model.mimeData([target.model.index(target.model.row_of(student), 0)])
    assert not target.model.dropMimeData(
        again, Qt.DropAction.MoveAction, -1, -1, target.model.index(0, 0).parent()
    )


def test_rename_and_recolour_a_group(qtbot: QtBot, services: AppServices) -> None:
    """The name typed in a column's header and the colour picked are saved with the plan."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    column = page.groups.columns[0]
    column.name.setFocus()
    column.name.selectAll()
    qtbot.keyClicks(column.name, "Foxes")
    qtbot.keyClick(column.name, Qt.Key.Key_Return)
    assert page.plan is not None
    assert services.plans.get(page.plan.id).body.groups[0].name == "Foxes"
    column.colour.setCurrentIndex(5)
    column.colour.activated.emit(5)
    assert services.plans.get(page.plan.id).body.groups[0].colour == column.colour.itemData(5)
    model = page.timeline.timeline_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Foxes"


def test_too_many_groups_shows_the_explanation_and_a_fix_applies(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Six groups cannot all meet the teacher in four rounds: say why; shorter rounds fix it."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    bar = page.forming
    bar.method.setCurrentIndex(bar.method.findData("random"))
    bar.amount.setValue(6)
    qtbot.mouseClick(bar.form_button, Qt.MouseButton.LeftButton)
    assert page.plan is not None and len(page.plan.body.groups) == 6
    assert len(page.groups.columns) == 6
    assert isinstance(page.result, Infeasible)
    page.tabs.setCurrentIndex(0)
    assert page.result_stack.currentIndex() == 1
    text = page.explanation.text()
    assert text.startswith("This plan cannot work yet:")
    problems = page.explanation.findChildren(type(page.summary), "problem")
    assert problems and all(p.text().startswith("•") for p in problems)
    page.grab().save(str(artifacts_dir / "plan-impossible.png"))
    page.grab().save(str(docs_image("plan-impossible.png")))
    assert "6 groups must visit the teacher-led station" in text
    more = page.explanation.findChild(QPushButton, "applyFix_more-rounds")
    assert more is not None, text
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    assert isinstance(page.result, Timetable), page.explanation.text()
    assert page.result_stack.currentIndex() == 0
    assert len(page.result.rounds) == 6
    assert page.plan.body.pace.round_minutes < 15
    assert "Done: Make rounds" in page.status.text()
    assert page.paths.round_minutes.value() == page.plan.body.pace.round_minutes


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_keep_apart_pairs_reach_the_forming(qtbot: QtBot, services: AppServices) -> None:
    """Two students chosen to keep apart from the Pairs menu end up in different groups."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    bar = page.forming
    a, b = members(page, 0)[:2]  # together now
    bar.fill_pairs_menu()
    apart = next(m for m in bar.pairs_menu.actions() if m.text() == "Keep apart").menu()
    name_a = page.view.name(a) if page.view else ""
    name_b = page.view.name(b) if page.view else ""
    sub = next(m for m in apart.actions() if m.text() == name_a).menu()  # type: ignore[attr-defined]  # PySide6 stubs: QAction.menu() is a QObject
    next(x for x in sub.actions() if x.text() == name_b).trigger()
    assert bar.pairs_button.text() == "Pairs (1)…"
    qtbot.mouseClick(bar.form_button, Qt.MouseButton.LeftButton)
    groups = stored_members(services, page)
    assert not any(a in g and b in g for g in groups)
    assert page.groups.focus_student(a)
    assert page.groups.open_move_menu(page.groups.focused_column(), QPoint(0, 0)) is not None  # type: ignore[arg-type]
    page.groups.last_menu.close()  # type: ignore[union-attr]


def test_tiers_from_quick_checks_on_chosen_targets(qtbot: QtBot, services: AppServices) -> None:
    """Seven students who scored 1 on the chosen target form the support group, teacher first."""
    section = create_sample_class(services)
    ids = [e.student.id for e in services.roster.roster(section.id)]
    target = services.targets.list_for(section.id)[0]
    low = ids[:7]
    for student_id in ids:
        services.quick_checks.record(
            class_id=section.id,
            student_id=student_id,
            target_id=target.id,
            score=1 if student_id in low else 4 if student_id in ids[7:14] else 3,
        )
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    bar = page.forming
    assert not bar.targets_button.isEnabled()  # random and balanced use no quick checks
    bar.method.setCurrentIndex(bar.method.findData("tiers"))
    assert bar.targets_button.isEnabled()
    action = next(a for a in bar.targets_menu.actions() if a.data() == target.id)
    action.trigger()
    assert bar.chosen_targets() == [target.id]
    qtbot.mouseClick(bar.form_button, Qt.MouseButton.LeftButton)
    assert page.plan is not None
    support = [g for g in page.plan.body.groups if g.needs_support]
    assert len(support) == 1 and set(support[0].student_ids) == set(low)
    assert "Needs support" in page.status.text()
    assert isinstance(page.result, Timetable)
    assert "needs support" in page.groups.column_of(support[0].id).count.text()  # type: ignore[union-attr]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_student_with_a_path_of_their_own(qtbot: QtBot, services: AppServices) -> None:
    """From the Move menu a student gets an own path, edited on the Paths tab, and comes back."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    first = page.groups.columns[0]
    student = members(page, 0)[0]
    first.select_student(student)
    qtbot.keyClick(first.list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    menu = page.groups.last_menu
    assert menu is not None
    next(a for a in menu.actions() if a.text().startswith("Give an own path")).trigger()
    menu.close()
    assert page.plan is not None
    assert [o.student_id for o in page.plan.body.own_paths] == [student]
    own_column = page.groups.columns[-1]
    assert own_column.name.text() == "Own paths" and own_column.name.isReadOnly()
    assert members(page, len(page.groups.columns) - 1) == [student]

    page.tabs.setCurrentIndex(2)
    paths = page.paths
    paths.group_combo.setCurrentIndex(paths.group_combo.count() - 1)
    assert paths.group_combo.currentText().endswith("(own path)")
    model = paths.path_model
    assert model.index(0, 0).data().startswith("Teacher table")  # not with the teacher today
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    own = services.plans.get(page.plan.id).body.own_paths[0]
    assert len(own.path) == 3
    assert isinstance(page.result, Timetable)
    assert f"own:{student}" in page.result.group_ids

    page.tabs.setCurrentIndex(1)
    own_column = page.groups.columns[-1]
    own_column.select_student(student)
    qtbot.keyClick(own_column.list, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    body = services.plans.get(page.plan.id).body
    assert body.own_paths == [] and student in body.groups[0].student_ids
    assert page.groups.column_of("own-paths") is None


def test_reorder_a_path_and_make_a_stop_may_do(qtbot: QtBot, services: AppServices) -> None:
    """Ctrl+↓ and the Earlier button reorder Blue's stops; a may-do stop shows as such."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(2)
    paths = page.paths
    assert page.plan is not None
    before = [s.station_id for s in page.plan.body.groups[0].path]
    paths.path_table.selectRow(0)
    qtbot.keyClick(paths.path_table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    after = [s.station_id for s in services.plans.get(page.plan.id).body.groups[0].path]
    assert after == [before[1], before[0], *before[2:]]
    assert paths.path_table.currentIndex().row() == 1
    qtbot.mouseClick(paths.up_button, Qt.MouseButton.LeftButton)
    again = [s.station_id for s in services.plans.get(page.plan.id).body.groups[0].path]
    assert again == before
    model = paths.path_model
    model.setData(model.index(3, 1), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.index(3, 1).data() == "may do"
    stored = services.plans.get(page.plan.id).body.groups[0].path
    assert [s.must_do for s in stored] == [True, True, True, False]
    assert isinstance(page.result, Timetable)


def test_pace_and_extra_time_reach_the_timetable(qtbot: QtBot, services: AppServices) -> None:
    """A new start time moves every round; extra time for a group is saved with the plan."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(3)
    page.paths.start_time.setTime(QTime(8, 30))
    page.paths.end_time.setTime(QTime(9, 40))
    assert isinstance(page.result, Timetable)
    assert page.timeline.timeline_model.headerData(0, Qt.Orientation.Vertical) == (
        "Round 1\n8:30–8:45"
    )
    page.paths.round_minutes.setValue(12)
    assert page.summary.text().endswith("4 rounds, 8:30–9:24.")  # 4 × 12 + 3 × 2 minutes
    page.tabs.setCurrentIndex(2)
    page.paths.extra_minutes.setValue(5)
    assert page.plan is not None
    assert services.plans.get(page.plan.id).body.groups[0].extra_minutes == 5
    assert page.result is not None  # a timetable or an explanation, never nothing


def _picture(icon: QIcon) -> QImage:
    return icon.pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_the_groups_and_paths_pickers_show_each_groups_shape(
    qtbot: QtBot, services: AppServices
) -> None:
    """A group's colour is never shown alone in the plan's pickers: the colour list shows
    each palette colour with its own shape, the paths tab's group list each group's badge
    (the shapes the timetable, the projector and the cards give them)."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    combo = page.groups.columns[0].colour
    pictures = [_picture(combo.itemIcon(i)) for i in range(combo.count())]
    assert len(pictures) >= 8
    # Same-coloured pixels in the middle differ between the shapes: no two items alike.
    assert len({bytes(p.constBits()) for p in pictures}) == len(pictures)

    paths = page.paths
    assert page.plan is not None
    body = services.plans.get(page.plan.id).body
    shapes = symbols_for([g.colour for g in body.groups])
    for index, (group, shape) in enumerate(zip(body.groups, shapes, strict=True)):
        assert paths.group_combo.itemText(index) == group.name
        drawn = _picture(paths.group_combo.itemIcon(index))
        expected = _picture(badge_icon(group.colour, shape))
        assert bytes(drawn.constBits()) == bytes(expected.constBits())
