"""Stories: a student marked absent in today's plan is shown absent in the quick-check
grid, is not waited for, cannot be given a level, and the export is right; a mark made
during the run counts from then on."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.checks.export import export_checks
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.checks.entry_model import ABSENT_TODAY
from tests.ui.quick_check_helpers import Keyboard, cell_text, open_checks


def _export_rows(services: AppServices, path: Path, class_id: str) -> list[dict[str, str]]:
    export_checks(services.store, path, class_ids=[class_id])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_absent_student_is_shown_absent_and_skipped_and_given_no_level(
    qtbot: QtBot, services: AppServices, tmp_path: Path, artifacts_dir: Path
) -> None:
    """Rows 2 and 3 are absent in today's plan: the grid says so, the cursor goes from
    row 1 straight to row 4, a digit typed on an absent row saves nothing, and the CSV
    has levels for the present students only."""
    section = create_sample_class(services, todays_plan=date.today())
    plan = services.plans.plan_for_day(section.id)
    assert plan is not None
    page = open_checks(qtbot, services, section.id)
    students = page.model.students
    services.plans.set_absent(plan.id, students[1].id, True)
    services.plans.set_absent(plan.id, students[2].id, True)
    page.reload()  # (the page also redraws on the plan's change, when in a window)

    assert cell_text(page, 1, 0) == ABSENT_TODAY and cell_text(page, 2, 3) == ABSENT_TODAY
    tip = page.model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Marked absent in today's plan: not checked today."
    keys = Keyboard(qtbot, page)
    assert page.grid.currentIndex().row() == 0
    keys.press("3")
    assert page.grid.currentIndex().row() == 3  # not waited for
    keys.press("2")
    assert page.grid.currentIndex().row() == 4

    page.grid.go_to(1, 0)  # the teacher clicks on an absent student anyway
    keys.press("4")
    assert "absent in today's plan" in page.saved_state.text()
    assert cell_text(page, 1, 0) == ABSENT_TODAY
    page.grid.go_to(0, 0)
    page.grab().save(str(artifacts_dir / "quick-checks-absent-today.png"))

    rows = _export_rows(services, tmp_path / "checks.csv", section.id)
    assert sorted(r["student"] for r in rows) == sorted([students[0].name, students[3].name])
    assert all(r["level_value"] for r in rows)


def test_a_mark_made_during_the_run_counts_from_then_on(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """Checked at 10:05, pulled out at 10:20: her 10:05 level stays (in the grid and the
    export); from then on she is absent, and back at 10:40 she can be checked again."""
    section = create_sample_class(services, todays_plan=date.today())
    plan = services.plans.plan_for_day(section.id)
    assert plan is not None
    page = open_checks(qtbot, services, section.id)
    keys = Keyboard(qtbot, page)
    first = page.model.students[0]
    keys.press("3")  # target 1, before the mark
    assert cell_text(page, 0, 0).startswith("3 Proficient")

    services.plans.set_absent(plan.id, first.id, True)
    page.reload()
    assert cell_text(page, 0, 0).startswith("3 Proficient")  # what was given stays
    assert cell_text(page, 0, 1) == ABSENT_TODAY  # the rest: absent from now on
    page.grid.go_to(0, 1)
    keys.press("2")
    assert (
        services.quick_checks.current(section.id).get((first.id, page.model.targets[1].id)) is None
    )

    services.plans.set_absent(plan.id, first.id, False)  # back in class
    page.reload()
    page.grid.go_to(0, 1)
    keys.press("2")
    assert cell_text(page, 0, 1).startswith("2 ")
    rows = _export_rows(services, tmp_path / "checks.csv", section.id)
    assert [(r["student"], r["level_value"]) for r in rows] == [
        (first.name, "3"),
        (first.name, "2"),
    ]
