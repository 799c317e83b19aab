"""A real district server on loopback, on SQLite and on a real PostgreSQL (pgserver)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_rotation.server.testing import (
    LiveServer,
    new_postgres_database,
    start_postgres,
    stop_postgres,
)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    # A short path: PostgreSQL's Unix socket lives in it (sun_path is ~100 bytes).
    folder = Path(tempfile.mkdtemp(prefix="srpg"))
    try:
        handle, url = start_postgres(folder)
    except Exception as exc:  # no wheel for this platform, or it cannot run here
        pytest.skip(f"PostgreSQL could not start here ({exc!r})")
    yield url
    stop_postgres(handle)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh, empty server per test on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_admin_url"))
    live = LiveServer(url).start()
    yield live
    live.stop()
