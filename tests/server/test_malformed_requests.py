"""Malformed requests, as a buggy client or an attacker sends them: refusals, never a 500.

Each answer is one the OpenAPI document declares for its route, and its body is JSON a
client can read (no echo of bytes that are not text). On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from station_rotation.server import admin
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer

NOT_UTF8 = b'{"protocol": 2, "cursor": 0, "entity": "\xff\xfe\xc3"}'
CHANGE = {
    "change_id": "c-1",
    "device_seq": 1,
    "entity": "class_section",
    "record_id": "class-1",
    "op": "upsert",
    "hlc": "000001700000000000-0000-laptop-1",
    "payload": {"id": "class-1", "name": "Math 6"},
    "payload_type": "class_section",
}


@pytest.fixture
def laptop(server: LiveServer) -> Iterator[httpx.Client]:
    """A client of ``server`` with an enrolled laptop's token."""
    code = admin.issue_code(server.engine, admin.create_teacher(server.engine, "Ms Rivera"))
    with httpx.Client(base_url=server.url) as client:
        enrol = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = client.post("/v1/enrol", json=enrol).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _declared(server: LiveServer, path: str) -> set[int]:
    assert server.app is not None
    responses = server.app.openapi()["paths"][path]["post"]["responses"]
    return {int(status) for status in responses}


def _refused(server: LiveServer, reply: httpx.Response, path: str) -> Any:
    """The refusal's JSON body, after checking that it is a declared 4xx."""
    assert 400 <= reply.status_code < 500, (reply.status_code, reply.text)
    assert reply.status_code in _declared(server, path), (path, reply.status_code)
    return reply.json()


@pytest.mark.parametrize("path", ["/v1/push", "/v1/pull", "/v1/digest", "/v1/enrol"])
def test_a_body_that_is_not_utf8_is_refused_in_words(
    server: LiveServer, laptop: httpx.Client, path: str
) -> None:
    reply = laptop.post(path, content=NOT_UTF8, headers={"Content-Type": "application/json"})
    body = _refused(server, reply, path)
    assert reply.status_code == 422
    assert body["detail"][0]["type"] == "json_invalid"
    assert "\ufffd" not in json.dumps(body)  # the bytes are not echoed back


def test_a_cursor_that_is_not_a_number_is_refused(server: LiveServer, laptop: httpx.Client) -> None:
    for cursor in (b"NaN", b"Infinity", b"-Infinity", b"1e400", b"false", b"true", b"1.5"):
        raw = b'{"protocol": 2, "cursor": ' + cursor + b"}"
        reply = laptop.post("/v1/pull", content=raw)
        body = _refused(server, reply, "/v1/pull")
        assert reply.status_code == 422, cursor
        assert body["detail"][0]["loc"] == ["body", "cursor"], cursor


def test_booleans_are_not_numbers(server: LiveServer, laptop: httpx.Client) -> None:
    cases: list[tuple[str, dict[str, Any], list[Any]]] = [
        ("/v1/pull", {"protocol": False, "cursor": 0}, ["body", "protocol"]),
        ("/v1/pull", {"protocol": 2, "cursor": False}, ["body", "cursor"]),
        ("/v1/pull", {"protocol": 2, "limit": True}, ["body", "limit"]),
        ("/v1/digest", {"protocol": True}, ["body", "protocol"]),
        ("/v1/push", {"protocol": 2, "changes": [], "seen_cursor": True}, ["body", "seen_cursor"]),
        (
            "/v1/push",
            {"protocol": 2, "changes": [{**CHANGE, "device_seq": True}]},
            ["body", "changes", 0, "device_seq"],
        ),
        (
            "/v1/push",
            {"protocol": 2, "changes": [{**CHANGE, "payload_version": "1"}]},
            ["body", "changes", 0, "payload_version"],
        ),
    ]
    for path, body, where in cases:
        reply = laptop.post(path, json=body)
        refusal = _refused(server, reply, path)
        assert reply.status_code == 422, body
        assert refusal["detail"][0]["loc"] == where, body


