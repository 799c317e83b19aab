"""The sync service as the GUI uses it, without a window: enrol, sync now, status, leave."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_rotation.core.errors import StationRotationError
from station_rotation.server import admin
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync.client import BadAddress
from tests.live_server import LiveServer


@pytest.fixture
def district(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(f"sqlite:///{tmp_path / 'district.sqlite3'}").start()
    yield live
    live.stop()


def test_enrol_sync_and_leave(services: AppServices, district: LiveServer) -> None:
    """A laptop with a class enrols, syncs everything, is told a revocation, and leaves."""
    sync = services.sync
    sync.attempts, sync.max_wait = 2, 0.05
    create_sample_class(services, students=4)
    before = sync.status()
    assert not before.enrolled and before.waiting > 0 and before.last_synced is None

    not_yet = asyncio.run(sync.sync_now())
    assert not not_yet.ok and "not enrolled yet" in not_yet.message

    teacher = admin.create_teacher(district.engine, "Ms Rivera")
    status = asyncio.run(sync.enrol(district.url + "/", admin.issue_code(district.engine, teacher)))
    assert status.enrolled and status.server_url == district.url

    outcome = asyncio.run(sync.sync_now())
    assert outcome.ok and outcome.sent == before.waiting
    after = sync.status()
    assert after.waiting == 0 and after.last_synced is not None and after.last_error is None

    admin.revoke_device(district.engine, services.store.device_id)
    refused = asyncio.run(sync.sync_now())
    assert not refused.ok and refused.needs_enrolment and not refused.offline
    assert sync.status().needs_enrolment

    left = asyncio.run(sync.leave())
    assert not left.enrolled and left.last_error is None


def test_a_bad_address_or_empty_code_stores_nothing(services: AppServices) -> None:
    """Enrolment checks the address and the code before anything is sent or saved."""
    with pytest.raises(BadAddress):
        asyncio.run(services.sync.enrol("sync.example.org", "K7PQ2MXR9A"))
    with pytest.raises(StationRotationError, match="Enter the enrolment code"):
        asyncio.run(services.sync.enrol("https://sync.example.org", "  "))
    assert not services.sync.status().enrolled
