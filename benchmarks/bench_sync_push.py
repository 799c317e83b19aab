"""Push a school year of quick checks (100,000) from a laptop to the server on PostgreSQL.

Target (TARGETS.md): under 20 s, and at most 5× a raw bulk insert (``COPY`` via psycopg)
of the same rows measured in the same run on the same PostgreSQL. The server stores
each change twice (the merged ``record`` and the raw ``received_change``), so the floor
copies the same 100,000 rows into tables shaped like both; the record-only copy is shown
too. PostgreSQL is the pgserver wheel (as in the tests); the server is the real uvicorn
app on loopback, and the laptop is a real data folder pushing through ``SyncEngine``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
from sqlalchemy import insert

from station_rotation.server import admin
from station_rotation.server.database import make_engine
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ChangeLog, QuickCheck
from station_rotation.store.outbox import outbox_row
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncClient
from station_rotation.sync.engine import SyncEngine
from tests.live_server import new_postgres_database, shared_postgres

CHECKS = int(os.environ.get("STATION_ROTATION_BENCH_CHECKS", "100000"))


def _year_of_checks(services: AppServices, class_id: str) -> None:
    """``CHECKS`` quick checks with their outbox rows, written as the app would queue them."""
    students = [e.student.id for e in services.roster.roster(class_id)]
    targets = [t.id for t in services.targets.list_for(class_id)]
    store = services.store
    rows, outbox = [], []
    for i in range(CHECKS):
        check = QuickCheck(
            class_id=class_id,
            student_id=students[i % len(students)],
            target_id=targets[i % len(targets)],
            score=i % 4 + 1,
            hlc=store.clock.tick().encode(),
        )
        rows.append(check.model_dump())
        outbox.append(outbox_row(check, entity="quick_check", op="upsert"))
    with store.write() as tx:
        tx.session.execute(insert(QuickCheck), rows)
        tx.session.execute(insert(ChangeLog), outbox)


async def _push(services: AppServices, url: str, token: str) -> float:
    async with SyncClient(url, token, timeout=120) as client:
        engine = SyncEngine(services.store, client)  # as the app runs it: 200, growing
        start = time.perf_counter()
        await engine.push_all()
        return time.perf_counter() - start


def _copy_floor(
    url: str, entries: list[remote_apply.OutboxEntry], device: str
) -> tuple[float, float]:
    """Seconds to COPY the rows into a record-shaped table, and into both shapes."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_record (LIKE record INCLUDING ALL)")
        conn.execute("CREATE TABLE floor_received (LIKE received_change INCLUDING ALL)")
        conn.execute("ALTER TABLE floor_received DROP CONSTRAINT IF EXISTS uq_received_seq")
        now = datetime.now(UTC)
        records = [
            (e.entity, e.record_id, e.hlc, json.dumps(e.payload), 1, False, e.payload["class_id"],
             None, 10_000_000 + i, "", False, None)
            for i, e in enumerate(entries)
        ]  # fmt: skip
        received = [
            (
                e.change_id,
                device,
                e.seq,
                e.entity,
                e.record_id,
                json.dumps(_raw(e)),
                "applied",
                "",
                now,
            )
            for e in entries
        ]
        start = time.perf_counter()
        _copy(conn, "floor_record", records)
        record_only = time.perf_counter() - start
        _copy(
            conn,
            "floor_received",
            received,
            "(change_id, device_id, device_seq, entity, record_id, raw, status, reason,"
            " received_at)",
        )
        both = time.perf_counter() - start
    return record_only, both


def _raw(e: remote_apply.OutboxEntry) -> dict[str, Any]:
    return {
        "change_id": e.change_id, "device_seq": e.seq, "entity": e.entity,
        "record_id": e.record_id, "op": e.op, "hlc": e.hlc, "payload": e.payload,
        "payload_type": e.entity, "payload_version": e.payload_version,
    }  # fmt: skip


