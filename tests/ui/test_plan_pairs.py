"""A teacher keeps two students apart on the Plan page: saved with the plan, warned on a drag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.plan.members_model import STUDENT_ID_ROLE
from station_rotation.ui.plan.plan_page import WARNING_STYLE, PlanPage
from tests.docs_images import docs_image
from tests.ui.plan_helpers import new_plan, open_page


def members(page: PlanPage, column: int) -> list[str]:
    model = page.groups.columns[column].model
    return [str(model.index(r, 0).data(STUDENT_ID_ROLE)) for r in range(model.rowCount())]


def choose_pair(page: PlanPage, title: str, first: str, second: str) -> None:
    """Keep apart / Keep together → first student → second student, from the Pairs menu."""
    bar = page.forming
    bar.fill_pairs_menu()
    wish = next(m for m in bar.pairs_menu.actions() if m.text() == title).menu()
    assert isinstance(wish, QMenu)
    sub = next(m for m in wish.actions() if m.text() == first).menu()
    assert isinstance(sub, QMenu)
    next(x for x in sub.actions() if x.text() == second).trigger()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_keep_apart_pair_is_kept_and_a_drag_that_breaks_it_is_warned(
    qtbot: QtBot, services: AppServices
) -> None:
    """The pair shows under the bar, survives re-forming and reopening; a drag is warned, saved."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    assert page.view is not None
    a, b = members(page, 0)[0], members(page, 1)[0]
    name_a, name_b = page.view.name(a), page.view.name(b)

    choose_pair(page, "Keep apart", name_a, name_b)

    assert page.plan is not None
    assert services.plans.get(page.plan.id).body.apart_ids() == [(a, b)]
    summary = page.forming.pairs_label
    assert summary.isVisible() and summary.text() == f"Kept apart: {name_a} & {name_b}"
    assert page.forming.pairs_button.text() == "Pairs (1)…"
    assert "kept apart whenever groups are formed" in page.status.text()
    assert not page.pair_warning.isVisible()

    # Re-forming tomorrow: nothing to choose again, the pair still holds.
    qtbot.mouseClick(page.forming.form_button, Qt.MouseButton.LeftButton)
    where = {s: n for n in range(len(page.groups.columns)) for s in members(page, n)}
    assert where[a] != where[b]

    # A drag that puts them together: saved, and said in the warning colour.
    source, target = page.groups.columns[where[b]], page.groups.columns[where[a]]
    row = source.model.row_of(b)
    data = source.model.mimeData([source.model.index(row, 0)])
    assert target.model.dropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, target.model.index(0, 0).parent()
    )
    qtbot.waitUntil(lambda: b in members(page, where[a]))
    group = page.plan.body.groups[where[a]].name
    warning = f"{name_a} and {name_b} should be kept apart but are both in {group}."
    assert page.pair_warning.isVisible() and warning in page.pair_warning.text()
    assert warning in page.status.text() and page.status.styleSheet() == WARNING_STYLE
    assert b in services.plans.get(page.plan.id).body.groups[where[a]].student_ids
    page.grab().save(str(docs_image("plan-pairs.png")))

    # The plan opened afresh (the second laptop, tomorrow) still has the pair and the warning.
    again = open_page(qtbot, services, section.id)
    again.tabs.setCurrentIndex(1)
    assert again.forming.pairs_label.text() == f"Kept apart: {name_a} & {name_b}"
    assert again.pair_warning.isVisible()

    # Unticking the pair in the menu removes it; the warning goes.
    page.forming.fill_pairs_menu()
    listed = next(x for x in page.forming.pairs_menu.actions() if x.text().endswith(": apart"))
    listed.trigger()
    assert services.plans.get(page.plan.id).body.keep_apart == []
    assert not page.pair_warning.isVisible() and not page.forming.pairs_label.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_keep_together_replaces_keep_apart_for_the_same_two(
    qtbot: QtBot, services: AppServices
) -> None:
    """Choosing "together" for a pair kept apart changes the wish rather than adding a second."""
    section = create_sample_class(services)
    page = open_page(qtbot, services, section.id)
    new_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    assert page.view is not None
    a, b = members(page, 0)[0], members(page, 2)[0]
    name_a, name_b = page.view.name(a), page.view.name(b)
    choose_pair(page, "Keep apart", name_a, name_b)
    choose_pair(page, "Keep together", name_b, name_a)
    assert page.plan is not None
    body = services.plans.get(page.plan.id).body
    assert body.keep_apart == [] and body.together_ids() == [(b, a)]
    assert page.forming.pairs_label.text() == f"Together: {name_b} & {name_a}"
    # They are in different groups today: the page says so without refusing anything.
    assert page.pair_warning.isVisible() and "should stay together" in page.pair_warning.text()
