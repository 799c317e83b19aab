"""``serve --workers 2``: the district server as several processes on one port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from station_rotation.server import admin
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.sync.wire import PROTOCOL_VERSION


def test_two_worker_processes_enrol_and_answer_a_laptop(tmp_path: Path) -> None:
    """Each worker builds its app from the environment; a laptop enrols and pulls."""
    url = f"sqlite:///{tmp_path / 'district.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    teacher = admin.create_teacher(engine, "Ms Rivera")
    code = admin.issue_code(engine, teacher)
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "station_rotation.server.cli", "--database-url", url]
    command += ["serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            assert server.poll() is None, "the server stopped"
            time.sleep(0.2)
        body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": "laptop-1"}
        token = httpx.post(f"{base}/v1/enrol", json=body).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        for _ in range(4):  # whichever worker answers
            page = httpx.post(
                f"{base}/v1/pull", json={"protocol": PROTOCOL_VERSION, "cursor": 0}, headers=auth
            )
            assert page.status_code == 200, page.text
            assert page.json()["changes"] == []
    finally:
        server.terminate()
        server.wait(timeout=30)
