"""The first screen asks the early services only what they answer themselves; anything
past the typed interface still works, and says that it loaded the data layer for it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.first_screen_stand_in import FirstScreenStandIn
from station_rotation.ui.app import make_application, open_main_window
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.warm_up import ServicesWarmUp

FALLBACK = "is not a first-screen read"


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    """The app's window on the sample class, opened on its quick reader."""
    services = AppServices.open(data_dir)
    create_sample_class(services)
    services.close()
    make_application([])
    opened, _warm_up = open_main_window(data_dir)
    qtbot.addWidget(opened)
    yield opened
    opened.close()
    opened.services.close()


def test_the_first_screen_reads_nothing_past_its_interface(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    """Classes, then Roster, then the services coming in: both pages were drawn from the
    quick reader, and no read went past the typed interface."""
    caplog.set_level(logging.WARNING, logger="station_rotation.services.first_screen_stand_in")
    early = window.services
    assert isinstance(early, FirstScreenStandIn)
    window.show_page("Roster")
    assert early.loaded is None  # the roster, its count and teachers: all quick reads
    window.show()
    warm_up = window.findChild(ServicesWarmUp)
    assert warm_up is not None
    qtbot.waitUntil(lambda: warm_up.done, timeout=10000)
    assert [r.getMessage() for r in caplog.records if FALLBACK in r.getMessage()] == []


def test_a_read_past_the_interface_still_works_and_says_so(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    """Code that reaches past the interface (untyped) still gets its answer, and a
    warning names what it asked for."""
    caplog.set_level(logging.WARNING, logger="station_rotation.services.first_screen_stand_in")
    early = window.services
    assert isinstance(early, FirstScreenStandIn) and early.loaded is None
    section = early.classes.list_classes()[0]
    got = early.classes.get_class  # type: ignore[attr-defined]
    assert got(section.id).name == section.name
    assert early.loaded is not None
    assert any("classes.get_class " + FALLBACK in r.getMessage() for r in caplog.records)
