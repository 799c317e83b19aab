"""One sync run: push the outbox until empty, then pull pages until caught up.

Qt-free and async: the GUI runs it on its qasync loop, the CLI with ``asyncio.run``.
Database work runs in a worker thread (``asyncio.to_thread``) so the loop (and the UI)
never waits on SQLite.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from json.encoder import encode_basestring_ascii as _quote
from typing import Any, Protocol

from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES
from station_rotation.store.outbox import STAND_IN_ENTITY
from station_rotation.sync import remote_apply
from station_rotation.sync.client import SyncClient, SyncError, TooLarge
from station_rotation.sync.outbox_damage import damaged_warnings
from station_rotation.sync.wire import (
    MAX_PULL_PAGE,
    MAX_PUSH_BATCH,
    MAX_REQUEST_BYTES,
    PROTOCOL_VERSION,
    ChangeResult,
    ServerChange,
    TableDigest,
    record_json,
    table_digest,
)


def encode_push(entries: Sequence[remote_apply.OutboxEntry], seen_cursor: int | None) -> bytes:
    """The ``PushRequest`` JSON for ``entries``, each payload spliced in as the outbox has it.

    Building ``Change`` models only to serialise them again cost more than everything
    else the laptop does in a push; the server validates the request anyway. Strings go
    through the ``json`` module's C quoting, so any id or stamp is encoded correctly.
    """
    changes = ",".join(
        [
            CHANGE_JSON
            % (
                _quote(e.change_id),
                e.seq,
                _quote(e.entity),
                _quote(e.record_id),
                '"delete"' if e.op == "delete" else '"upsert"',
                _quote(e.hlc),
                e.payload_json,
                _quote(e.entity),
                e.payload_version,
                "null" if e.before_json is None else e.before_json,
            )
            for e in entries
        ]
    )
    cursor = "null" if seen_cursor is None else str(int(seen_cursor))
    text = f'{{"protocol":{PROTOCOL_VERSION},"changes":[{changes}],"seen_cursor":{cursor}}}'
    return text.encode()


def fit_push(
    entries: list[remote_apply.OutboxEntry], seen_cursor: int | None, limit: int
) -> tuple[list[remote_apply.OutboxEntry], bytes]:
    """The first of ``entries`` whose push request is at most ``limit`` bytes, and that request.

    A batch of long notes or reflections can outgrow what the server reads (a 413); it is
    halved until it fits. A single change over ``limit`` is returned as it is: the limit
    may be a guess (see ``SyncEngine.push_all``), so only the server's 413 to that change
    alone says it cannot go (:func:`too_large`).
    """
    body = encode_push(entries, seen_cursor)
    while len(body) > limit and len(entries) > 1:
        entries = entries[: len(entries) // 2]
        body = encode_push(entries, seen_cursor)
    return entries, body


def too_large(entry: remote_apply.OutboxEntry, size: int) -> SyncError:
    """The server refused ``entry`` sent alone: it and the changes after it wait."""
    return SyncError(
        f"One change on this laptop is too large for the district server to take "
        f"({_size(size)}): a {entry.entity.replace('_', ' ')} with a very long text. "
        "Nothing was lost, but it and the changes after it stay on this laptop, and "
        "nothing new comes from the district until they go. Tell your district's help "
        "desk: they can raise the server's request limit."
    )


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024**2 else f"{size / 1024**2:.1f} MB"


CHANGE_JSON = (
    '{"change_id":%s,"device_seq":%d,"entity":%s,"record_id":%s,"op":%s,"hlc":%s,'
    '"payload":%s,"payload_type":%s,"payload_version":%d,"before":%s}'
)


class Sent(Protocol):
    """What a push result is matched with: an outbox row, or the change a sync file carried."""

    @property
    def change_id(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def hlc(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


def push_outcome(
    results: Sequence[tuple[ChangeResult, Sent | None]],
) -> tuple[list[remote_apply.Rejected], list[remote_apply.Superseded]]:
    """The sent changes the server rejected, and those it superseded (network and USB sync).

    A result with no sent change beside it (not one this laptop knows) is left out, and
    so is a stand-in for a damaged outbox row (``outbox_damage``): the server's refusal of
    it is expected, and the teacher reads of the damage in the sync's warnings instead.
    """
    results = [(r, c) for r, c in results if c is None or c.entity != STAND_IN_ENTITY]
    rejected = [
        remote_apply.Rejected(c.change_id, c.entity, c.record_id, r.reason)
        for r, c in results
        if r.status == "rejected" and c is not None
    ]
    superseded = [
        remote_apply.Superseded(
            entity=c.entity,
            record_id=c.record_id,
            lost_hlc=c.hlc,
            lost_payload=c.payload,
            kept_hlc=r.kept_hlc,
            kept_payload=r.kept_payload,
        )
        for r, c in results
        if c is not None and r.kept_payload is not None and r.kept_hlc
    ]
    return rejected, superseded


def remote_records(changes: Iterable[ServerChange]) -> list[remote_apply.RemoteRecord]:
    """Records from the server (a pull page or a sync file's reply) as the store applies them."""
    return [
        remote_apply.RemoteRecord(c.entity, c.record_id, c.hlc, c.payload, c.overwrote_hlc)
        for c in changes
    ]


def local_digest(store: Store, entity: str) -> TableDigest:
    """The laptop's digest of one table, computed as the server computes its own."""
    rows = remote_apply.local_records(store, entity)
    return table_digest(entity, ((rid, record_json(fields, hlc)) for rid, hlc, fields in rows))


def unreadable_warnings(store: Store) -> list[str]:
    """What the teacher reads while pulled records stay skipped as unreadable (the district
    server is newer than this app, or holds a damaged record): the rest synced. Network
    and USB sync alike."""
    count = len(remote_apply.unreadable_records(store))
    if not count:
        return []
    records = "1 record" if count == 1 else f"{count} records"
    were = "was" if count == 1 else "were"
    return [
        f"{records} from the district server could not be read by this version of Station "
        f"Rotation and {were} skipped; everything else synced. Update Station Rotation; if "
        "this stays, tell your district (the server may hold a damaged record)."
    ]


SKEW_WARNING_MS = 5 * 60 * 1000
FAST_BATCH_S = 1.0
SLOW_BATCH_S = 5.0
MIN_BATCH = 25


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    server_offset_ms: int = 0
    warnings: list[str] = field(default_factory=list)
    conflicts: int = 0
    """Pushed edits that lost to a concurrent edit (each is now a conflict record)."""
    repaired: list[str] = field(default_factory=list)
    """Tables whose digest differed from the server's and were pulled again."""


class SyncEngine:
    """Syncs one local store with one server."""

    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        batch_size: int = 200,
        page_size: int = 500,
        max_batch: int | None = None,
        request_limit: int = MAX_REQUEST_BYTES,
    ) -> None:
        """``batch_size`` is the first push batch; it grows to ``max_batch`` while fast.

        ``max_batch`` defaults to ``batch_size`` (a fixed size) when ``batch_size`` is
        given below 200, else to the protocol's limit. ``request_limit``: the largest push
        request sent, in bytes (a batch is split to fit; see :func:`fit_push`).
        """
        self.store = store
        self.client = client
        self.batch_size = batch_size
        self.max_batch = min(
            max_batch or (batch_size if batch_size < 200 else MAX_PUSH_BATCH), MAX_PUSH_BATCH
        )
        self.page_size = page_size
        self.request_limit = request_limit

    async def sync(self, *, verify: bool = True) -> SyncReport:
        """Push, pull, then (``verify``) compare table digests and re-pull what differs."""
        report = SyncReport()
        await self.push_all(report)
        await self.pull_all(report)
        if verify:
            await self.verify_digests(report)
        report.warnings += await asyncio.to_thread(unreadable_warnings, self.store)
        report.warnings += await asyncio.to_thread(damaged_warnings, self.store)
        return report

    async def push_all(self, report: SyncReport | None = None) -> SyncReport:
        """Push outbox batches until it is empty; stop (outbox intact) on a refusal.

        The laptop's work overlaps the server's: while a batch is on the server, the next
        one is read from the outbox, and the outbox is trimmed of an acknowledged batch
        while the next one is on its way. Batches still go one at a time (the server
        refuses a gap), and each trimming waits for the one before.
        """
        report = report or SyncReport()
        size = min(self.batch_size, self.max_batch)
        limit = self.request_limit
        entries = await asyncio.to_thread(remote_apply.pending, self.store, size)
        acking: asyncio.Future[None] | None = None
        ahead: asyncio.Future[list[remote_apply.OutboxEntry]] | None = None
        try:
            while entries:
                seen = await asyncio.to_thread(remote_apply.cursor, self.store)
                fitted, body = await asyncio.to_thread(fit_push, entries, seen, limit)
                if len(fitted) < len(entries):  # long texts: smaller batches from here
                    size = min(max(len(fitted), MIN_BATCH), self.max_batch)
                entries = fitted
                ahead = asyncio.ensure_future(
                    asyncio.to_thread(
                        remote_apply.pending,
                        self.store,
                        min(size * 2, self.max_batch),
                        entries[-1].seq,
                    )
                )
                started = time.monotonic()
                try:
                    response = await self.client.push_encoded(body)
                except TooLarge as refused:  # this server reads less than we thought
                    if len(entries) == 1:
                        raise too_large(entries[0], len(body)) from refused
                    # The same changes again, in smaller batches; kept for this engine's
                    # later pushes (each 413 halves it: a few at most).
                    limit = self.request_limit = len(body) // 2
                    await ahead
                    ahead = None
                    continue
                took = time.monotonic() - started
                if acking is not None:
                    await acking  # trimmings land in order
                    acking = None
                by_id = {e.change_id: e for e in entries}
                rejected, superseded = push_outcome(
                    [(r, by_id.get(r.change_id)) for r in response.results]
                )
                acking = asyncio.ensure_future(
                    asyncio.to_thread(
                        remote_apply.acknowledge,
                        self.store,
                        response.acked_through_seq,
                        rejected,
                        superseded,
                    )
                )
                report.conflicts += len(superseded)
                self._note_server_time(report, response.server_time)
                report.pushed += sum(1 for r in response.results if r.status != "rejected")
                report.rejected += len(rejected)
                if response.refused:
                    raise SyncError(response.refused)
                if response.acked_through_seq < entries[0].seq:
                    raise SyncError(
                        "The district server did not take this laptop's changes. Nothing was "
                        "lost; try again later or tell your district."
                    )
                # A fast link gets bigger batches (fewer round trips and commits); a slow one
                # smaller (each batch still lands before a flaky connection drops).
                if took < FAST_BATCH_S and len(entries) == size:
                    size = min(size * 2, self.max_batch)
                elif took > SLOW_BATCH_S:
                    size = max(size // 2, MIN_BATCH)
                following = await ahead
                ahead = None
                if response.acked_through_seq != entries[-1].seq:  # not all taken: ask again
                    await acking
                    acking = None
                    following = await asyncio.to_thread(remote_apply.pending, self.store, size)
                entries = following[:size]
            return report
        finally:
            # On the way out (a refusal, no network): finish the trimming already started
            # (its batch was acknowledged) and drop an unused read-ahead (its rows stay).
            leftovers = [f for f in (ahead, acking) if f is not None]
            outcomes = await asyncio.gather(*leftovers, return_exceptions=True)
            if acking is not None and isinstance(outcomes[-1], Exception):
                raise outcomes[-1]

    async def pull_all(self, report: SyncReport | None = None) -> SyncReport:
        """Pull pages after the stored cursor; each page and its cursor commit together."""
        report = report or SyncReport()
        limit = min(self.page_size, MAX_PULL_PAGE)
        while True:
            cursor = await asyncio.to_thread(remote_apply.cursor, self.store)
            page = await self.client.pull(cursor, limit)
            records = remote_records(page.changes)
            try:
                report.pulled += await asyncio.to_thread(
                    partial(remote_apply.apply_page, not_behind=page.next_cursor),
                    self.store,
                    records,
                    page.next_cursor,
                )
            except remote_apply.CursorAhead:
                # A USB reply imported meanwhile (another process) took the cursor past
                # this page: nothing of it was kept; pull on from the newer cursor.
                continue
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

    async def verify_digests(self, report: SyncReport | None = None) -> SyncReport:
        """Compare each table's count and hash with the server's; re-pull those that differ.

        Catches what the cursor cannot: a row lost or damaged on the laptop (a restored
        backup, a disk error, a hand edit). The re-pull reads the whole table in scope and
        replaces rows whose content differs, keeping only newer local edits. A table
        holding a record this version skipped as unreadable is not compared.
        """
        report = report or SyncReport()
        reply = await self.client.digest()
        differing = []
        skipped = await asyncio.to_thread(remote_apply.unreadable_tables, self.store)
        for theirs in reply.tables:
            if theirs.entity not in SYNCED_TABLES or theirs.entity in skipped:
                continue  # a table with a skipped record differs by design
            ours = await asyncio.to_thread(local_digest, self.store, theirs.entity)
            if (ours.count, ours.digest) != (theirs.count, theirs.digest):
                differing.append(theirs.entity)
        order = list(SYNCED_TABLES)  # parents before children
        for entity in sorted(differing, key=order.index):
            for _attempt in range(3):
                try:
                    await self.repull_table(entity, report)
                    report.repaired.append(entity)
                    break
                except remote_apply.IncompletePage:
                    # Records another laptop pushed since our pull name parents we lack:
                    # catch up from the cursor, then read the table again.
                    await self.pull_all(report)
            else:
                report.warnings.append(
                    "Some records could not be checked against the district server while "
                    "other laptops were syncing; the next sync checks them again."
                )
        return report

    async def repull_table(self, entity: str, report: SyncReport | None = None) -> int:
        """Pull every record of one table in scope again, repairing rows that differ.

        In pages of ``page_size``, as the pull: each page's transaction holds the store's
        write lock, which a quick check typed meanwhile waits for (a page of 2,000 held it
        ~4× as long as one of 500; docs/benchmarks.md, projector ticks).
        """
        report = report or SyncReport()
        cursor, changed = 0, 0
        limit = min(self.page_size, MAX_PULL_PAGE)
        while True:
            page = await self.client.pull(cursor, limit, entity)
            records = remote_records(page.changes)
            changed += await asyncio.to_thread(
                partial(remote_apply.apply_page, repair=True), self.store, records, None
            )
            cursor = page.next_cursor
            if not page.has_more:
                report.pulled += changed
                return changed

    def _note_server_time(self, report: SyncReport, server_time: datetime) -> None:
        """Record the clock offset; warn on large skew but never refuse to sync."""
        offset = int(server_time.timestamp() * 1000) - self.store.clock.wall_ms()
        report.server_offset_ms = offset
        self.store.clock.correct(offset)  # stamps from now on follow the server's time
        if abs(offset) > SKEW_WARNING_MS and not report.warnings:
            report.warnings.append(
                "This laptop's clock is more than five minutes off the district server's. "
                "Sync still works, but set the clock right when you can."
            )
