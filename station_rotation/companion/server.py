"""Run the companion's HTTP server on its own thread, on the address the teacher picked.

uvicorn with its pure-Python HTTP parser (h11) and the standard asyncio loop, on a thread
of its own: the Qt thread never waits on the network, and the frozen app needs no C
extension for it. The socket is bound here, before the thread starts, so a port in use
or an address the laptop no longer has is a plain error at once, never a silent failure.
It listens on one address only (never all interfaces by surprise).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
from typing import Any

from station_rotation.companion.classroom import Classroom
from station_rotation.core.errors import StationRotationError

DEFAULT_PORT = 8765
"""Fixed, so district IT can name it in a firewall rule; the next free one if taken."""
PORTS_TO_TRY = 10


class CompanionError(StationRotationError):
    """The companion could not start (address gone, every port taken)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``: ``port``, or the next free of ``PORTS_TO_TRY``."""
    tries = [port] if port == 0 else list(range(port, port + PORTS_TO_TRY))
    last: OSError | None = None
    for candidate in tries:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, candidate))
            sock.listen(128)
            sock.setblocking(False)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno != errno.EADDRINUSE:
                break
    assert last is not None
    if last.errno == errno.EADDRINUSE:
        raise CompanionError(
            f"Ports {tries[0]}-{tries[-1]} are all in use on this laptop. Close the other "
            "program using them, or choose another network."
        )
    raise CompanionError(
        f"Cannot listen on {host} ({last.strerror}). The laptop may have left that "
        "network: choose the network again."
    )


class CompanionServer:
    """The companion's web server for one :class:`Classroom`, started and stopped by the app."""

    def __init__(self, classroom: Classroom, host: str, port: int = DEFAULT_PORT) -> None:
        self.classroom = classroom
        self.host = host
        self._port = port
        self._sock: socket.socket | None = None
        self._bound_port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing: asyncio.Event | None = None
        self._server: object | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    @property
    def port(self) -> int:
        """The port it listens (or listened) on."""
        assert self._bound_port, "start() first"
        return self._bound_port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Bind and serve; returns once devices can connect (or raises CompanionError)."""
        self._sock = bind(self.host, self._port)
        self._bound_port = int(self._sock.getsockname()[1])
        self._thread = threading.Thread(target=self._run, name="companion-http", daemon=True)
        self._thread.start()
        if not self._ready.wait(10) or self._failure is not None:
            self.stop()
            raise CompanionError(f"The companion did not start: {self._failure or 'timed out'}")

    def stop(self) -> None:
        """End every device's stream and stop serving (within a few seconds)."""
        loop, closing, server = self._loop, self._closing, self._server
        if loop is not None and closing is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just ended by itself
                loop.call_soon_threadsafe(closing.set)
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        if self._sock is not None:
            self._sock.close()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(), or ends quietly on stop
            self._failure = exc
            self._ready.set()

    async def _serve(self) -> None:
        import uvicorn  # loaded only when the teacher switches the companion on
        from uvicorn.protocols.http.h11_impl import H11Protocol

        from station_rotation.companion.web import build_app

        class Unlogged(H11Protocol):
            """h11 that never writes a request line, whatever logging the app set up
            (uvicorn decides by whether its access logger has a handler)."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.access_log = False

        self._loop = asyncio.get_running_loop()
        self._closing = asyncio.Event()
        config = uvicorn.Config(
            build_app(self.classroom, closing=self._closing),
            loop="asyncio",
            http=Unlogged,
            ws="none",
            lifespan="off",
            log_config=None,  # the app's logging as it is
            access_log=False,  # no request line in any log: codes and names stay out
            timeout_graceful_shutdown=3,
            timeout_keep_alive=30,
        )
        server = uvicorn.Server(config)
        self._server = server
        task = asyncio.ensure_future(server.serve(sockets=[self._sock]))  # type: ignore[list-item]
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        self._ready.set()
        await task
