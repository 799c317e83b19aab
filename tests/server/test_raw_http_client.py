"""The benchmark's minimal HTTP client reads the real server's answers, and says so when
it cannot (a broken connection, an answer it does not read)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.raw_http import RawHttp, RawHttpError
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer
from tests.server.served import district


def test_it_keeps_one_connection_for_a_laptops_requests(tmp_path: Path) -> None:
    url, code = district(tmp_path)
    live = LiveServer(url).start()

    async def laptop() -> list[tuple[int, dict[str, Any]]]:
        client = RawHttp(live.url)
        json_type = {"Content-Type": "application/json"}
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        status, body = await client.post("/v1/enrol", json.dumps(enrol).encode(), json_type)
        assert status == 200
        mine = {**json_type, "Authorization": f"Bearer {json.loads(body)['token']}"}
        pull = json.dumps({"protocol": PROTOCOL_VERSION, "cursor": 0}).encode()
        answers = []
        for headers in (mine, json_type, mine):  # the 401 keeps the connection open
            status, body = await client.post("/v1/pull", pull, headers)
            answers.append((status, json.loads(body)))
        await client.aclose()
        return answers

    try:
        answers = asyncio.run(laptop())
    finally:
        live.stop()
    assert [status for status, _ in answers] == [200, 401, 200]
    first, again = (answer for status, answer in answers if status == 200)
    assert first["changes"] == again["changes"] == []
    assert first["next_cursor"] == again["next_cursor"]


async def _serve_once(answer: bytes) -> tuple[asyncio.Server, str]:
    """A server that reads one request's head, writes ``answer`` and hangs up."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", "connection broke"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "Content-Length"),
        (b"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
    ],
)
def test_an_answer_it_cannot_read_is_an_error(answer: bytes, says: str) -> None:
    async def ask() -> None:
        server, url = await _serve_once(answer)
        async with server:
            client = RawHttp(url)
            try:
                await client.post("/v1/pull", b"{}", {})
            finally:
                await client.aclose()

    with pytest.raises(RawHttpError, match=says):
        asyncio.run(ask())


def test_only_a_plain_http_address_is_taken() -> None:
    with pytest.raises(ValueError, match="http://host:port"):
        RawHttp("https://district.example.org")


def test_a_server_that_never_answers_is_an_error_not_a_hang() -> None:
    async def ask() -> None:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read()  # reads until the client hangs up; never answers

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        async with server:
            client = RawHttp(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", 0.2)
            await client.post("/v1/pull", b"{}", {})

    with pytest.raises(RawHttpError, match=r"no answer within 0\.2 s"):
        asyncio.run(ask())
