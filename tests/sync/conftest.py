"""A real district server on loopback, on SQLite and on a real PostgreSQL (pgserver)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from laptops import Laptop

from station_rotation.server.testing import LiveServer, new_postgres_database, shared_postgres


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    try:
        return shared_postgres()
    except Exception as exc:  # no wheel for this platform, or it cannot run here
        pytest.skip(f"PostgreSQL could not start here ({exc!r})")


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


@pytest.fixture
def laptops(server: LiveServer, tmp_path: Path) -> Iterator[Callable[[], Laptop]]:
    """Make laptops (each its own data folder) on the test's server; closed afterwards."""
    made: list[Laptop] = []

    def make() -> Laptop:
        laptop = Laptop(server, tmp_path / f"laptop{len(made)}")
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.close()
