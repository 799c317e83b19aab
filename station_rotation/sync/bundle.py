"""USB sync on the laptop: write the outbox to a bundle, apply the server's reply.

For schools with no connection at all (DESIGN.md §4): the teacher exports a bundle,
district staff import it on the server (``station-rotation-server import-bundle``), and
the reply comes back on the same stick. The guarantees are network sync's, because the
same code applies both halves: the server runs its push on the bundle, and the reply is
applied here by ``remote_apply.acknowledge`` and ``remote_apply.apply_page`` — the
functions the sync engine uses.

- Export changes nothing on the laptop: the outbox stays until a reply acknowledges it,
  so edits made meanwhile (and a lost stick) lose nothing.
- A reply is applied in the engine's order: first the acknowledgements (outbox rows
  below the acknowledged sequence are dropped, rejections go to "needs attention",
  lost concurrent edits become conflict records), then every pulled record with the
  cursor in one transaction. Each step is idempotent, so importing a reply twice, or
  after a kill between the two steps, changes nothing more.
- An old reply after a newer one (or after a network sync) must not move the cursor
  back nor bring back a class that has since left the teacher's scope: its records are
  applied only when its end cursor is not behind the laptop's.
- A reply that starts past the laptop's cursor, or acknowledges an outbox number that
  now holds another edit than the one it carried, answers a newer state of the data
  file (restored from a backup since): nothing of it is applied, not even its
  acknowledgements, whose outbox numbers now belong to edits made after the restore.
- The digest check of a network sync takes one trip more: the reply carries the
  district's per-table digests, a table that differs (and has nothing waiting to go up)
  is named in the next sync file, and that reply brings it whole, applied as the
  engine's re-pull (``apply_page(repair=True)``: never over a newer local edit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import col, select

from station_rotation.core.ids import new_id
from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES, ChangeLog
from station_rotation.sync import remote_apply
from station_rotation.sync.bundle_file import (
    BundleError,
    read_bundle,
    seal_key,
    token_hash,
    write_bundle,
)
from station_rotation.sync.credentials import SyncCredentials, load_credentials
from station_rotation.sync.engine import (
    local_digest,
    push_outcome,
    remote_records,
    unreadable_warnings,
)
from station_rotation.sync.outbox_damage import damaged_warnings
from station_rotation.sync.wire import (
    PROTOCOL_VERSION,
    Change,
    ChangeResult,
    ServerChange,
    TableDigest,
)

REPAIR = "sync.bundle_repair"
"""Tables whose digest differed from the district's: the next sync file asks for them whole."""


@dataclass(frozen=True)
class ExportSummary:
    changes: int
    cursor: int
    bundle_id: str


@dataclass
class ReplyReport:
    """What importing a reply did; ``refused`` is the server's reason when it stopped."""

    acknowledged: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    refused: str = ""
    server_time: str = ""
    warnings: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    """Tables pulled whole again because the last trip found them different."""
    to_repair: list[str] = field(default_factory=list)
    """Tables that differ from the district's copy: the next sync file asks for them."""


def _enrolment(data_dir: Path) -> SyncCredentials:
    credentials = load_credentials(data_dir)
    if credentials is None:
        raise BundleError(
            "This laptop is not enrolled with the district server yet. Enrol it once "
            "(station-rotation sync --server ADDRESS --enrol CODE, or the Sync page) where "
            "there is a connection; after that it can sync by USB stick."
        )
    return credentials


def outbox_change(entry: remote_apply.OutboxEntry) -> Change:
    """One outbox row as the push sends it."""
    return Change(
        change_id=entry.change_id,
        device_seq=entry.seq,
        entity=entry.entity,
        record_id=entry.record_id,
        op="delete" if entry.op == "delete" else "upsert",
        hlc=entry.hlc,
        payload=entry.payload,
        payload_type=entry.entity,
        payload_version=entry.payload_version,
        before=entry.before,
    )


