"""Nothing typed on a phone is lost or doubled when the laptop app is killed mid-request,
stopped for 30 s, or sent the same requests twice and out of order."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

WORKER = Path(__file__).with_name("companion_worker.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Laptop:
    """The companion in its own process, killed and started again on one folder and port."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.process: subprocess.Popen[str] | None = None
        self.pair_secret = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(self.data_dir), str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
        assert self.process.stdout is not None
        self.pair_secret = self.process.stdout.readline().strip()
        assert self.process.stdout.readline().strip() == "ready"

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


def resend_until_answered(phone: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    """What the page does: the same request, again, until the laptop answers it."""
    for _ in range(600):
        try:
            answer = phone.post(path, json=body)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        if answer.status_code < 500:
            return answer
        time.sleep(0.1)
    raise AssertionError(f"{path} was never answered")


@pytest.fixture
def laptop(tmp_path: Path) -> Any:
    data_dir = tmp_path / "data"
    services = AppServices.open(data_dir)
    section = create_sample_class(services, students=28)
    plan = services.plans.create(section.id, "Ratios day", date.today())
    spec, board = services.plans.run_for(plan.id)
    services.rotation.start(section.id, spec, title="Ratios day", board=board)
    services.close()
    machine = Laptop(data_dir)
    machine.start()
    yield machine
    machine.stop()


def phone_of(laptop: Laptop) -> httpx.Client:
    phone = httpx.Client(
        base_url=laptop.url, headers={"X-Companion": "1", "Origin": laptop.url}, timeout=5
    )
    assert phone.post("/api/pair", json={"secret": laptop.pair_secret}).status_code == 200
    return phone


def stored_checks(data_dir: Path) -> list[str]:
    services = AppServices.open(data_dir)
    try:
        section = services.classes.list_classes()[0]
        return [c.id for c in services.quick_checks.history(section.id)]
    finally:
        services.close()


def taps(pad: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` checks for the pad's students, each a new observation with its own id."""
    out = []
    for n in range(count):
        student = pad["students"][n % len(pad["students"])]["id"]
        target = pad["targets"][(n // len(pad["students"])) % len(pad["targets"])]["id"]
        out.append(
            {
                "id": str(uuid.uuid4()),
                "student_id": student,
                "target_id": target,
                "score": 1 + n % 4,
                "absent": False,
                "note": f"tap {n}",
            }
        )
    return out


@pytest.mark.slow
def test_killed_mid_burst_and_started_again_nothing_lost_nothing_doubled(
    laptop: Laptop,
) -> None:
    phone = phone_of(laptop)
    pad = phone.get("/api/view").json()["pad"]
    sent = taps(pad, 28)
    answered: list[str] = []
    rng = random.Random(16)
    kills = sorted(rng.sample(range(2, 26), 3))

    def tap_all() -> None:
        for body in sent:
            answer = resend_until_answered(phone, "/api/check", body)
            assert answer.status_code == 200, answer.text
            answered.append(answer.json()["id"])

    worker = threading.Thread(target=tap_all)
    worker.start()
    for at in kills:
        while len(answered) < at and worker.is_alive():
            time.sleep(0.002)
        laptop.kill()  # mid-request: the phone's tap in flight gets no answer
        laptop.start()  # the app restarted on the same folder: the phone is still paired
    worker.join(120)
    assert not worker.is_alive()
    laptop.stop()
    stored = stored_checks(laptop.data_dir)
    assert answered == [b["id"] for b in sent]
    assert sorted(stored) == sorted(answered)  # each once: none lost, none doubled


@pytest.mark.slow
def test_stopped_for_30_seconds_the_phone_resends_and_nothing_is_lost(laptop: Laptop) -> None:
    phone = phone_of(laptop)
    pad = phone.get("/api/view").json()["pad"]
    sent = taps(pad, 6)
    for body in sent[:3]:
        assert resend_until_answered(phone, "/api/check", body).status_code == 200
    laptop.kill()
    answered: list[int] = []

    def during_outage() -> None:
        for body in sent[3:]:
            answered.append(resend_until_answered(phone, "/api/check", body).status_code)

    worker = threading.Thread(target=during_outage)
    worker.start()
    time.sleep(30)
    assert answered == []  # nothing said "saved" while the laptop was away
    laptop.start()
    worker.join(60)
    assert answered == [200, 200, 200]
    laptop.stop()
    assert sorted(stored_checks(laptop.data_dir)) == sorted(b["id"] for b in sent)


def test_duplicated_and_reordered_requests_are_applied_once(laptop: Laptop) -> None:
    phone = phone_of(laptop)
    pad = phone.get("/api/view").json()["pad"]
    sent = taps(pad, 10)
    shuffled = sent * 2
    random.Random(3).shuffle(shuffled)
    for body in shuffled:
        assert phone.post("/api/check", json=body).status_code == 200
    laptop.stop()
    assert sorted(stored_checks(laptop.data_dir)) == sorted(b["id"] for b in sent)


def test_expired_and_foreign_tokens_change_nothing(laptop: Laptop) -> None:
    phone = phone_of(laptop)
    pad = phone.get("/api/view").json()["pad"]
    body = taps(pad, 1)[0]
    foreign = httpx.Client(
        base_url=laptop.url,
        headers={"X-Companion": "1", "Origin": laptop.url},
        cookies={"sr_session": "x" * 43},
    )
    assert foreign.post("/api/check", json=body).status_code == 401
    assert phone.post("/api/leave", json={}).status_code == 200
    assert phone.post("/api/check", json=body).status_code == 401  # ended: expired
    laptop.stop()
    assert stored_checks(laptop.data_dir) == []
