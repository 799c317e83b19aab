"""Shared fixtures: an offscreen Qt, a temporary data folder, real services on a real file."""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from station_rotation.services.app import AppServices

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from station_rotation.ui.main_window import MainWindow
    from tests.live_server import LiveServer

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, naming the package to install, a test whose optional system library is missing."""
    if item.get_closest_marker("needs_sound_library"):
        from tests.system_libraries import sound_library_problem_here

        problem = sound_library_problem_here()
        if problem:
            pytest.skip(problem)


_TESTS_RUN = itertools.count(1)
FULL_COLLECTION_EVERY = 25


@pytest.fixture(autouse=True)
def _garbage_on_the_main_thread() -> Iterator[None]:
    """Python's collector runs on the main thread only, between tests.

    Left to itself it runs on whichever thread allocates: a sync's executor or the
    companion's server thread. A widget left in a reference cycle is then destroyed there,
    and its destructor waits for the GUI thread, which is waiting for that worker or its
    HTTP answer — a deadlock seen in tests/ui/test_sync_attention.py. So automatic
    collection is off during a test (code under test may switch it on: it is switched off
    again), and the main thread collects after each test, fully every few tests.
    """
    gc.disable()
    yield
    gc.disable()
    gc.collect(2 if next(_TESTS_RUN) % FULL_COLLECTION_EVERY == 0 else 1)


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the real user's settings or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("STATION_ROTATION_DATA_DIR", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def services(data_dir: Path) -> Iterator[AppServices]:
    svc = AppServices.open(data_dir)
    yield svc
    svc.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests save screenshots for people to look at (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def main_window(qtbot: QtBot, services: AppServices) -> MainWindow:
    """The real main window on a real data file, as the app builds it."""
    from station_rotation.ui.app import build_main_window, make_application

    make_application([])
    window = build_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# --- the district server (used by tests/server and tests/sync) -----------------------


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """A real PostgreSQL for the whole session (the pgserver wheel)."""
    from tests.live_server import shared_postgres

    try:
        return shared_postgres()
    except Exception as exc:  # no wheel for this platform, or it cannot run here
        pytest.skip(f"PostgreSQL could not start here ({exc!r})")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh, empty district server on loopback per test, on each backend."""
    from tests.live_server import LiveServer, new_postgres_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_admin_url"))
    live = LiveServer(url).start()
    yield live
    live.stop()
