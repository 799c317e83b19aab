"""The database drops the server's connections (restart, failover): laptops retry, lose nothing.

The pool does not test a connection before each request (``pool_pre_ping`` cost a round
trip per request); a dropped one fails its request with a retryable 503 and is
discarded, so the laptop's retry goes through on a fresh connection.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# The laptop helpers of the sync tests (that folder is on the path only when collected).
sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

from laptops import Laptop, server_snapshot
from sqlalchemy import create_engine, make_url, text

from station_rotation.server import admin
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.sync.credentials import load_credentials
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer, new_postgres_database


@pytest.fixture
def pg_server(postgres_admin_url: str) -> Iterator[LiveServer]:
    live = LiveServer(new_postgres_database(postgres_admin_url)).start()
    yield live
    live.stop()


def _drop_connections(admin_url: str, database: str) -> int:
    """``pg_terminate_backend`` every connection to ``database``; how many there were."""
    engine = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": database},
                ).all()
            )
    finally:
        engine.dispose()


def test_dropped_database_connections_give_a_503_and_the_next_sync_loses_nothing(
    pg_server: LiveServer, postgres_admin_url: str, tmp_path: Path
) -> None:
    teacher = admin.create_teacher(pg_server.engine, "Ms Rivera")
    laptop = Laptop(pg_server, tmp_path / "laptop").enrol(teacher)
    try:
        section = create_sample_class(laptop.services, students=3)
        assert laptop.sync().pushed > 0
        database = pg_server.engine.url.database
        assert database is not None

        # A bare request on a dropped connection: retryable, not a server error.
        assert _drop_connections(postgres_admin_url, database) >= 1
        auth = {"Authorization": f"Bearer {_token(laptop)}"}
        body = {"protocol": PROTOCOL_VERSION, "cursor": 0, "limit": 10}
        lost = httpx.post(f"{pg_server.url}/v1/pull", json=body, headers=auth)
        assert lost.status_code == 503, lost.text
        assert lost.headers["Retry-After"]
        again = httpx.post(f"{pg_server.url}/v1/pull", json=body, headers=auth)
        assert again.status_code == 200, again.text

        # The laptop's own sync right after its connections were dropped: retried, done.
        stations = laptop.services.stations.list_for(section.id)
        laptop.services.stations.update(stations[0].id, name="After the restart")
        assert _drop_connections(postgres_admin_url, database) >= 1
        report = laptop.sync()
        assert (report.pushed, report.rejected, report.warnings) == (1, 0, [])
        assert laptop.pending() == 0
        assert laptop.snapshot() == server_snapshot(pg_server)
        names = {s["name"] for s in server_snapshot(pg_server)["station"].values()}
        assert "After the restart" in names
    finally:
        laptop.close()


def _token(laptop: Laptop) -> str:
    credentials = load_credentials(laptop.data_dir)
    assert credentials is not None
    return credentials.token


def test_a_push_that_waits_too_long_for_a_lock_is_retryable(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    """A lock held elsewhere past ``lock_timeout`` (or a deadlock lost) answers a
    retryable 503, not a server error; the same push goes through once it is free."""
    url = new_postgres_database(postgres_admin_url)
    database = make_url(url).database
    owner = create_engine(
        postgres_admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with owner.connect() as conn:  # the server's sessions give up on a lock after 300 ms
        conn.execute(text(f'ALTER DATABASE "{database}" SET lock_timeout = 300'))
    owner.dispose()
    server = LiveServer(url).start()
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = Laptop(server, tmp_path / "laptop").enrol(teacher)
    holder = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        create_sample_class(laptop.services, students=3)
        with holder.connect() as held:  # commit order's counter, locked by someone else
            held.execute(text("SELECT value FROM seq_counter WHERE id = 1 FOR UPDATE"))
            auth = {"Authorization": f"Bearer {_token(laptop)}"}
            change = {  # a class she created: applied, so it takes a number (the lock)
                "change_id": "c-1",
                "device_seq": 1,
                "entity": "class_section",
                "record_id": "class-1",
                "op": "upsert",
                "hlc": "0000000000001-0000-laptop",
                "payload": {"id": "class-1", "name": "Math 7"},
                "payload_type": "class_section",
            }
            body = {"protocol": PROTOCOL_VERSION, "changes": [change], "seen_cursor": 0}
            busy = httpx.post(f"{server.url}/v1/push", json=body, headers=auth, timeout=30)
            assert busy.status_code == 503, busy.text
            assert busy.headers["Retry-After"]
            held.rollback()
        report = laptop.sync()  # nothing of the refused attempt stuck
        assert report.rejected == 0 and laptop.pending() == 0
        assert laptop.snapshot() == server_snapshot(server)
    finally:
        holder.dispose()
        laptop.close()
        server.stop()
