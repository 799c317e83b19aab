"""Helpers of the companion's tests: a browser-like client, a paired phone, a student."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from station_rotation.companion.server import CompanionServer
from station_rotation.services.rotation import LiveRun


@dataclass
class RunningClass:
    class_id: str
    plan_id: str
    run: LiveRun


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
