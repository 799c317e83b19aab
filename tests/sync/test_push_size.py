"""A push never asks the district server to read more than it takes at once.

The server refuses a body over its limit (``ServerSettings.max_request_bytes``, a 413);
the laptop splits a batch of long texts to fit, learns a lower limit from a 413, and a
single change too large to send stops the push with plain words, losing nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from laptops import SSL_CONTEXT, Laptop
from sqlmodel import Session, func, select

from station_rotation.server import admin
from station_rotation.server.tables import Record
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import StudentNote
from station_rotation.sync.client import SyncClient, SyncError
from station_rotation.sync.credentials import load_credentials
from station_rotation.sync.engine import SyncEngine, SyncReport
from station_rotation.sync.wire import MAX_PUSH_BATCH
from tests.live_server import LiveServer

LIMIT = 64 * 1024
"""The test server's body limit (the smallest a server may set)."""
WORDS = "I can explain why the fractions are equivalent. " * 40  # 1,960 characters


class Recording(httpx.AsyncHTTPTransport):
    """Loopback HTTP that notes each push request's size and the server's answer."""

    def __init__(self) -> None:
        super().__init__(verify=SSL_CONTEXT)
        self.pushes: list[tuple[int, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if request.url.path == "/v1/push":
            self.pushes.append((len(request.content), response.status_code))
        return response


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(f"sqlite:///{tmp_path / 'server.sqlite3'}", max_request_bytes=LIMIT)
    yield live.start()
    live.stop()


@pytest.fixture
def laptop(small_server: LiveServer, tmp_path: Path) -> Iterator[Laptop]:
    made = Laptop(small_server, tmp_path / "laptop")
    made.enrol(admin.create_teacher(small_server.engine, "Mr Osei"))
    yield made
    made.close()


def _reflections(laptop: Laptop, count: int) -> None:
    section = laptop.services.classes.list_classes()[0]
    student = laptop.services.roster.roster(section.id)[0].student
    for _ in range(count):
        laptop.services.quick_checks.record_reflection(
            class_id=section.id, student_id=student.id, confidence=3, words=WORDS
        )


def _sync(laptop: Laptop, transport: Recording, batch_size: int = 200, **engine: int) -> SyncReport:
    async def run() -> SyncReport:
        credentials = load_credentials(laptop.data_dir)
        assert credentials is not None
        token = credentials.token
        async with SyncClient(laptop.server.url, token, transport=transport) as client:
            return await SyncEngine(laptop.store, client, batch_size=batch_size, **engine).sync()

    return asyncio.run(run())


def _on_server(server: LiveServer, entity: str) -> int:
    with Session(server.engine) as session:
        query = select(func.count()).select_from(Record).where(Record.entity == entity)
        return int(session.exec(query).one())


def test_a_batch_of_long_reflections_is_split_to_fit(laptop: Laptop) -> None:
    """A laptop that knows the server's limit never sends more: no request is refused."""
    create_sample_class(laptop.services, students=4)
    _reflections(laptop, 100)  # ~230 KB of reflections: the first batch would be too big
    transport = Recording()
    report = _sync(laptop, transport, request_limit=LIMIT)
    assert [status for _size, status in transport.pushes] == [200] * len(transport.pushes)
    assert max(size for size, _status in transport.pushes) <= LIMIT
    assert len(transport.pushes) >= 4
    assert (laptop.pending(), report.rejected) == (0, 0)
    assert _on_server(laptop.server, "reflection") == 100


@pytest.mark.parametrize("first_batch", [200, 25])
def test_a_server_that_takes_less_is_answered_with_smaller_batches(
    laptop: Laptop, first_batch: int
) -> None:
    """The laptop expects the protocol's 8 MB; this server takes 64 KB. Each 413 halves
    what the laptop sends at once, so a few (never more than halvings down to the
    server's limit) and the rest goes through. With a small first batch the 413 comes
    after batches the server took, while the laptop still trims its outbox of them."""
    create_sample_class(laptop.services, students=4)
    _reflections(laptop, 100)
    transport = Recording()
    report = _sync(laptop, transport, batch_size=first_batch, max_batch=MAX_PUSH_BATCH)
    refused = [size for size, status in transport.pushes if status == 413]
    first_refused = next(i for i, (_size, status) in enumerate(transport.pushes) if status == 413)
    assert (first_refused == 0) == (first_batch == 200)  # else after a batch it took
    assert 1 <= len(refused) <= (max(refused) // LIMIT).bit_length()
    assert refused == sorted(refused, reverse=True)
    assert {status for _size, status in transport.pushes} == {200, 413}
    assert (laptop.pending(), report.rejected) == (0, 0)
    assert _on_server(laptop.server, "reflection") == 100


def test_a_change_too_large_to_send_stops_the_push_and_loses_nothing(laptop: Laptop) -> None:
    section = create_sample_class(laptop.services, students=4)
    student = laptop.services.roster.roster(section.id)[0].student
    _reflections(laptop, 3)
    with laptop.store.write() as tx:  # longer than the app lets a teacher type: a bad copy
        tx.put(StudentNote(class_id=section.id, student_id=student.id, text="x" * 100_000))
    _reflections(laptop, 3)
    with pytest.raises(SyncError, match="too large for the district server") as raised:
        _sync(laptop, Recording())
    assert "student note" in str(raised.value)
    assert laptop.pending() == 4  # the note and the three reflections after it
    assert _on_server(laptop.server, "reflection") == 3
    assert _on_server(laptop.server, "student_note") == 0


def test_a_change_over_the_laptops_guess_but_within_the_servers_limit_goes(
    laptop: Laptop,
) -> None:
    """The laptop's limit may be a guess halved from a 413: a single change over it is
    still sent, and only the server's own refusal of it alone would stop the push."""
    section = create_sample_class(laptop.services, students=4)
    student = laptop.services.roster.roster(section.id)[0].student
    with laptop.store.write() as tx:  # ~50 KB: over the guess, under the server's 64 KB
        tx.put(StudentNote(class_id=section.id, student_id=student.id, text="x" * 50_000))
    transport = Recording()
    report = _sync(laptop, transport, request_limit=40 * 1024)
    assert {status for _size, status in transport.pushes} == {200}
    assert max(size for size, _status in transport.pushes) > 40 * 1024
    assert (laptop.pending(), report.rejected) == (0, 0)
    assert _on_server(laptop.server, "student_note") == 1