def export_bundle(store: Store, data_dir: Path, path: Path) -> ExportSummary:
    """Write everything not yet acknowledged, and what the server needs to answer, to ``path``."""
    credentials = _enrolment(data_dir)
    entries = remote_apply.pending(store, 2**62)
    cursor = remote_apply.cursor(store)
    bundle_id = new_id()
    header = {
        "bundle_id": bundle_id,
        "enrolment_id": credentials.enrolment_id,
        "laptop_id": store.device_id,
        "teacher_id": credentials.teacher_id,
        "server_url": credentials.server_url,
        "protocol": PROTOCOL_VERSION,
        "cursor": cursor,
        "created_at": datetime.now(UTC).isoformat(),
        "repair": json.loads(remote_apply.read_state(store, REPAIR) or "[]"),
    }
    items = ({"change": outbox_change(e).model_dump(mode="json")} for e in entries)
    key = seal_key(token_hash(credentials.token), "request")
    count = write_bundle(path, "request", header, items, key)
    return ExportSummary(changes=count, cursor=cursor, bundle_id=bundle_id)


def import_reply(store: Store, data_dir: Path, path: Path) -> ReplyReport:
    """Apply the server's reply at ``path``: acknowledgements, then pulled records + cursor."""
    credentials = _enrolment(data_dir)
    bundle = read_bundle(path)
    if bundle.kind != "reply":
        raise BundleError(
            f"{path.name} is this laptop's own sync file: it must first be imported on the "
            "district server, which writes the reply to bring back. Nothing was changed."
        )
    header = bundle.header
    if header.get("laptop_id") != store.device_id:
        raise BundleError(
            f"The reply {path.name} is for another laptop. Nothing was changed; bring back "
            "the reply made for this laptop's sync file."
        )
    if header.get("enrolment_id") != credentials.enrolment_id:
        raise BundleError(
            f"The reply {path.name} answers a sync file made before this laptop was enrolled "
            "again. Nothing was changed; make a new sync file, its changes are all there."
        )
    bundle.check_seal(
        seal_key(token_hash(credentials.token), "reply"), who="your district's server"
    )
    try:
        results, pulled, repairs = _parse(bundle.items)
        digests = [TableDigest.model_validate(d) for d in header.get("digests", [])]
        acked = int(header["acked_through_seq"])
        start, end = int(header["start_cursor"]), int(header["end_cursor"])
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise BundleError(
            f"The reply {path.name} holds data this version of Station Rotation cannot read. "
            "Nothing was changed; update the app and import it again."
        ) from exc
    report = ReplyReport(refused=str(header.get("refused", "")))
    report.server_time = str(header.get("server_time", ""))
    current = remote_apply.cursor(store)
    if start > current or _restored_since(store, acked, results):
        # The sync file was made by a newer state of this data file: its outbox numbers
        # now name other edits (made since the restore), which an acknowledgement would drop.
        report.warnings.append(
            "The reply starts after what this laptop last received (was its data file "
            "restored from a backup?), so nothing in it was applied. Make a new sync file."
        )
        return report
    _acknowledge(store, acked, results, report)
    if end >= current:
        # Not an old reply: what it holds is the district's latest word for this laptop.
        if not _apply_pulled(store, pulled, end, report):
            return report
        _repair(store, repairs, header.get("repaired"), report)
        _check_digests(store, digests, report)
        _note_sync(store, report.server_time)
        report.warnings += unreadable_warnings(store)
        report.warnings += damaged_warnings(store)
    return report


def _note_sync(store: Store, server_time: str) -> None:
    """ "Last synced" is when the district wrote the reply, not when the stick came back:
    an old reply brought back (again) never makes the laptop look freshly synced. Never
    later than now (a server clock ahead), never earlier than a sync already noted."""
    now = datetime.now(UTC)
    try:
        at = datetime.fromisoformat(server_time)
    except ValueError:
        at = now
    at = min(at if at.tzinfo is not None else now, now)
    noted = remote_apply.read_state(store, remote_apply.LAST_SYNC)
    if noted:
        try:
            if datetime.fromisoformat(noted) >= at:
                return
        except ValueError:
            pass  # an unreadable note is replaced
    remote_apply.write_state(store, remote_apply.LAST_SYNC, at.isoformat())


Results = list[tuple[ChangeResult, Change | None]]


def _parse(items: list[dict[str, Any]]) -> tuple[Results, list[ServerChange], list[ServerChange]]:
    """The reply's push results, pulled records and re-pulled (repair) records."""
    results: Results = []
    pulled: list[ServerChange] = []
    repairs: list[ServerChange] = []
    for item in items:
        if "result" in item:
            change = Change.model_validate(item["change"]) if "change" in item else None
            results.append((ChangeResult.model_validate(item["result"]), change))
        elif "pulled" in item:
            pulled.append(ServerChange.model_validate(item["pulled"]))
        elif "repair" in item:
            repairs.append(ServerChange.model_validate(item["repair"]))
    return results, pulled, repairs


