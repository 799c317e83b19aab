"""After class the teacher opens Insights: the heat map, a student's timeline, notes, CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from benchmarks.check_history import generate_history
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection
from station_rotation.ui.checks.level_colours import level_colour
from station_rotation.ui.insights.insights_page import GROUPS, InsightsPage
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.pages import page_specs
from station_rotation.ui.relay import ChangeRelay


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    section = create_sample_class(services, students=28)
    generate_history(services, section.id, days=25, seed=3)
    return section


def open_insights(qtbot: QtBot, services: AppServices, class_id: str) -> InsightsPage:
    page = InsightsPage(services)
    qtbot.addWidget(page)
    relay = ChangeRelay(services.bus, page)  # as the main window wires its pages
    relay.changed.connect(page.on_changes)
    page.destroyed.connect(relay.detach)
    page.resize(1500, 950)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loads >= 1)
    return page


def wait_reloaded(qtbot: QtBot, page: InsightsPage, before: int) -> None:
    """Until the page has redrawn after a change, and no further load is queued."""
    qtbot.waitUntil(lambda: page.loads > before and not page.runner.busy)


def test_heatmap_shows_every_student_and_tells_the_level_on_hover(
    qtbot: QtBot, services: AppServices, sample: ClassSection, artifacts_dir: Path
) -> None:
    """Each cell is painted in its level's colour; hovering says the level and the day."""
    page = open_insights(qtbot, services, sample.id)
    heatmap = page.heatmap.heatmap
    assert len(heatmap.students) == 28 and len(heatmap.targets) == 4
    row, student = next(
        (i, s) for i, s in enumerate(heatmap.students) if heatmap.cell(s.id, heatmap.targets[0].id)
    )
    level = heatmap.cell(student.id, heatmap.targets[0].id)
    assert level is not None
    rect = page.heatmap.cell_rect(row, 0)
    image = page.heatmap.grab().toImage()
    pixel = image.pixelColor(int(rect.left()) + 3, int(rect.top()) + 3).name()
    assert pixel == level_colour(level.position, level.count).background
    tip = page.heatmap.tooltip_at(rect.center())
    assert student.name in tip and f"Level: {level.label}" in tip and "Checked " in tip
    assert "Trend:" in page.heatmap.tooltip_at(QPointF(20, rect.center().y()))
    page.grab().save(str(artifacts_dir / "insights_heatmap_page.png"))


def test_clicking_a_student_shows_their_timeline_and_notes(
    qtbot: QtBot, services: AppServices, sample: ClassSection, artifacts_dir: Path
) -> None:
    """A click on a row opens that student's history per target and private notes."""
    page = open_insights(qtbot, services, sample.id)
    student = page.heatmap.heatmap.students[2]
    centre = page.heatmap.cell_rect(2, 1).center().toPoint()
    qtbot.mouseClick(page.heatmap, Qt.MouseButton.LeftButton, pos=centre)
    assert page.student_id == student.id
    qtbot.waitUntil(lambda: page.timeline.student_name == student.name)
    history = services.quick_checks.history(sample.id, student_id=student.id)
    shown = sum(len(t.points) for t in page.timeline.timelines)
    assert 0 < shown <= len(history)
    assert page.notes.heading.text() == f"Private notes: {student.name}"
    page.timeline.grab().save(str(artifacts_dir / "insights_student_timeline.png"))


def test_notes_and_the_needs_support_flag_from_the_panel(
    qtbot: QtBot, services: AppServices, sample: ClassSection
) -> None:
    """The teacher types an intervention, flags the student, and the heat map marks them."""
    page = open_insights(qtbot, services, sample.id)
    student = page.heatmap.heatmap.students[0]
    page.pick_student(student.id)
    page.notes.kind.setCurrentIndex(page.notes.kind.findData("intervention"))
    qtbot.keyClicks(page.notes.text, "Fraction strips, 10 min daily")
    qtbot.keyClick(page.notes.text, Qt.Key.Key_Return)
    notes = services.student_notes.notes(sample.id, student.id)
    assert [(n.kind, n.text) for n in notes] == [("intervention", "Fraction strips, 10 min daily")]
    assert "Fraction strips" in page.notes.list.item(0).text()
    before = page.loads
    page.notes.flag_box.click()
    assert services.student_notes.flagged(sample.id) == {student.id}
    wait_reloaded(qtbot, page, before)
    assert page.heatmap.heatmap.students[0].needs_support
    before = page.loads
    page.notes.flag_box.click()
    assert services.student_notes.flagged(sample.id) == set()
    wait_reloaded(qtbot, page, before)
    assert not page.heatmap.heatmap.students[0].needs_support
    page.notes.list.setCurrentRow(0)
    page.notes.end_button.click()
    assert not any(n.active for n in services.student_notes.notes(sample.id, student.id))


def test_groups_of_the_plan_filter_and_summarise(
    qtbot: QtBot, services: AppServices, sample: ClassSection, artifacts_dir: Path
) -> None:
    """Groups of today's plan appear in the filter and as rows of the groups view."""
    plan = services.plans.create(sample.id, "Today", date.today())
    formed = services.plans.form_groups(plan.id, method="tiers", count=4, seed=2)
    page = open_insights(qtbot, services, sample.id)
    qtbot.waitUntil(lambda: page.show_picker.count() == 1 + len(formed.plan.body.groups))
    first = formed.plan.body.groups[0]
    page.show_picker.setCurrentIndex(1)
    assert {s.id for s in page.heatmap.heatmap.students} == set(first.student_ids)
    page.view_picker.setCurrentIndex(GROUPS)
    assert [len(g.student_ids) for g in page.groups.groups] == [
        len(g.student_ids) for g in formed.plan.body.groups
    ]
    page.grab().save(str(artifacts_dir / "insights_groups_page.png"))


def test_export_csv_from_the_page(
    qtbot: QtBot, services: AppServices, sample: ClassSection, tmp_path: Path
) -> None:
    """Export CSV writes this class's checks off the GUI thread and says how many."""
    page = open_insights(qtbot, services, sample.id)
    path = tmp_path / "period 2.csv"
    page.export_to(path)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=20000)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(services.quick_checks.history(sample.id))
    assert "Exported" in page.status.text()


def test_insights_follows_quick_checks_in_the_window(
    qtbot: QtBot, main_window: MainWindow, services: AppServices, sample: ClassSection
) -> None:
    """The page is registered lazily after Quick checks and opens on the selected class."""
    titles = [spec.title for spec in page_specs()]
    assert titles.index("Insights") == titles.index("Quick checks") + 1
    main_window.select_class(sample.id)
    page = main_window.show_page("Insights")
    assert isinstance(page, InsightsPage)
    qtbot.waitUntil(lambda: page.loads >= 1)
    assert len(page.heatmap.heatmap.students) == 28
