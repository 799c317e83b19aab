"""A class with today's plan running, and the companion's real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from companion_helpers import RunningClass

from station_rotation.companion.access import Access
from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class


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