def _restored_since(store: Store, acked: int, results: Results) -> bool:
    """The outbox holds, at a number the reply acknowledges, another edit than the one
    the sync file carried: the data file went back (a backup) and numbered new edits again.

    The cursor alone cannot tell when nothing was received between the backup and the
    export, the usual case in a school whose only sync is the stick.
    """
    previous = remote_apply.acked_seq(store)
    if acked <= previous:
        return False
    sent = {result.device_seq: result.change_id for result, _ in results}
    waiting = remote_apply.pending(store, acked - previous)
    return any(e.seq <= acked and sent.get(e.seq) != e.change_id for e in waiting)


def _acknowledge(
    store: Store,
    acked: int,
    results: Results,
    report: ReplyReport,
) -> None:
    """Hand the push results to the engine's own acknowledge (idempotent)."""
    rejected, superseded = push_outcome(results)
    previous = remote_apply.acked_seq(store)
    remote_apply.acknowledge(store, acked, rejected, superseded)
    report.acknowledged = sum(1 for r, _ in results if r.device_seq > previous)
    report.rejected = len(rejected)
    report.conflicts = len(superseded)


def _apply_pulled(store: Store, pulled: list[ServerChange], end: int, report: ReplyReport) -> bool:
    """Apply the pulled records and move the cursor to ``end``, all in one transaction.

    False when a network sync running meanwhile (the app, while this runs from the
    command line) took the cursor past ``end``: the laptop already holds newer data than
    the reply, whose records would move the cursor back. Checked inside the transaction
    that would apply them, not before it, so the two processes cannot interleave.
    """
    try:
        report.pulled = remote_apply.apply_page(store, remote_records(pulled), end, not_behind=end)
    except remote_apply.CursorAhead:
        report.warnings.append(
            "This laptop received newer data from the district while the reply was being "
            "imported, so the reply's records were not needed. Its acknowledgements were "
            "applied; nothing was lost."
        )
        return False
    except remote_apply.IncompletePage as exc:
        raise BundleError(
            "The reply refers to records this laptop does not have. Its acknowledgements "
            "were applied, its records were not; make a new sync file and tell your district."
        ) from exc
    return True


def _repair(
    store: Store, repairs: list[ServerChange], repaired: object, report: ReplyReport
) -> None:
    """Apply the whole tables the last sync file asked for again (the digest re-pull)."""
    tables = [t for t in repaired if isinstance(t, str)] if isinstance(repaired, list) else []
    if not tables:
        return
    order = list(SYNCED_TABLES)  # parents first
    ordered = sorted(repairs, key=lambda c: order.index(c.entity) if c.entity in order else 0)
    try:
        report.pulled += remote_apply.apply_page(store, remote_records(ordered), None, repair=True)
    except remote_apply.IncompletePage:
        return  # still asked for: the next sync file tries again
    report.repaired = sorted(t for t in tables if t in SYNCED_TABLES)
    still = set(json.loads(remote_apply.read_state(store, REPAIR) or "[]")) - set(tables)
    remote_apply.write_state(store, REPAIR, json.dumps(sorted(still)))


def _check_digests(store: Store, digests: list[TableDigest], report: ReplyReport) -> None:
    """Compare each table with the district's digest; ask again for those that differ.

    Tables with changes still waiting to go up differ by design and are checked on a
    later trip; so do tables holding a record this version skipped as unreadable. A
    table that differs (a row lost or damaged behind sync's back) is pulled whole by the
    next sync file's reply, as a network sync re-pulls it at once.
    """
    waiting = _tables_waiting(store) | remote_apply.unreadable_tables(store)
    differing = {
        theirs.entity
        for theirs in digests
        if theirs.entity in SYNCED_TABLES
        and theirs.entity not in waiting
        and local_digest(store, theirs.entity) != theirs
    }
    asked = set(json.loads(remote_apply.read_state(store, REPAIR) or "[]"))
    keep = differing | (asked & waiting)
    remote_apply.write_state(store, REPAIR, json.dumps(sorted(keep)))
    report.to_repair = sorted(differing)


def _tables_waiting(store: Store) -> set[str]:
    """Tables with outbox entries the server has not acknowledged."""
    after = remote_apply.acked_seq(store)
    with store.read() as session:
        query = select(ChangeLog.entity).where(col(ChangeLog.seq) > after).distinct()
        return set(session.exec(query))
