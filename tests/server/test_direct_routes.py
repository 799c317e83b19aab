"""The sync endpoints answered past FastAPI's routing say exactly what the routes say.

``direct.DistrictApp`` answers ``POST /v1/push``, ``/v1/pull`` and ``/v1/digest`` itself;
the same requests sent through FastAPI's routing (the app with its direct paths cleared)
must get the same status, body and headers, refusals and errors included.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.middleware.trustedhost import TrustedHostMiddleware

from station_rotation.server.app import NOT_ENROLLED, create_app
from station_rotation.server.direct import DistrictApp
from station_rotation.server.settings import ServerSettings
from station_rotation.server.testing import LiveServer
from station_rotation.sync.wire import PROTOCOL_VERSION
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
def _live(folder: Path, routed: bool = False) -> Iterator[tuple[httpx.Client, str]]:
    """A server on loopback and an enrolment code; ``routed``: no direct answers."""
    folder.mkdir()
    url, code = district(folder)
    live = LiveServer(url, max_request_bytes=LIMIT).start()
    try:
        assert live.app is not None
        if routed:
            live.app.direct.clear()  # every request through FastAPI's middleware and routing
        with httpx.Client(base_url=live.url, follow_redirects=False) as client:
            yield client, code
    finally:
        live.stop()


def _answers(folder: Path, routed: bool) -> list[tuple[int, Any, str | None]]:
    with _live(folder, routed) as (client, code):
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = client.post("/v1/enrol", json=enrol).json()["token"]
        answers = []
        for path, headers, body in _requests(token):
            reply = client.post(path, content=body, headers=headers)
            json_reply = reply.headers.get("content-type") == "application/json"
            answer = reply.json() if json_reply else reply.text
            if isinstance(answer, dict):  # the server's clock differs between the two runs
                answer.pop("server_time", None)
            answers.append((reply.status_code, answer, reply.headers.get("content-type")))
        return answers


def test_the_direct_answers_are_the_routed_ones(tmp_path: Path) -> None:
    got = _answers(tmp_path / "direct", routed=False)
    assert got == _answers(tmp_path / "routed", routed=True)
    statuses = [status for status, _answer, _type in got]
    assert statuses == [401, 401, 401, 401, 422, 422, 426, 200, 200, 200, 200, 200, 422, 413, 413]
    assert got[0][1] == {"detail": NOT_ENROLLED}
    assert got[-1][1] == "Content Too Large"  # as Starlette answers a declared length
    assert got[5][1]["detail"][0]["loc"] == ["body", "cursor"]


@pytest.mark.parametrize("routed", [False, True])
def test_a_body_over_the_limit_is_refused_as_it_comes_in(tmp_path: Path, routed: bool) -> None:
    """Sent in chunks with no length given, it is refused once past the limit, directly
    as through FastAPI; the server goes on answering (the same connection included)."""
    with _live(tmp_path / "district", routed) as (client, code):
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
    with _live(tmp_path / "district") as (client, _code):
        caplog.set_level(logging.INFO, logger="station_rotation.server")
        reply = client.post("/v1/push", content=b" " * (LIMIT + 1))
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


def _app_of(folder: Path) -> DistrictApp:
    folder.mkdir()
    url, _code = district(folder)
    return create_app(ServerSettings(database_url=url))


def test_other_methods_and_paths_still_go_through_fastapi(tmp_path: Path) -> None:
    with _live(tmp_path / "district") as (client, _code):
        assert client.get("/v1/pull").status_code == 405
        assert client.post("/v1/pull/").status_code == 307  # FastAPI's slash redirect
        assert client.get("/health").json() == {"status": "ok"}
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/push", "/v1/pull", "/v1/digest"} <= paths.keys()


def test_an_undeclared_path_cannot_be_answered_directly() -> None:
    app = DistrictApp()
    with pytest.raises(ValueError, match="not a declared route"):
        app.answer_directly("/v1/secret", _fails)


async def _fails(_token: str | None, _read_body: Any) -> Any:
    raise RuntimeError("a bug")


def test_an_unexpected_error_is_a_500_and_reaches_the_server() -> None:
    """As Starlette's ServerErrorMiddleware: a plain 500, and the error raised to uvicorn."""
    app = DistrictApp()

    @app.post("/v1/broken")
    def broken() -> None:  # declared for the contract; answered directly
        raise AssertionError("not reached")

    app.answer_directly("/v1/broken", _fails)

    reply = asyncio.run(_post(app, "/v1/broken", raise_errors=False))
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")
    with pytest.raises(RuntimeError, match="a bug"):
        asyncio.run(_post(app, "/v1/broken", raise_errors=True))


async def _post(app: DistrictApp, path: str, raise_errors: bool) -> httpx.Response:
    """``POST path`` to ``app`` in this process (no server: the app's own answer)."""
    transport = httpx.ASGITransport(app, raise_app_exceptions=raise_errors)
    async with httpx.AsyncClient(transport=transport, base_url="http://district") as client:
        return await client.post(path, content=b"{}")


async def _raises(_request: Any, _exc: Exception) -> Any:
    raise LookupError("the handler itself failed")


def test_a_handler_that_fails_is_a_500_as_well() -> None:
    app = DistrictApp()

    @app.post("/v1/broken")
    def broken() -> None:
        raise AssertionError("not reached")

    app.add_exception_handler(RuntimeError, _raises)
    app.answer_directly("/v1/broken", _fails)
    reply = asyncio.run(_post(app, "/v1/broken", raise_errors=False))
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (lambda app: app.add_middleware(TrustedHostMiddleware, allowed_hosts=["a"]), "Trusted"),
        (lambda app: app.add_exception_handler(500, _raises), "handler for 500"),
        (lambda app: app.add_exception_handler(Exception, _raises), "Exception"),
        (lambda app: setattr(app.routes[-1], "max_body_size", 1024), "body limit"),
    ],
)
def test_what_the_direct_answers_would_skip_stops_the_app(
    setup: Callable[[DistrictApp], None], says: str
) -> None:
    """Middleware, a route's own body limit or a catch-all handler would apply to every
    request but the sync ones: the app refuses to start answering instead. (The app's
    body limit is kept by the direct answers too.)"""
    app = DistrictApp()

    @app.post("/v1/broken")
    def broken() -> None:
        raise AssertionError("not reached")

    app.answer_directly("/v1/broken", _fails)
    setup(app)
    with pytest.raises(RuntimeError, match=says):
        asyncio.run(_post(app, "/health", raise_errors=True))
