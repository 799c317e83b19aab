"""Fixtures for the Qt stories of sync: the app's asyncio loop (qasync) and a district server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.live_server import LiveServer


@pytest.fixture(scope="session")
def _session_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """One asyncio loop on the Qt event loop for the session, as ``run_gui`` has one."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    loop.stop()
    loop.close()  # ends its worker threads


@pytest.fixture
def async_loop(_session_loop: qasync.QEventLoop) -> Iterator[qasync.QEventLoop]:
    """The running loop; what a test leaves running on it is cancelled afterwards."""
    asyncio.events._set_running_loop(_session_loop)
    yield _session_loop
    for task in asyncio.all_tasks(_session_loop):
        task.cancel()
    asyncio.events._set_running_loop(None)


@pytest.fixture
def district(tmp_path: Path) -> Iterator[LiveServer]:
    """A district server on a loopback port, on its own SQLite file."""
    live = LiveServer(f"sqlite:///{tmp_path / 'district.sqlite3'}").start()
    yield live
    live.stop()
