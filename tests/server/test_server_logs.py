"""The server's logs are JSON lines with ids and counts, never a student's data."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx

from station_rotation.server.logs import JsonFormatter
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.server.served import district, served


def test_a_payload_passed_to_the_log_by_mistake_is_dropped() -> None:
    """Even if code logs a change's payload, the student's name never reaches the file."""
    record = logging.LogRecord(
        "station_rotation.server", logging.INFO, __file__, 1, "push", (), None
    )
    record.__dict__.update({"device": "d-1", "changes": 3, "payload": {"given_name": "Amara"}})
    line = JsonFormatter().format(record)
    assert json.loads(line)["device"] == "d-1"
    assert json.loads(line)["changes"] == 3
    assert "Amara" not in line


def test_the_served_server_logs_each_request_once(tmp_path: Path) -> None:
    """``serve``: one JSON line per request (what it did, or what it refused), no access log."""
    url, code = district(tmp_path)
    log_file = tmp_path / "server.log"
    with log_file.open("w") as sink, served(url, log=sink) as base:
        body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = httpx.post(f"{base}/v1/enrol", json=body).json()["token"]
        pull = {"protocol": PROTOCOL_VERSION, "cursor": 0}
        mine = {"Authorization": f"Bearer {token}"}
        assert httpx.post(f"{base}/v1/pull", json=pull, headers=mine).status_code == 200
        stranger = {"Authorization": "Bearer not-a-token"}
        assert httpx.post(f"{base}/v1/pull", json=pull, headers=stranger).status_code == 401
        broken = {"protocol": PROTOCOL_VERSION, "cursor": "Amara Okafor"}
        assert httpx.post(f"{base}/v1/pull", json=broken, headers=mine).status_code == 422
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    requests = [line for line in lines if line["logger"].startswith(("station", "uvicorn.access"))]
    assert [(line["event"], line.get("status")) for line in requests] == [
        ("device enrolled", None),
        ("pull", None),
        ("refused", 401),
        ("invalid request", 422),
    ]
    assert "Amara" not in log_file.read_text()
