"""``serve --workers 2``: the district server as several processes on one port."""

from __future__ import annotations

from pathlib import Path

import httpx

from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.server.served import district, served


def test_two_worker_processes_enrol_and_answer_a_laptop(tmp_path: Path) -> None:
    """Each worker builds its app from the environment; a laptop enrols and pulls."""
    url, code = district(tmp_path)
    with served(url, "--workers", "2") as base:
        body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = httpx.post(f"{base}/v1/enrol", json=body).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        for _ in range(4):  # whichever worker answers
            page = httpx.post(
                f"{base}/v1/pull", json={"protocol": PROTOCOL_VERSION, "cursor": 0}, headers=auth
            )
            assert page.status_code == 200, page.text
            assert page.json()["changes"] == []
