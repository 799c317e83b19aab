"""The Plan page forwards a teacher's edits to the plan service and shows what it says."""

from __future__ import annotations

import pytest
from plan_helpers import new_plan, open_page
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class


@pytest.mark.qt_log_ignore("This plugin does not support")  # a menu pops up offscreen
def test_leaving_the_own_paths_title_is_no_rename(qtbot: QtBot, services: AppServices) -> None:
    """The Own paths column's title is read-only: clicking into it and away saves nothing
    and says nothing (it is not a group the plan service could rename)."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    assert page.plan is not None
    student = page.plan.body.groups[0].student_ids[0]
    page.give_own_path(student)
    page.tabs.setCurrentIndex(1)
    stored = services.plans.get(page.plan.id)
    page.status.clear()
    own_column = page.groups.columns[-1]
    assert own_column.name.isReadOnly()
    renames: list[tuple[str, str]] = []
    page.groups.rename_requested.connect(lambda gid, name: renames.append((gid, name)))
    own_column.name.setFocus()
    qtbot.keyClick(own_column.name, Qt.Key.Key_Return)
    page.groups.columns[0].name.setFocus()
    assert renames == []
    assert page.status.text() == ""
    assert services.plans.get(page.plan.id) == stored


def test_a_refused_rename_says_why_and_keeps_the_saved_name(
    qtbot: QtBot, services: AppServices
) -> None:
    """A name longer than the plan allows (61 letters): the service refuses it, the page
    says so, and the column shows the saved name again."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    assert page.plan is not None
    group = page.plan.body.groups[0]
    page.edit_group(group.id, name="x" * 61)
    assert page.status.text().startswith("Not saved.")
    assert services.plans.get(page.plan.id).body.groups[0].name == group.name
    assert page.groups.columns[0].name.text() == group.name


def test_fast_finisher_text_is_saved_with_the_plan(qtbot: QtBot, services: AppServices) -> None:
    """What the teacher types for fast finishers is in the stored plan once flushed."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    assert page.plan is not None
    page.tabs.setCurrentIndex(3)
    qtbot.keyClicks(page.paths.fast_finisher, "Read your library book")
    page.paths.flush_text()
    assert services.plans.get(page.plan.id).body.fast_finisher == "Read your library book"
    assert page.status.text() == "All changes saved."
