"""Laptops syncing with the district server (the `server` fixture lives in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from laptops import Laptop

from tests.live_server import LiveServer


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
