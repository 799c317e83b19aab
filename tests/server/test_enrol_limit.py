"""The limit on wrong enrolment codes holds per real client, whatever a request claims.

A request from loopback (a TLS terminator in TCP mode, a tunnel) names no other client
with ``X-Forwarded-For`` unless the district named that address as its proxy, and the
count is kept in the database, so every process of the server sees every wrong code.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from station_rotation.server import admin
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer, new_postgres_database
from tests.server.served import district, served


def _guess(base: str, attempt: int, forwarded_for: str | None = None) -> int:
    """One wrong code; the status the server answers."""
    body = {"protocol": PROTOCOL_VERSION, "code": f"GUESS{attempt:05d}", "device_id": "x"}
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return httpx.post(f"{base}/v1/enrol", json=body, headers=headers).status_code


def test_a_forwarded_address_from_loopback_is_not_believed(server: LiveServer) -> None:
    """40 wrong codes, each claiming another address: after ten, every one waits."""
    statuses = [_guess(server.url, n, f"198.51.100.{n}") for n in range(40)]
    assert statuses == [400] * 10 + [429] * 30


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite3'}"
    return new_postgres_database(request.getfixturevalue("postgres_admin_url"))


def test_a_configured_proxy_names_the_real_client(database_url: str) -> None:
    """Behind the district's own proxy each laptop's address counts on its own."""
    live = LiveServer(database_url, trusted_proxies="127.0.0.1").start()
    try:
        assert [_guess(live.url, n, "203.0.113.7") for n in range(11)] == [400] * 10 + [429]
        assert _guess(live.url, 11, "203.0.113.8") == 400  # another laptop, not blocked
        teacher = admin.create_teacher(live.engine, "Ms Rivera")
        body = {"protocol": PROTOCOL_VERSION, "code": admin.issue_code(live.engine, teacher)}
        enrolled = httpx.post(
            f"{live.url}/v1/enrol",
            json={**body, "device_id": "laptop-1"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert enrolled.status_code == 200, enrolled.text
    finally:
        live.stop()


def test_every_server_process_sees_every_wrong_code(database_url: str) -> None:
    """Two servers on one database: five wrong codes at each, and the eleventh waits."""
    first = LiveServer(database_url).start()
    second = LiveServer(database_url).start()
    try:
        assert [_guess(first.url, n) for n in range(5)] == [400] * 5
        assert [_guess(second.url, n) for n in range(5, 10)] == [400] * 5
        assert _guess(first.url, 10) == 429
        assert _guess(second.url, 11) == 429
    finally:
        first.stop()
        second.stop()


def test_serve_trusts_only_the_proxies_it_is_given(tmp_path: Path) -> None:
    """The real command, two processes: off by default; ``--trusted-proxies`` names the
    proxy, and one client's ten wrong codes are counted together by both processes."""
    url, _code = district(tmp_path)
    with served(url, "--workers", "2") as base:
        statuses = [_guess(base, n, f"198.51.100.{n}") for n in range(20)]
        assert statuses == [400] * 10 + [429] * 10
    (tmp_path / "again").mkdir()
    url, _code = district(tmp_path / "again")
    with served(url, "--workers", "2", "--trusted-proxies", "127.0.0.1") as base:
        statuses = [_guess(base, n, "203.0.113.7") for n in range(20)]
        assert statuses == [400] * 10 + [429] * 10
        assert _guess(base, 20, "203.0.113.8") == 400
