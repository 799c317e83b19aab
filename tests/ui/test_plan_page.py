"""A teacher plans today's rotation on the Plan page (real widgets, real file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from station_rotation.core.scheduling.model import Timetable
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.plan.plan_dialogs import PlanNameDialog
from station_rotation.ui.plan.plan_page import PlanPage
from tests.docs_images import docs_image
from tests.ui.plan_helpers import fill_and_ok, new_plan, open_page


def toggle_absent(qtbot: QtBot, page: PlanPage, name: str) -> None:
    """Select ``name`` in the absence list and press Space, as a keyboard user would."""
    model = page.absence.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    page.absence.list.setFocus()
    page.absence.list.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(page.absence.list, Qt.Key.Key_Space)


def column_of(page: PlanPage, group_name: str) -> int:
    data = page.timeline.timeline_model.timeline
    assert data is not None
    return next(c for c in range(data.group_count) if data.group(c).name == group_name)


def test_plan_a_class_with_an_absent_student_and_a_support_group(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """A new plan has a timetable; an absence re-plans at once; Orange meets the teacher first."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    assert "no plans yet" in page.empty.text()
    new_plan(qtbot, page, "Ratios day 1")
    assert isinstance(page.result, Timetable)
    assert page.summary.text().startswith("28 students here, 4 groups, 4 rounds")
    assert page.plans.plan_list.plans.rowCount() == 1
    assert "Ratios day 1" in page.plans.plan_list.plans.index(0, 0).data()

    absent = page.absence.model.index(0, 0).data()
    toggle_absent(qtbot, page, absent)
    assert page.summary.text().startswith("27 students here")
    assert page.plan is not None
    stored = services.plans.get(page.plan.id).body
    assert len(stored.absent_ids) == 1
    assert f"{absent} is absent today" in page.status.text()
    assert "1" in page.absence.heading.text()
    groups_text = [
        page.groups.columns[c].model.index(r, 0).data()
        for c in range(len(page.groups.columns))
        for r in range(page.groups.columns[c].model.rowCount())
    ]
    assert f"{absent} (absent)" in groups_text

    # Orange needs support: it must meet the teacher first, which its path order forbids.
    page.tabs.setCurrentIndex(2)
    paths = page.paths
    paths.group_combo.setCurrentIndex(paths.group_combo.findText("Orange"))
    qtbot.keyClick(paths.support_check, Qt.Key.Key_Space)
    body = services.plans.get(page.plan.id).body
    orange = next(g for g in body.groups if g.name == "Orange")
    assert orange.needs_support and orange.teacher_round is None
    assert page.result_stack.currentIndex() == 1
    assert "Let groups visit their stations in any order." in page.explanation.text()
    page.tabs.setCurrentIndex(0)
    page.grab().save(str(artifacts_dir / "plan-support-explained.png"))
    apply = page.explanation.findChild(QPushButton, "applyFix_any-order")
    assert apply is not None
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    assert isinstance(page.result, Timetable), page.explanation.text()
    assert services.plans.get(page.plan.id).body.pace.ordered_paths is False
    assert not paths.ordered_paths.isChecked()
    model = page.timeline.timeline_model
    assert model.index(0, column_of(page, "Orange")).data() == "Teacher table"
    assert "Done: Let groups visit" in page.status.text()
    page.tabs.setCurrentIndex(0)
    page.grab().save(str(artifacts_dir / "plan-page.png"))

    # Present again: back in the timetable.
    toggle_absent(qtbot, page, absent)
    assert page.summary.text().startswith("28 students here")


def test_copy_a_plan_same_as_last_tuesday(qtbot: QtBot, services: AppServices) -> None:
    """Copying keeps the groups, paths and pace, clears the absences and selects the copy."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "Tuesday")
    first = page.plan
    assert first is not None
    toggle_absent(qtbot, page, page.absence.model.index(2, 0).data())
    page.paths.round_minutes.setValue(12)

    qtbot.mouseClick(page.plans.copy_button, Qt.MouseButton.LeftButton)
    fill_and_ok(qtbot, page.plans.dialog, "Thursday")  # type: ignore[arg-type]
    copy = page.plan
    assert copy is not None and copy.id != first.id and copy.name == "Thursday"
    assert page.plans.plan_list.plans.rowCount() == 2
    assert page.plans.plan_list.current_plan_id() == copy.id
    assert copy.body.absent_ids == []
    assert copy.body.pace.round_minutes == 12
    original = services.plans.get(first.id).body
    assert [g.student_ids for g in copy.body.groups] == [g.student_ids for g in original.groups]
    assert page.absence.model.absent_count() == 0

    # Rename, keep as a template, then delete the copy.
    qtbot.mouseClick(page.plans.rename_button, Qt.MouseButton.LeftButton)
    fill_and_ok(qtbot, page.plans.dialog, "Thursday (ratios)")  # type: ignore[arg-type]
    assert services.plans.get(copy.id).name == "Thursday (ratios)"
    qtbot.mouseClick(page.plans.template_button, Qt.MouseButton.LeftButton)
    templates = services.plans.list_plans(section.id, templates=True)
    assert [t.name for t in templates] == ["Thursday (ratios) (template)"]
    assert page.plans.plan_list.plans.rowCount() == 3
    qtbot.mouseClick(page.plans.delete_button, Qt.MouseButton.LeftButton)
    assert page.plans.dialog is not None
    page.plans.dialog.accept()
    names = [p.name for p in services.plans.list_plans(section.id, templates=None)]
    assert "Thursday (ratios)" not in names and len(names) == 2


def test_an_empty_name_is_refused_in_the_dialog(qtbot: QtBot, services: AppServices) -> None:
    """A blank plan name keeps the dialog open with the reason; nothing is created."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    qtbot.mouseClick(page.plans.new_button, Qt.MouseButton.LeftButton)
    dialog = page.plans.dialog
    fill_and_ok(qtbot, dialog, "   ")  # type: ignore[arg-type]
    assert dialog is not None and dialog.isVisible()
    assert "Name" in dialog.error.text()  # type: ignore[attr-defined]
    assert services.plans.list_plans(section.id) == []


