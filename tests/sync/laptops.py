"""A teacher's laptop in the sync tests: real services on a real file, enrolled with a code."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

from station_rotation.core.hlc import HybridLogicalClock, wall_clock_ms
from station_rotation.server import admin
from station_rotation.server.tables import Record
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES, ClassSection
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncClient
from station_rotation.sync.credentials import SyncCredentials, load_credentials, save_credentials
from station_rotation.sync.engine import SyncEngine, SyncReport
from tests.live_server import LiveServer

SSL_CONTEXT = ssl.create_default_context()
"""Built once: httpx builds (and loads the CA bundle into) one per transport, ~0.1 s each."""


def loopback_transport(**kw: Any) -> httpx.AsyncHTTPTransport:
    """An HTTP transport reusing :data:`SSL_CONTEXT` (loopback tests never use TLS)."""
    return httpx.AsyncHTTPTransport(verify=SSL_CONTEXT, **kw)


class Laptop:
    def __init__(self, server: LiveServer, data_dir: Path) -> None:
        self.server = server
        self.data_dir = data_dir
        self.services = AppServices.open(data_dir)

    @property
    def store(self) -> Store:
        return self.services.store

    def enrol(self, teacher_id: str) -> Laptop:
        code = admin.issue_code(self.server.engine, teacher_id)

        async def run() -> None:
            async with SyncClient(self.server.url) as client:
                reply = await client.enrol(code, self.store.device_id, "test laptop")
            save_credentials(
                self.data_dir,
                SyncCredentials(self.server.url, reply.token, reply.teacher_id, reply.device_id),
            )

        asyncio.run(run())
        return self

    def sync(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        server_url: str | None = None,
        **kw: Any,
    ) -> SyncReport:
        credentials = load_credentials(self.data_dir)
        assert credentials is not None
        url = server_url or credentials.server_url

        async def run() -> SyncReport:
            client = SyncClient(
                url,
                credentials.token,
                transport=transport or loopback_transport(),
                max_wait=0.05,
                **kw,
            )
            async with client:
                return await SyncEngine(self.store, client, batch_size=25).sync()

        return asyncio.run(run())

    def skew_clock(self, days: float) -> None:
        """Pretend this laptop's wall clock is ``days`` off (the HLC must absorb it)."""
        offset = int(days * 86_400_000)
        self.store._clock = HybridLogicalClock(
            self.store.device_id,
            now_ms=lambda: wall_clock_ms() + offset,
            last=self.store.clock.last(),
        )

    def snapshot(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every synced record on this laptop, by table and id."""
        with self.store.read() as session:
            return {
                name: {row.id: row.model_dump(mode="json") for row in session.exec(select(model))}
                for name, model in SYNCED_TABLES.items()
            }

    def pending(self) -> int:
        return remote_apply.pending_count(self.store)

    def close(self) -> None:
        self.services.close()


def server_snapshot(server: LiveServer) -> dict[str, dict[str, dict[str, Any]]]:
    """The server's merged records in the same shape as :meth:`Laptop.snapshot`."""
    result: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in SYNCED_TABLES}
    with Session(server.engine) as session:
        for row in session.exec(select(Record)):
            result[row.entity][row.id] = {**row.payload, "hlc": row.hlc}
    return result


def synced_class(
    server: LiveServer, make: Callable[[], Laptop], students: int = 3
) -> tuple[str, Laptop, ClassSection]:
    """Ms Rivera's laptop with a sample class of ``students``, enrolled and synced: her
    teacher id, the laptop and the class (how most sync stories begin)."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    laptop = make()
    section = create_sample_class(laptop.services, students=students)
    laptop.enrol(teacher).sync()
    return teacher, laptop, section
