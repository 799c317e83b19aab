"""A real server on a loopback port, in a thread: for tests, benchmarks and reliability runs.

Not a mock: the same ``create_app`` and uvicorn as production, on a socket bound to
127.0.0.1 with a port the OS picks.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from station_rotation.server.app import create_app
from station_rotation.server.database import make_engine
from station_rotation.server.serving import proxy_options
from station_rotation.server.settings import ServerSettings


class LiveServer:
    """Start with :meth:`start`, stop with :meth:`stop`; ``url`` is its base address."""

    def __init__(self, database_url: str, **settings: Any) -> None:
        self.settings = ServerSettings(database_url=database_url, **settings)
        self.engine: Engine = make_engine(database_url)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.url = ""
        self.app: FastAPI | None = None

    def start(self) -> LiveServer:
        app = self.app = create_app(self.settings, engine=self.engine)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._socket = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", **proxy_options(self.settings)
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self.engine.dispose()


def start_postgres(folder: Path) -> tuple[Any, str]:
    """A throw-away PostgreSQL (the ``pgserver`` wheel); returns (handle, admin URL).

    ``folder`` should be short: the server's Unix socket lives in it.
    """
    with warnings.catch_warnings():  # platformdirs: "XDG_RUNTIME_DIR is not set" on CI
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        from pgserver.postgres_server import get_server

        server = get_server(str(folder), cleanup_mode=None)
        return server, str(server.get_uri())


def stop_postgres(handle: Any) -> None:
    """Immediate shutdown (SIGQUIT): a throw-away cluster needs no clean checkpoint."""
    pid = handle.get_pid()
    if pid is None:
        return
    os.kill(pid, signal.SIGQUIT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def new_postgres_database(admin_url: str) -> str:
    """Create an empty database on the cluster at ``admin_url``; return its URL."""
    from sqlalchemy import create_engine, text

    from station_rotation.core.ids import new_id

    name = "t_" + new_id().replace("-", "")[:16]
    engine = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    head, _, query = admin_url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


_SHARED: dict[str, str] = {}


def shared_postgres() -> str:
    """One throw-away PostgreSQL per process (tests in several folders share it).

    Started on first use in a short temporary folder and shut down at exit.
    """
    if "url" not in _SHARED:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="srpg"))
        handle, url = start_postgres(folder)

        def _stop() -> None:
            stop_postgres(handle)
            shutil.rmtree(folder, ignore_errors=True)

        atexit.register(_stop)
        _SHARED["url"] = url
    return _SHARED["url"]
