"""How the server answers push requests it reads itself (validated from raw JSON)."""

from __future__ import annotations

import httpx

from station_rotation.server import admin
from station_rotation.sync.wire import PROTOCOL_VERSION, PushResponse
from tests.live_server import LiveServer


def _token(server: LiveServer) -> str:
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    body = {
        "protocol": PROTOCOL_VERSION,
        "code": admin.issue_code(server.engine, teacher),
        "device_id": "laptop-1",
    }
    reply = httpx.post(f"{server.url}/v1/enrol", json=body)
    return str(reply.json()["token"])


def test_a_malformed_push_is_refused_in_fastapis_words_and_only_after_the_token(
    server: LiveServer,
) -> None:
    """Broken JSON or a wrong field: 422 naming the field; with no token: 401 first."""
    token = _token(server)
    auth = {"Authorization": f"Bearer {token}"}
    broken = httpx.post(f"{server.url}/v1/push", content=b'{"protocol": 1, "chan', headers=auth)
    assert broken.status_code == 422
    assert broken.json()["detail"][0]["type"] == "json_invalid"
    wrong = httpx.post(
        f"{server.url}/v1/push", json={"protocol": 1, "changes": "none"}, headers=auth
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "changes"]
    anonymous = httpx.post(f"{server.url}/v1/push", json={"protocol": 1, "changes": "none"})
    assert anonymous.status_code == 401


def test_an_empty_push_is_answered_with_a_valid_reply(server: LiveServer) -> None:
    """No changes: nothing acknowledged, and the reply reads as a PushResponse."""
    token = _token(server)
    reply = httpx.post(
        f"{server.url}/v1/push",
        json={"protocol": PROTOCOL_VERSION, "changes": []},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 200, reply.text
    parsed = PushResponse.model_validate_json(reply.content)
    assert (parsed.results, parsed.acked_through_seq, parsed.refused) == ([], 0, "")