def test_the_plan_page_in_the_main_window(
    main_window: MainWindow, qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """From the sample class, the Plan entry opens the page; it reads well at 1100×720."""
    main_window.resize(1100, 720)
    qtbot.mouseClick(main_window.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.current_class_id is not None)
    page = main_window.show_page("Plan")
    assert isinstance(page, PlanPage)
    assert page.class_id == main_window.current_class_id
    new_plan(qtbot, page, "Ratios day 1")
    assert isinstance(page.result, Timetable)
    toggle_absent(qtbot, page, page.absence.model.index(4, 0).data())
    # Another screen (the quick-check check-in) marks a student absent: the page follows.
    other = str(page.absence.model.index(6, 0).data(Qt.ItemDataRole.UserRole + 1))
    assert page.plan is not None
    services.plans.set_absent(page.plan.id, other, True)
    qtbot.waitUntil(lambda: page.absence.model.absent_count() == 2)
    assert page.summary.text().startswith("26 students here")
    services.plans.set_absent(page.plan.id, other, False)
    qtbot.waitUntil(lambda: page.absence.model.absent_count() == 1)
    qtbot.wait(20)  # let the layouts settle before the picture
    main_window.grab().save(str(artifacts_dir / "plan-main-window.png"))
    main_window.grab().save(str(docs_image("plan.png")))
    page.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    main_window.grab().save(str(artifacts_dir / "plan-main-window-groups.png"))
    page.tabs.setCurrentIndex(2)
    qtbot.wait(20)
    main_window.grab().save(str(artifacts_dir / "plan-main-window-paths.png"))
    page.tabs.setCurrentIndex(3)
    qtbot.wait(20)
    main_window.grab().save(str(artifacts_dir / "plan-main-window-pace.png"))
    assert main_window.width() == 1100  # the page does not force a wider window


def test_a_new_plan_from_a_template(qtbot: QtBot, services: AppServices) -> None:
    """A plan kept as a template starts Friday's plan with the same groups and pace."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "Monday")
    page.paths.round_minutes.setValue(13)
    qtbot.mouseClick(page.plans.template_button, Qt.MouseButton.LeftButton)
    assert "Kept as the template" in page.status.text()
    rows = [page.plans.plan_list.plans.index(r, 0).data() for r in range(2)]
    assert rows == [f"{rows[0].split(' · ')[0]} · Monday", "Monday (template)"]
    qtbot.mouseClick(page.plans.new_button, Qt.MouseButton.LeftButton)
    dialog = page.plans.dialog
    assert isinstance(dialog, PlanNameDialog)
    dialog.template_combo.setCurrentIndex(1)
    assert dialog.template_combo.currentText().startswith("Template: Monday")
    fill_and_ok(qtbot, dialog, "Friday")
    assert page.plan is not None and page.plan.name == "Friday"
    assert page.plan.body.pace.round_minutes == 13
    assert page.plans.plan_list.current_plan_id() == page.plan.id


def test_a_class_not_set_up_yet_says_what_is_missing(qtbot: QtBot, services: AppServices) -> None:
    """No stations, then no groups: the line over the grid says what to do next."""
    section = services.classes.create_class(name="Reading 3")
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page, "First try")
    assert page.summary.text() == "This class has no stations yet: add them on the Stations page."
    services.stations.create(section.id, name="Library corner", capacity=8)
    page.reload()
    assert page.summary.text() == "Nobody is in a group yet: form groups on the Groups tab."
    for name in ("Ann", "Bo", "Cy"):
        services.roster.add_student(section.id, given_name=name)
    page.reload()
    qtbot.mouseClick(page.forming.form_button, Qt.MouseButton.LeftButton)
    assert "3 groups are made instead of 4" in page.status.text()
    assert page.summary.text().startswith("3 students here, 3 groups")
