"""One sync run: push the outbox until empty, then pull pages until caught up.

Qt-free and async: the GUI runs it on its qasync loop, the CLI with ``asyncio.run``.
Database work runs in a worker thread (``asyncio.to_thread``) so the loop (and the UI)
never waits on SQLite.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from station_rotation.store import remote_apply
from station_rotation.store.database import Store
from station_rotation.sync.client import SyncClient, SyncError
from station_rotation.sync.wire import MAX_PULL_PAGE, Change

SKEW_WARNING_MS = 5 * 60 * 1000


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    server_offset_ms: int = 0
    warnings: list[str] = field(default_factory=list)


class SyncEngine:
    """Syncs one local store with one server."""

    def __init__(
        self, store: Store, client: SyncClient, *, batch_size: int = 200, page_size: int = 500
    ) -> None:
        self.store = store
        self.client = client
        self.batch_size = batch_size
        self.page_size = page_size

    async def sync(self) -> SyncReport:
        report = SyncReport()
        await self.push_all(report)
        await self.pull_all(report)
        return report

    async def push_all(self, report: SyncReport | None = None) -> SyncReport:
        """Push outbox batches until it is empty; stop (outbox intact) on a refusal."""
        report = report or SyncReport()
        while True:
            entries = await asyncio.to_thread(remote_apply.pending, self.store, self.batch_size)
            if not entries:
                return report
            changes = [
                Change(
                    change_id=e.change_id,
                    device_seq=e.seq,
                    entity=e.entity,
                    record_id=e.record_id,
                    op="delete" if e.op == "delete" else "upsert",
                    hlc=e.hlc,
                    payload=e.payload,
                    payload_type=e.entity,
                    payload_version=e.payload_version,
                )
                for e in entries
            ]
            response = await self.client.push(changes)
            by_id = {e.change_id: e for e in entries}
            rejected = [
                remote_apply.Rejected(
                    change_id=r.change_id,
                    entity=by_id[r.change_id].entity,
                    record_id=by_id[r.change_id].record_id,
                    reason=r.reason,
                )
                for r in response.results
                if r.status == "rejected" and r.change_id in by_id
            ]
            await asyncio.to_thread(
                remote_apply.acknowledge, self.store, response.acked_through_seq, rejected
            )
            self._note_server_time(report, response.server_time)
            report.pushed += sum(1 for r in response.results if r.status != "rejected")
            report.rejected += len(rejected)
            if response.refused:
                raise SyncError(response.refused)
            if response.acked_through_seq < entries[0].seq:
                raise SyncError(
                    "The district server did not take this laptop's changes. Nothing was lost; "
                    "try again later or tell your district."
                )

    async def pull_all(self, report: SyncReport | None = None) -> SyncReport:
        """Pull pages after the stored cursor; each page and its cursor commit together."""
        report = report or SyncReport()
        limit = min(self.page_size, MAX_PULL_PAGE)
        while True:
            cursor = await asyncio.to_thread(remote_apply.cursor, self.store)
            page = await self.client.pull(cursor, limit)
            records = [
                remote_apply.RemoteRecord(c.entity, c.record_id, c.hlc, c.payload)
                for c in page.changes
            ]
            try:
                report.pulled += await asyncio.to_thread(
                    remote_apply.apply_page, self.store, records, page.next_cursor
                )
            except remote_apply.IncompletePage as exc:
                # A record's parent comes later (it was edited after the record): read a
                # bigger page from the same cursor so both land in one transaction.
                if limit >= MAX_PULL_PAGE or not page.has_more:
                    raise SyncError(
                        "Some records from the district server refer to records this laptop "
                        "does not have. Nothing was changed; tell your district."
                    ) from exc
                limit = min(limit * 2, MAX_PULL_PAGE)
                continue
            limit = min(self.page_size, MAX_PULL_PAGE)
            self._note_server_time(report, page.server_time)
            await asyncio.to_thread(
                remote_apply.write_state,
                self.store,
                remote_apply.SERVER_OFFSET_MS,
                str(report.server_offset_ms),
            )
            if not page.has_more:
                await asyncio.to_thread(
                    remote_apply.write_state,
                    self.store,
                    remote_apply.LAST_SYNC,
                    datetime.now(UTC).isoformat(),
                )
                return report

    def _note_server_time(self, report: SyncReport, server_time: datetime) -> None:
        """Record the clock offset; warn on large skew but never refuse to sync."""
        offset = int((server_time - datetime.now(UTC)).total_seconds() * 1000)
        report.server_offset_ms = offset
        if abs(offset) > SKEW_WARNING_MS and not report.warnings:
            report.warnings.append(
                "This laptop's clock is more than five minutes off the district server's. "
                "Sync still works, but set the clock right when you can."
            )
