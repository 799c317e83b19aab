"""The sync routes as a laptop meets them: refusals in words, the body limit, no token.

Every request goes through FastAPI's routing; each route reads its own body (``_parse``),
so a body that is not JSON, too large or sent with no token is refused the same way on
each.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from station_rotation.server.app import NOT_ENROLLED, create_app
from station_rotation.server.settings import ServerSettings
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer
from tests.server.served import district

CHECK = {
    "change_id": "c-1",
    "device_seq": 1,
    "entity": "class_section",
    "record_id": "class-1",
    "op": "upsert",
    "hlc": "000001700000000000-0000-laptop-1",
    "payload": {"id": "class-1", "name": "Math 6"},
    "payload_type": "class_section",
}


LIMIT = 64 * 1024
"""The test servers' body limit (``ServerSettings.max_request_bytes``): 400 changes pass it."""


def _requests(token: str) -> list[tuple[str, dict[str, str], bytes]]:
    """(path, headers, body) of good and bad sync requests, in the order a laptop might."""
    mine = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def body(**fields: Any) -> bytes:
        return json.dumps({"protocol": PROTOCOL_VERSION, **fields}).encode()

    return [
        ("/v1/pull", {}, body(cursor=0)),  # no token
        ("/v1/pull", {"Authorization": f"Basic {token}"}, body(cursor=0)),  # not a bearer
        ("/v1/pull", {"Authorization": "Bearer"}, body(cursor=0)),  # no token after it
        ("/v1/pull", {"Authorization": "Bearer not-a-token"}, body(cursor=0)),
        ("/v1/pull", mine, b"{not json"),
        ("/v1/pull", mine, body(cursor="Amara Okafor")),
        ("/v1/pull", mine, json.dumps({"protocol": -1, "cursor": 0}).encode()),  # too old
        ("/v1/push", mine, body(changes=[CHECK], seen_cursor=0)),
        ("/v1/push", mine, body(changes=[CHECK], seen_cursor=0)),  # the same again
        ("/v1/push", mine, body(changes=[{**CHECK, "entity": "nonsense"}])),
        ("/v1/pull", mine, body(cursor=0, limit=1)),
        ("/v1/digest", mine, body()),
        ("/v1/digest", mine, b""),
        ("/v1/push", mine, body(changes=[CHECK] * 400)),  # over the server's limit
        ("/v1/push", {}, body(changes=[CHECK] * 400)),  # and with no token either
    ]


@contextmanager
def _live(folder: Path) -> Iterator[tuple[httpx.Client, str]]:
    """A server on loopback and an enrolment code."""
    folder.mkdir()
    url, code = district(folder)
    live = LiveServer(url, max_request_bytes=LIMIT).start()
    try:
        with httpx.Client(base_url=live.url, follow_redirects=False) as client:
            yield client, code
    finally:
        live.stop()


def test_each_request_gets_its_answer(tmp_path: Path) -> None:
    with _live(tmp_path / "district") as (client, code):
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = client.post("/v1/enrol", json=enrol).json()["token"]
        got: list[tuple[int, Any]] = []
        for path, headers, body in _requests(token):
            reply = client.post(path, content=body, headers=headers)
            json_reply = reply.headers.get("content-type") == "application/json"
            got.append((reply.status_code, reply.json() if json_reply else reply.text))
    statuses = [status for status, _answer in got]
    assert statuses == [401, 401, 401, 401, 422, 422, 426, 200, 200, 200, 200, 200, 422, 413, 413]
    assert got[0][1] == {"detail": NOT_ENROLLED}
    assert got[5][1]["detail"][0]["loc"] == ["body", "cursor"]
    assert got[8][1]["results"][0]["status"] == "duplicate"
    assert got[-1][1] == "Content Too Large"  # as Starlette answers a declared length


def test_a_body_over_the_limit_is_refused_as_it_comes_in(tmp_path: Path) -> None:
    """Sent in chunks with no length given, it is refused once past the limit; the server
    goes on answering (the same connection included)."""
    with _live(tmp_path / "district") as (client, code):
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = client.post("/v1/enrol", json=enrol).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        chunks = (b" " * 8192 for _ in range(LIMIT // 8192 + 2))  # no Content-Length
        reply = client.post("/v1/push", content=chunks, headers=headers)
        assert (reply.status_code, reply.json()) == (413, {"detail": "Content Too Large"})
        pull = {"protocol": PROTOCOL_VERSION, "cursor": 0}
        assert client.post("/v1/pull", json=pull, headers=headers).status_code == 200


def test_a_declared_length_over_the_limit_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Refused unread, and still one log line (status and route, never the body)."""
    with _live(tmp_path / "district") as (client, code):
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = client.post("/v1/enrol", json=enrol).json()["token"]
        caplog.set_level(logging.INFO, logger="station_rotation.server")
        headers = {"Authorization": f"Bearer {token}"}
        reply = client.post("/v1/push", content=b" " * (LIMIT + 1), headers=headers)
    assert reply.status_code == 413
    refusals = [r for r in caplog.records if r.getMessage() == "refused"]
    assert [(r.status, r.path) for r in refusals] == [(413, "/v1/push")]  # type: ignore[attr-defined]


def test_a_request_with_no_token_is_refused_unread(tmp_path: Path) -> None:
    """Nobody's data is taken in for nothing: the body is never asked for."""
    app = _app_of(tmp_path / "district")  # called in this process, no server
    asked: list[str] = []
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        asked.append("body")
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/push",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
        "query_string": b"",
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 401
    assert json.loads(sent[1]["body"]) == {"detail": NOT_ENROLLED}
    assert asked == []


def _app_of(folder: Path) -> Any:
    folder.mkdir()
    url, _code = district(folder)
    return create_app(ServerSettings(database_url=url))


def test_other_methods_and_paths_get_fastapis_answers(tmp_path: Path) -> None:
    with _live(tmp_path / "district") as (client, _code):
        assert client.get("/v1/pull").status_code == 405
        assert client.post("/v1/pull/").status_code == 307  # FastAPI's slash redirect
        assert client.get("/health").json() == {"status": "ok"}
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/enrol", "/v1/push", "/v1/pull", "/v1/digest"} <= paths.keys()
