"""Schemathesis throws schema-shaped (and nearly schema-shaped) requests at a real server.

Whatever an enrolled laptop sends, the server answers with a refusal or a result, never
a 500. The schema is the app's own OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station_rotation.server import admin
from station_rotation.server.app import create_app
from station_rotation.server.settings import ServerSettings
from station_rotation.server.testing import LiveServer

OPENAPI = create_app(ServerSettings(database_url="sqlite://", migrate_on_start=False)).openapi()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = st.one_of(
    SCHEMA["/v1/push"]["POST"].as_strategy(),
    SCHEMA["/v1/pull"]["POST"].as_strategy(),
    SCHEMA["/v1/enrol"]["POST"].as_strategy(),
)


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    live = LiveServer(f"sqlite:///{folder / 'fuzz.sqlite3'}", enrol_failures_per_minute=10**6)
    live.start()
    teacher = admin.create_teacher(live.engine, "Ms Rivera")
    code = admin.issue_code(live.engine, teacher)
    reply = httpx.post(
        f"{live.url}/v1/enrol", json={"protocol": 1, "code": code, "device_id": "fuzz"}
    )
    yield live, reply.json()["token"]
    live.stop()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=OPERATIONS)
def test_no_request_makes_the_server_fail(case: Any, enrolled: tuple[LiveServer, str]) -> None:
    """Random bodies from an enrolled laptop: refusals and results, no server error."""
    live, token = enrolled
    response = case.call(base_url=live.url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, response.text
