"""``station-rotation-server serve`` as a process of its own, for tests of the real command."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx


@contextmanager
def served(database_url: str, *options: str, log: IO[Any] | None = None) -> Iterator[str]:
    """Run ``serve`` with ``options`` on a free port until the block ends; yields its address.

    ``log``: where the server's log (its standard error) goes; nowhere by default.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "station_rotation.server.cli", "--database-url", database_url]
    command += ["serve", "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            assert server.poll() is None, "the server stopped"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def district(folder: Path) -> tuple[str, str]:
    """A migrated SQLite district with one teacher: (database URL, an enrolment code)."""
    from station_rotation.server import admin
    from station_rotation.server.database import make_engine
    from station_rotation.server.migrate import upgrade

    url = f"sqlite:///{folder / 'district.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    code = admin.issue_code(engine, admin.create_teacher(engine, "Ms Rivera"))
    engine.dispose()
    return url, code
