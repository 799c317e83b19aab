"""A class with today's plan running, and the companion's real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from station_rotation.companion.access import Access
from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.rotation import LiveRun


@dataclass
class RunningClass:
    class_id: str
    plan_id: str
    run: LiveRun


@pytest.fixture
def running(services: AppServices) -> RunningClass:
    """The sample class (28 students) with today's plan started now."""
    section = create_sample_class(services, students=28)
    plan = services.plans.create(section.id, "Ratios day", date.today())
    spec, board = services.plans.run_for(plan.id)
    live = services.rotation.start(section.id, spec, title="Ratios day", board=board)
    return RunningClass(section.id, plan.id, live)


@pytest.fixture
def classroom(services: AppServices, running: RunningClass) -> Iterator[Classroom]:
    room = Classroom(services, Access(b"k" * 32))
    room.follow(running.class_id, running.run.run_id)
    yield room
    room.close()


@pytest.fixture
def companion(classroom: Classroom) -> Iterator[CompanionServer]:
    server = CompanionServer(classroom, "127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


def device(server: CompanionServer) -> httpx.Client:
    """A browser-like client: same-origin headers the pages send."""
    return httpx.Client(
        base_url=server.url,
        headers={"X-Companion": "1", "Origin": server.url},
        timeout=10,
    )


def paired(server: CompanionServer) -> httpx.Client:
    phone = device(server)
    answer = phone.post("/api/pair", json={"secret": server.classroom.access.pair_secret})
    assert answer.status_code == 200, answer.text
    return phone


def joined(server: CompanionServer, group_index: int = 0, student_index: int = 0) -> httpx.Client:
    """A student's device that joined by the class code and picked a name."""
    pupil = device(server)
    assert (
        pupil.post("/api/join", json={"code": server.classroom.access.join_code}).status_code == 200
    )
    groups = pupil.get("/api/join/groups").json()["groups"]
    group = groups[group_index]["key"]
    students = pupil.get(f"/api/join/groups/{group}").json()["students"]
    picked = pupil.post(
        "/api/join/pick", json={"group": group, "student": students[student_index]["key"]}
    )
    assert picked.status_code == 200, picked.text
    return pupil


def shots_dir(artifacts_dir: Path) -> Path:
    out = artifacts_dir / "companion"
    out.mkdir(parents=True, exist_ok=True)
    return out
