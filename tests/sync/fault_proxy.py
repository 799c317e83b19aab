"""A small TCP proxy between a laptop and the server that misbehaves on purpose.

Each new connection gets one fate, drawn from a seeded random generator: pass through,
be reset before anything reaches the server, lose the server's reply after the server
acted on the request, cut the reply short, or be slow. Laptops under test use one
connection per request (no keep-alive) so every request meets its own fate.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter

FATES = ("pass", "reset", "lose_reply", "truncate", "slow")


class FaultProxy:
    def __init__(self, upstream_port: int, seed: int, weights: dict[str, float]) -> None:
        self.upstream_port = upstream_port
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
        async def close() -> None:
            if self._server is not None:
                self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

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
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            try:
                forward = asyncio.create_task(_pipe(reader, up_writer))
                first = await up_reader.read(65536)  # the reply (small: one read)
                if fate == "lose_reply":
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
