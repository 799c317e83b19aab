"""Schemathesis throws schema-shaped and schema-breaking requests at a real server.

Whatever an enrolled laptop (or anyone with no token) sends, the server answers as its
OpenAPI document says, with every check schemathesis has: no server error, only declared
statuses and content types, answers shaped as declared, data outside the schema refused
and data inside it accepted. Bounded examples, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from station_rotation.server import admin
from station_rotation.server.app import create_app
from station_rotation.server.settings import ServerSettings
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer, new_postgres_database

OPENAPI = create_app(ServerSettings(database_url="sqlite://", migrate_on_start=False)).openapi()
CONFIG = SchemathesisConfig.from_dict(
    {
        # JSON sent between systems is UTF-8 (RFC 8259): text with a lone surrogate
        # cannot be sent at all (test_malformed_requests sends it as escapes).
        "generation": {"codec": "utf-8"},
        # A protocol outside the declared enum is refused as the server's 426 says
        # (update the app), not with a generic 4xx: the refusal the contract declares.
        "checks": {"negative_data_rejection": {"expected-statuses": ["4xx"]}},
        "operations": [
            # A well-formed enrolment with a code nobody issued is a wrong code (400).
            {
                "include-path": "/v1/enrol",
                "checks": {"positive_data_acceptance": {"expected-statuses": ["200", "400"]}},
            }
        ],
    }
)
SCHEMA = schemathesis.openapi.from_dict(OPENAPI, config=CONFIG)
ROUTES = ("/v1/push", "/v1/pull", "/v1/digest", "/v1/enrol")
OPERATIONS = st.one_of(  # type: ignore[call-overload]  # hypothesis types one_of(iterable) for a Sequence only
    SCHEMA[path]["POST"].as_strategy(generation_mode=mode)
    for path in ROUTES
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def enrolled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    """A live server, and the token of a laptop enrolled on it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}"
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_admin_url"))
    live = LiveServer(url, enrol_failures_per_minute=10**6).start()
    teacher = admin.create_teacher(live.engine, "Ms Rivera")
    code = admin.issue_code(live.engine, teacher)
    reply = httpx.post(
        f"{live.url}/v1/enrol",
        json={"protocol": PROTOCOL_VERSION, "code": code, "device_id": "fuzz"},
    )
    yield live, reply.json()["token"]
    live.stop()


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=OPERATIONS)
def test_the_server_keeps_its_contract(case: Any, enrolled: tuple[LiveServer, str]) -> None:
    live, token = enrolled
    case.call_and_validate(base_url=live.url, headers={"Authorization": f"Bearer {token}"})


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_the_contract_speaks_json_schema() -> None:
    """Bounds as ``minimum``/``maximum``: pydantic's own ``ge``/``le`` would bind no
    client (a bound written after a validator in an optional field once did that)."""
    assert not {"ge", "le", "gt", "lt"} & set(_keys(OPENAPI["components"]))
    declared = OPENAPI["paths"]["/v1/push"]["post"]["responses"]
    assert {"200", "401", "409", "413", "422", "426", "503"} == set(declared)