def _copy(
    conn: psycopg.Connection[Any], table: str, rows: list[tuple[Any, ...]], cols: str = ""
) -> None:
    with (
        conn.transaction(),
        conn.cursor() as cur,
        cur.copy(f"COPY {table} {cols} FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


class CpuMeter:
    """CPU seconds used by the server (all its processes), PostgreSQL and this process.

    The machine is shared, so wall time alone says little: CPU per side says where a
    change saved work. PostgreSQL's share is every process of its cluster (backends,
    WAL writer, checkpointer), found from a backend's parent.
    """

    def __init__(self, server_pid: int, database_url: str) -> None:
        with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
            row = conn.execute("SELECT pg_backend_pid()").fetchone()
            assert row is not None
            self._postmaster = psutil.Process(int(row[0])).parent()
        self._server = psutil.Process(server_pid)
        self._start = self._read()

    def _read(self) -> tuple[float, float, float]:
        def used(root: psutil.Process | None) -> float:
            total = 0.0
            if root is None:
                return total
            for proc in [root, *root.children(recursive=True)]:
                try:
                    times = proc.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                total += times.user + times.system
                # Processes already reaped (PostgreSQL backends of closed connections).
                total += times.children_user + times.children_system
            return total

        mine = os.times()
        return used(self._server), used(self._postmaster), mine.user + mine.system

    def used(self) -> tuple[float, float, float]:
        """(server, PostgreSQL, this process) CPU seconds since the meter was made."""
        now = self._read()
        return (now[0] - self._start[0], now[1] - self._start[1], now[2] - self._start[2])


class ServerProcess:
    """``station-rotation-server serve`` in its own process (no GIL shared with the laptop)."""

    def __init__(self, database_url: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.engine = make_engine(database_url)
        command = [sys.executable, "-m", "station_rotation.server.cli"]
        command += ["--database-url", database_url, "serve", "--port", str(port)]
        if os.environ.get("STATION_ROTATION_BENCH_WORKERS"):  # else serve's default
            command += ["--workers", os.environ["STATION_ROTATION_BENCH_WORKERS"]]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=open(os.environ.get("STATION_ROTATION_BENCH_SERVER_LOG", os.devnull), "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # open keep-alive connections: do not wait
            self.process.kill()
            self.process.wait(timeout=10)
        self.engine.dispose()


def main() -> str:
    admin_url = shared_postgres()
    url = new_postgres_database(admin_url)
    live = ServerProcess(url)
    with tempfile.TemporaryDirectory() as tmp:
        services = AppServices.open(Path(tmp) / "laptop")
        try:
            teacher = admin.create_teacher(live.engine, "Ms Rivera")
            section = create_sample_class(services, students=30)
            code = admin.issue_code(live.engine, teacher)

            async def enrol_and_sync() -> str:
                async with SyncClient(live.url) as client:
                    reply = await client.enrol(code, services.store.device_id, "bench")
                async with SyncClient(live.url, reply.token) as client:
                    await SyncEngine(services.store, client).sync()
                return reply.token

            token = asyncio.run(enrol_and_sync())
            _year_of_checks(services, section.id)
            entries = remote_apply.pending(services.store, CHECKS + 1)
            assert len(entries) == CHECKS
            # The floor first, then let go of its 100,000 rows: a laptop holds no such list
            # while it syncs, and here it would make every full garbage collection of the
            # laptop's process walk it.
            record_only, both = _copy_floor(url.replace("+psycopg", ""), entries, "floor")
            del entries
            gc.collect()
            meter = CpuMeter(live.process.pid, url)
            pushed = asyncio.run(_push(services, live.url, token))
            cpu_server, cpu_postgres, cpu_laptop = meter.used()
            assert remote_apply.pending_count(services.store) == 0
        finally:
            services.close()
            live.stop()
    rate = CHECKS / pushed
    return "\n".join(
        [
            f"## Sync push ({CHECKS:,} quick checks to PostgreSQL)",
            "",
            "`python -m benchmarks sync_push`: a laptop's outbox of quick checks pushed through "
            "`SyncEngine.push_all` (batches from 200 growing to 2,000 while fast) to "
            "`station-rotation-server serve` (its own process) on PostgreSQL 16 (pgserver), "
            "against `COPY` of the same rows in the same run.",
            "",
            "| | seconds | ratio |",
            "|---|---|---|",
            f"| COPY into a `record`-shaped table (floor) | {record_only:.2f} | 1.0× |",
            f"| COPY into `record` + `received_change` shapes | {both:.2f} | "
            f"{both / record_only:.1f}× |",
            f"| push ({rate:,.0f} changes/s) | {pushed:.2f} | {pushed / both:.1f}× the two-table "
            f"COPY, {pushed / record_only:.1f}× the one-table COPY |",
            "",
            f"CPU during the push: server {cpu_server:.2f} s, PostgreSQL {cpu_postgres:.2f} s, "
            f"laptop {cpu_laptop:.2f} s (load average {os.getloadavg()[0]:.2f}).",
        ]
    )


if __name__ == "__main__":
    print(main())