def test_a_protocol_the_server_does_not_speak_is_a_declared_426(
    server: LiveServer, laptop: httpx.Client
) -> None:
    for protocol in (0, -1, PROTOCOL_VERSION + 1):
        reply = laptop.post("/v1/pull", json={"protocol": protocol, "cursor": 0})
        assert _refused(server, reply, "/v1/pull")["detail"].startswith("This version")
        assert reply.status_code == 426
    assert server.app is not None
    protocol = server.app.openapi()["components"]["schemas"]["PullRequest"]["properties"][
        "protocol"
    ]
    assert protocol["type"] == "integer" and protocol["enum"] == [1, 2]


def test_text_that_cannot_be_stored_is_refused_without_a_token(server: LiveServer) -> None:
    """A lone surrogate is JSON's grammar but no text: refused as JSON the server does not
    read (its parser's rule), in an answer a client can read."""
    with httpx.Client(base_url=server.url) as client:
        enrol = b'{"protocol": 2, "code": "\\ud800", "device_id": "laptop-1"}'
        reply = client.post(
            "/v1/enrol", content=enrol, headers={"Content-Type": "application/json"}
        )
        assert reply.status_code == 422
        assert _refused(server, reply, "/v1/enrol")["detail"][0]["type"] == "json_invalid"
        as_key = b'{"protocol": 2, "code": "A", "device_id": "x", "\\udfff": 1}'
        reply = client.post(
            "/v1/enrol", content=as_key, headers={"Content-Type": "application/json"}
        )
        assert reply.status_code == 422
        _refused(server, reply, "/v1/enrol")


def test_a_lone_surrogate_in_a_pushed_change_is_refused(
    server: LiveServer, laptop: httpx.Client
) -> None:
    for raw in (
        b'{"protocol": 2, "changes": [], "\\ud800": 1}',
        b'{"protocol": 2, "cursor": 0, "entity": "\\ud800"}',
    ):
        path = "/v1/push" if b"changes" in raw else "/v1/pull"
        reply = laptop.post(path, content=raw, headers={"Content-Type": "application/json"})
        assert reply.status_code == 422, raw
        _refused(server, reply, path)


def test_a_nul_outside_a_payload_is_refused(server: LiveServer, laptop: httpx.Client) -> None:
    """No database column takes NUL: an id or a name holding one is refused whole (a
    payload's NUL is the payload check's, change by change: test_sync_bad_push)."""
    for field in ("record_id", "change_id", "entity", "hlc", "payload_type"):
        change = {**CHANGE, field: "class\x00-1"}
        reply = laptop.post("/v1/push", json={"protocol": PROTOCOL_VERSION, "changes": [change]})
        refusal = _refused(server, reply, "/v1/push")
        assert reply.status_code == 422, field
        assert refusal["detail"][0]["loc"] == ["body", "changes", 0, field]
    enrol = {"protocol": PROTOCOL_VERSION, "code": "ABCD", "device_id": "laptop\x00"}
    reply = laptop.post("/v1/enrol", json=enrol)
    assert _refused(server, reply, "/v1/enrol")["detail"][0]["loc"] == ["body", "device_id"]


def test_a_nul_in_what_a_change_replaced_is_answered(
    server: LiveServer, laptop: httpx.Client
) -> None:
    """A field name holding NUL is no field: that change is refused. A replaced value
    holding one is only compared with the stored value, never stored: it is applied."""
    cases = (({"na\x00me": "Math"}, "rejected"), ({"name": "Ma\x00th"}, "applied"))
    for seq, (before, status) in enumerate(cases, start=1):
        change = {**CHANGE, "change_id": f"c-{seq}", "device_seq": seq, "before": before}
        reply = laptop.post("/v1/push", json={"protocol": PROTOCOL_VERSION, "changes": [change]})
        assert reply.status_code == 200, reply.text
        result = reply.json()["results"][0]
        assert result["status"] == status, before
        if status == "rejected":  # the name quoted, its NUL escaped (the reason is stored)
            assert "na\\x00me" in result["reason"] and "\x00" not in result["reason"]
