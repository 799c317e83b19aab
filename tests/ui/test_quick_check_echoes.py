"""The quick-check page skips the echo of its own saves, and only that: a save announced
twice, or not at all, never makes it miss a change someone else made."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from quick_check_helpers import Keyboard, cell_text, open_checks

from station_rotation.core.events import Changes
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.checks.entry_page import QuickCheckPage


@pytest.fixture
def story(
    qtbot: QtBot, services: AppServices
) -> Iterator[tuple[QuickCheckPage, list[Changes], list[int]]]:
    """The page on a class of six; what the bus announced; how often the page redrew."""
    section = create_sample_class(services, students=6)
    page = open_checks(qtbot, services, section.id)
    heard: list[Changes] = []
    unsubscribe = services.bus.subscribe(heard.append)
    redraws: list[int] = []
    reload = page.reload

    def counting() -> None:
        redraws.append(1)
        reload()

    page.reload = counting  # type: ignore[method-assign]
    yield page, heard, redraws
    unsubscribe()


def _someone_else_records(services: AppServices, page: QuickCheckPage, row: int) -> Changes:
    """Another window (or a sync) saves a level for the student in ``row``: its change."""
    assert page.class_id is not None
    heard: list[Changes] = []
    unsubscribe = services.bus.subscribe(heard.append)
    try:
        services.quick_checks.record(
            class_id=page.class_id,
            student_id=page.model.row_item(row).id,
            target_id=page.model.targets[0].id,
            score=2,
        )
    finally:
        unsubscribe()
    return heard[-1]


def test_a_save_announced_twice_is_skipped_both_times(
    qtbot: QtBot,
    services: AppServices,
    story: tuple[QuickCheckPage, list[Changes], list[int]],
) -> None:
    """The teacher types a level; its change arrives twice: no redraw. Another save then
    arrives: the page redraws and shows it."""
    page, heard, redraws = story
    Keyboard(qtbot, page).type("3")
    assert len(heard) == 1
    page.on_changes(heard[0])
    page.on_changes(heard[0])
    assert redraws == []
    assert cell_text(page, 0, 0).startswith("3 Proficient  ✓")  # "saved at", not redrawn

    page.on_changes(_someone_else_records(services, page, 3))
    assert redraws == [1]
    assert cell_text(page, 3, 0).startswith("2")


def test_a_save_never_announced_does_not_hide_the_next_change(
    qtbot: QtBot,
    services: AppServices,
    story: tuple[QuickCheckPage, list[Changes], list[int]],
) -> None:
    """The page's save is saved but its change is lost on the way; the next change, made
    elsewhere, is still drawn (a counter of expected echoes would have swallowed it)."""
    page, heard, redraws = story
    Keyboard(qtbot, page).type("4")
    heard.clear()  # never delivered to the page
    page.on_changes(_someone_else_records(services, page, 2))
    assert redraws == [1]
    assert cell_text(page, 2, 0).startswith("2")
    assert cell_text(page, 0, 0).startswith("4")


def test_a_change_without_ids_is_drawn(
    qtbot: QtBot,
    services: AppServices,
    story: tuple[QuickCheckPage, list[Changes], list[int]],
) -> None:
    """A change that does not say which records it saved (a pull) always redraws."""
    page, _heard, redraws = story
    Keyboard(qtbot, page).type("2")
    page.on_changes(Changes(frozenset({"quick_check"})))
    assert redraws == [1]


def test_undo_and_notes_are_own_saves_too(
    qtbot: QtBot,
    services: AppServices,
    story: tuple[QuickCheckPage, list[Changes], list[int]],
) -> None:
    """An entry and its undo: both changes are the page's own, neither redraws."""
    page, heard, redraws = story
    keys = Keyboard(qtbot, page)
    keys.type("3")
    page.undo()
    assert len(heard) == 2
    for changes in heard:
        page.on_changes(changes)
    assert redraws == []
    assert cell_text(page, 0, 0) == ""
