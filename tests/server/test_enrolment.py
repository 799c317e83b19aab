"""District staff enrol laptops with one-time codes; the server refuses everything else."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import Session

from station_rotation.server import admin
from station_rotation.server.security import digest
from station_rotation.server.tables import EnrolmentCode, utc_now
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer


def _enrol(server: LiveServer, code: str, device: str = "laptop-1") -> httpx.Response:
    body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": device}
    return httpx.post(f"{server.url}/v1/enrol", json=body)


def _pull(server: LiveServer, token: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/v1/pull",
        json={"protocol": PROTOCOL_VERSION, "cursor": 0},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_code_enrols_one_laptop_once(server: LiveServer) -> None:
    """A code works once; the second laptop typing it is told to ask for a new one."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    code = admin.issue_code(server.engine, teacher)
    first = _enrol(server, code.lower())  # typed in lower case: still fine
    assert first.status_code == 200, first.text
    assert first.json()["teacher_id"] == teacher
    assert _pull(server, first.json()["token"]).status_code == 200
    again = _enrol(server, code, device="laptop-2")
    assert again.status_code == 400
    assert "already used or expired" in again.json()["detail"]


def test_expired_and_wrong_codes_are_refused(server: LiveServer) -> None:
    """An expired code and a made-up code both fail with the same plain message."""
    teacher = admin.create_teacher(server.engine, "Mr Okafor")
    code = admin.issue_code(server.engine, teacher)
    with Session(server.engine) as session:
        row = session.get(EnrolmentCode, digest(code))
        assert row is not None
        row.expires_at = utc_now() - timedelta(minutes=1)
        session.add(row)
        session.commit()
    assert _enrol(server, code).status_code == 400
    assert _enrol(server, "WRONGCODE1").status_code == 400


def test_guessing_codes_is_rate_limited(server: LiveServer) -> None:
    """After ten wrong codes in a minute even a right code waits."""
    teacher = admin.create_teacher(server.engine, "Ms Chen")
    code = admin.issue_code(server.engine, teacher)
    for attempt in range(10):
        assert _enrol(server, f"GUESS{attempt:05d}").status_code == 400
    assert _enrol(server, code).status_code == 429


def test_revoked_and_unknown_tokens_are_refused(server: LiveServer) -> None:
    """A lost laptop is revoked: its token stops working at once."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    token = _enrol(server, admin.issue_code(server.engine, teacher)).json()["token"]
    assert admin.revoke_device(server.engine, "laptop-1") == 1
    refused = _pull(server, token)
    assert refused.status_code == 401
    assert "new enrolment code" in refused.json()["detail"]
    assert _pull(server, "not-a-token").status_code == 401
    assert httpx.post(f"{server.url}/v1/pull", json={"protocol": 1}).status_code == 401


def test_an_old_protocol_is_refused_with_a_clear_message(server: LiveServer) -> None:
    """A laptop running a too-old app is told to update; nothing is taken from it."""
    body = {"protocol": PROTOCOL_VERSION - 2, "code": "X", "device_id": "d"}
    response = httpx.post(f"{server.url}/v1/enrol", json=body)
    assert response.status_code == 426
    assert "Update the app" in response.json()["detail"]
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}
