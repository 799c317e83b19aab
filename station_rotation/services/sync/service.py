"""Sync as the teacher sees it: enrol once, sync now, and what to show about it.

Qt-free, so the GUI's Sync panel, its status line and tests share one implementation.
httpx, tenacity, the sync engine and the keyring are imported only when an enrolment or
a sync actually runs: building this service and reading its status costs nothing at
start-up. Store and keyring work runs in worker threads (``asyncio.to_thread``), so the
caller's event loop — the GUI's, under qasync — never waits on the disk, the network or a
keyring prompt.
"""

from __future__ import annotations

import asyncio
import logging
import platform
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.services.sync.attention import Attention, SyncAttentionService
from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES
from station_rotation.store.roster_ids import adopt_roster_ids_safely
from station_rotation.sync import remote_apply
from station_rotation.sync.credentials import (
    forget_credentials,
    load_credentials,
    read_enrolment,
    save_credentials,
)

if TYPE_CHECKING:
    from station_rotation.services.sync.usb import UsbOutcome
    from station_rotation.sync.client import SyncClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """Everything the Sync panel and the status line show."""

    enrolled: bool = False
    server_url: str | None = None
    last_synced: datetime | None = None  # aware (UTC); None: never synced
    waiting: int = 0  # changes in the outbox the server has not acknowledged
    syncing: bool = False
    last_error: str | None = None  # from the last attempt, in plain words
    offline: bool = False  # the last attempt could not reach the server
    needs_enrolment: bool = False  # the server refused this laptop: a new code is needed
    attention: Attention = field(default_factory=Attention)
    """Conflicts and refused changes for the teacher (the Sync page's last section)."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncOutcome:
    """How one sync attempt ended."""

    ok: bool
    sent: int = 0
    received: int = 0
    refused: int = 0
    message: str = ""
    offline: bool = False  # no answer: try again later
    needs_enrolment: bool = False  # the token was refused or is gone: a new code is needed
    held_back: bool = False  # the server would not take the waiting changes (outbox kept)
    warnings: tuple[str, ...] = field(default_factory=tuple)


class SyncService:
    """Enrols this laptop with a district server and syncs its store with it."""

    def __init__(self, store: Store, *, attempts: int = 5, max_wait: float = 10.0) -> None:
        self.store = store
        self.attention = SyncAttentionService(store)
        self.attempts = attempts  # per request, with exponential backoff between them
        self.max_wait = max_wait
        self._last: SyncOutcome | None = None
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def status(self) -> SyncStatus:
        """Read the status from the store and the credentials file (blocking: a few reads)."""
        enrolment = read_enrolment(self.store.data_dir)
        last_sync = remote_apply.read_state(self.store, remote_apply.LAST_SYNC)
        last = self._last
        waiting = remote_apply.pending_count(self.store)
        attention = self._read_attention()
        if last is not None and last.held_back and waiting:
            attention = replace(attention, held_back=last.message)
        return SyncStatus(
            enrolled=enrolment is not None,
            server_url=enrolment.server_url if enrolment else None,
            last_synced=datetime.fromisoformat(last_sync) if last_sync else None,
            waiting=waiting,
            syncing=self._running,
            last_error=last.message if last is not None and not last.ok else None,
            offline=bool(last and last.offline),
            needs_enrolment=bool(last and last.needs_enrolment),
            attention=attention,
            warnings=last.warnings if last is not None else (),
        )

    def _read_attention(self) -> Attention:
        """What needs the teacher; never stops the status from being read."""
        try:
            return self.attention.read()
        except Exception:  # a damaged conflict row must not hide the sync status itself
            log.exception("could not read the sync items that need attention")
            return Attention()

    async def read_status(self) -> SyncStatus:
        """:meth:`status` without blocking the event loop."""
        return await asyncio.to_thread(self.status)

    async def enrol(self, address: str, code: str) -> SyncStatus:
        """Exchange a one-time code for this laptop's token; keep it (keyring or private file).

        Raises :class:`~station_rotation.sync.client.SyncError` with the teacher's words on
        a malformed address, a wrong code or no connection; nothing is stored then.
        """
        from station_rotation.sync.client import check_server_address
        from station_rotation.sync.credentials import SyncCredentials

        address = check_server_address(address)
        code = code.strip()
        if not code:
            raise StationRotationError("Enter the enrolment code your district gave you.")
        async with self._client(address) as client:
            reply = await client.enrol(code, self.store.device_id, platform.node())
        if await asyncio.to_thread(read_enrolment, self.store.data_dir) is None:
            await asyncio.to_thread(adopt_roster_ids_safely, self.store)
        credentials = SyncCredentials(address, reply.token, reply.teacher_id, reply.device_id)
        await asyncio.to_thread(save_credentials, self.store.data_dir, credentials)
        self._last = None
        return await self.read_status()

    async def sync_now(self) -> SyncOutcome:
        """Push the outbox, pull what changed; never raises for a sync failure.

        The outcome says what happened; the same words show in :meth:`status` until the
        next attempt. Nothing is dropped from the outbox unless the server acknowledged it.
        """
        if self._running:
            return SyncOutcome(ok=False, message="A sync is already running.")
        self._running = True
        try:
            self._last = await self.sync()
        except Exception as exc:  # a bug, not a sync failure: say so, keep the outbox
            log.exception("sync failed unexpectedly")
            self._last = SyncOutcome(
                ok=False,
                message=f"Sync stopped because of an unexpected problem ({exc}). Your work is "
                "saved on this laptop; sync will try again later.",
            )
        finally:
            self._running = False
        return self._last

    def write_sync_file(self, path: Path) -> UsbOutcome:
        """No connection: this laptop's unsynced changes into a sync file (USB stick)."""
        from station_rotation.services.sync import usb

        return usb.write_sync_file(self.store, path)

    def apply_reply(self, path: Path) -> UsbOutcome:
        """The district server's reply to this laptop's sync file, applied."""
        from station_rotation.services.sync import usb

        return usb.apply_reply(self.store, path)

    async def leave(self) -> SyncStatus:
        """Forget the enrolment (the token); the data and unsynced changes stay here."""
        await asyncio.to_thread(forget_credentials, self.store.data_dir)
        self._last = None
        return await self.read_status()

    async def sync(self, address: str | None = None) -> SyncOutcome:
        """One sync: a failure of sync (offline, refused, not enrolled) is the outcome; a
        bug is raised (``sync_now`` words it for the page; the command line shows it).

        ``address``: the enrolled server under another address (a new host name), else the
        one it was enrolled with.
        """
        from station_rotation.sync.client import NotAccepted, SyncError, Unreachable
        from station_rotation.sync.credentials import CredentialsError
        from station_rotation.sync.engine import SyncEngine

        try:
            credentials = await asyncio.to_thread(load_credentials, self.store.data_dir)
            if credentials is None:
                return SyncOutcome(
                    ok=False,
                    message="This laptop is not enrolled yet: enter the server address and an "
                    "enrolment code from your district.",
                )
            server = address or credentials.server_url
            async with self._client(server, credentials.token) as client:
                report = await SyncEngine(self.store, client).sync()
        except Unreachable as exc:
            return SyncOutcome(ok=False, message=str(exc), offline=True)
        except (NotAccepted, CredentialsError) as exc:
            return SyncOutcome(ok=False, message=str(exc), needs_enrolment=True)
        except SyncError as exc:
            # A plain SyncError is the server's answer (a refused batch, an app too old…):
            # the waiting changes were held back, so the page lists it with them.
            return SyncOutcome(ok=False, message=str(exc), held_back=type(exc) is SyncError)
        if report.pulled:
            self.store.bus.publish(Changes(frozenset(SYNCED_TABLES)))
        return SyncOutcome(
            ok=True,
            sent=report.pushed,
            received=report.pulled,
            refused=report.rejected,
            warnings=tuple(report.warnings),
        )

    def _client(self, address: str, token: str | None = None) -> SyncClient:
        from station_rotation.sync.client import SyncClient

        return SyncClient(address, token, attempts=self.attempts, max_wait=self.max_wait)
