"""A small TCP proxy between a laptop and the server that misbehaves on purpose.

Each new connection gets one fate, drawn from a seeded random generator: pass through,
be reset before anything reaches the server, lose the server's reply after the server
acted on the request, cut the reply short, be slow, get a 5xx answer instead of reaching
the server (``error``) or in place of the server's real reply (``error_after``), or have
the server restart under it (``restart``: the request reaches the server, the reply is
lost, and the server is stopped and started again on the same database on a new port).
Laptops under test use one connection per request (no keep-alive) so every request
meets its own fate.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter
from collections.abc import Callable

FATES = ("pass", "reset", "lose_reply", "truncate", "slow", "error", "error_after", "restart")

_ERROR_STATUSES = (b"500 Internal Server Error", b"502 Bad Gateway", b"503 Service Unavailable")


def _error_reply(status: bytes) -> bytes:
    body = b'{"detail":"injected server error"}'
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
    )


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        seed: int,
        weights: dict[str, float],
        restart: Callable[[], int] | None = None,
    ) -> None:
        """``restart`` stops and starts the server, returning its new port (``restart`` fate)."""
        self.upstream_port = upstream_port
        self.restart = restart
        self.rng = random.Random(seed)
        self.weights = weights
        self.fates: Counter[str] = Counter()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        future.result(timeout=5)
        return self

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        """Stop listening, end the connections still open (a killed laptop's), then the loop.

        Left pending, a connection's handler was collected with the stopped loop and
        Python complained that it ignored ``GeneratorExit``.
        """

        async def close() -> None:
            if self._server is not None:
                self._server.close()
            handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for handler in handlers:
                handler.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()

    def _fate(self) -> str:
        names = list(self.weights)
        fate = self.rng.choices(names, [self.weights[n] for n in names])[0]
        self.fates[fate] += 1
        return fate

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        fate = self._fate()
        try:
            if fate == "reset":
                return
            if fate == "error":
                await reader.read(65536)  # the request (small), never forwarded
                writer.write(_error_reply(self.rng.choice(_ERROR_STATUSES)))
                await writer.drain()
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            try:
                forward = asyncio.create_task(_pipe(reader, up_writer))
                first = await up_reader.read(65536)  # the reply (small: one read)
                if fate == "lose_reply":
                    return
                if fate == "restart" and self.restart is not None:
                    up_writer.close()
                    self.upstream_port = await asyncio.to_thread(self.restart)
                    return
                if fate == "error_after":  # the server acted; the laptop hears a 5xx
                    writer.write(_error_reply(self.rng.choice(_ERROR_STATUSES)))
                    await writer.drain()
                    return
                if fate == "truncate":
                    writer.write(first[: self.rng.randrange(0, max(1, len(first)))])
                    await writer.drain()
                    return
                if fate == "slow":
                    await asyncio.sleep(self.rng.uniform(0.01, 0.1))
                writer.write(first)
                await writer.drain()
                back = asyncio.create_task(_pipe(up_reader, writer))
                await forward  # the laptop closes its end once it has the whole reply
                up_writer.close()
                await asyncio.wait_for(back, timeout=5)
            finally:
                forward.cancel()
                up_writer.close()
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
