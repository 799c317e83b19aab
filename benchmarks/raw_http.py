"""A minimal HTTP/1.1 keep-alive client for load generation (one connection, one request
at a time).

200 simulated laptops share the machine's two cores with the server and PostgreSQL they
load; 200 real ones do not. httpx's own Python work per request (about 1.5 ms here) let
the simulated laptops take a third of the CPU, which real laptops spend on their own
machines, and so counted in every request's latency as the server's. This client does
the least a laptop's request needs: it writes the request, reads the status line, the
headers and a ``Content-Length`` body (the server answers every sync request so), and
leaves JSON to the caller, as load generators such as wrk do. ``bench_sync_devices``
can still use httpx (``STATION_ROTATION_BENCH_CLIENT=httpx``) to show that cost.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class RawHttpError(Exception):
    """The server's answer was not one this client reads (or the connection broke)."""


class RawHttp:
    """POSTs over one keep-alive connection to ``url``'s host, opened by the first request."""

    def __init__(self, url: str, timeout: float = 60) -> None:
        self._timeout = timeout
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"an http://host:port address, not {url!r}")
        self._host, self._port = parts.hostname, parts.port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """(status, body) of ``POST path``; ``headers`` besides Host and Content-Length.

        An answer that takes longer than the timeout (60 s, as the laptop's client) is an
        error, and the connection is closed.
        """
        try:
            async with asyncio.timeout(self._timeout):
                return await self._post(path, body, headers)
        except TimeoutError as exc:
            await self.aclose()
            raise RawHttpError(f"no answer within {self._timeout} s") from exc

    async def _post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None
        lines = [f"POST {path} HTTP/1.1", f"Host: {self._host}:{self._port}"]
        lines += [f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            head = await self._reader.readuntil(b"\r\n\r\n")
            status, fields = _parse_head(head)
            length = fields.get("content-length", "")
            if not length.isdigit() or "transfer-encoding" in fields:
                raise RawHttpError("an answer without a Content-Length")
            content = await self._reader.readexactly(int(length))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            await self.aclose()
            raise RawHttpError(f"the connection broke: {exc!r}") from exc
        if fields.get("connection", "").lower() == "close":
            await self.aclose()
        return status, content

    async def aclose(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):  # already broken: closed is all we need
                await writer.wait_closed()


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """The status and the (lower-case) header fields of a response's head."""
    status_line, *rest = head.decode("latin-1").split("\r\n")
    version, _, after = status_line.partition(" ")
    if not version.startswith("HTTP/1.") or not after[:3].isdigit():
        raise RawHttpError(f"not an HTTP/1.x status line: {status_line!r}")
    fields: dict[str, str] = {}
    for line in rest:
        if line:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
    return int(after[:3]), fields
