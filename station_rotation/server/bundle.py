"""USB sync on the server: apply a laptop's bundle as a push, write the reply bundle.

For schools with no connection at all (DESIGN.md §4). The bundle's changes go through
:func:`exchange.push` — the very code a network push runs, with its sequence checks
(a gap or a copied data file is refused), idempotence (a bundle imported twice is all
``duplicate``) and scope checks — in one transaction. The reply then carries the push
results, every record in the teacher's scope after the laptop's cursor (as
:func:`exchange.pull` pages them), the per-table digests of that scope, the whole tables
the laptop found different last time (its digest re-pull, one trip later) and the
server's time, sealed for that laptop only.

Who made a bundle is proved by its seal (see ``sync/bundle_file.py``): keyed by the
stored hash of the device token, so a bundle found on a lost stick cannot be altered or
forged, and a revoked laptop's bundles are refused like its network requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from station_rotation.server import exchange
from station_rotation.server.tables import Device, utc_now
from station_rotation.store.models import SYNCED_TYPES
from station_rotation.sync.bundle_file import (
    Bundle,
    BundleError,
    read_bundle,
    seal_key,
    write_bundle,
)
from station_rotation.sync.wire import (
    ACCEPTED_PROTOCOLS,
    MAX_PULL_PAGE,
    MAX_PUSH_BATCH,
    PROTOCOL_VERSION,
    Change,
    ChangeResult,
    PullRequest,
    ServerChange,
)

log = logging.getLogger("station_rotation.server")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for the admin's terminal (counts only, no student data)."""

    device_id: str
    statuses: dict[str, int]
    pulled: int
    refused: str

    def summary(self) -> str:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        line = (
            f"Laptop {self.device_id}: {counts or 'no changes'}; the reply holds "
            f"{self.pulled} records for the laptop."
        )
        return line + (f"\nRefused: {self.refused}" if self.refused else "")


def _device(session: Session, bundle: Bundle) -> Device:
    """The enrolment that sealed ``bundle`` (checked against its stored token hash)."""
    if bundle.kind != "request":
        raise BundleError(
            f"{bundle.path.name} is the server's reply, not a laptop's sync file: import it "
            "on the laptop (station-rotation sync --import-bundle). Nothing was changed."
        )
    enrolment = bundle.header.get("enrolment_id")
    device = session.get(Device, enrolment) if isinstance(enrolment, str) else None
    if device is None or device.device_id != bundle.header.get("laptop_id"):
        raise BundleError(
            f"The sync file {bundle.path.name} comes from a laptop this server has never "
            "enrolled (another district's server?). Nothing was changed."
        )
    bundle.check_seal(seal_key(device.token_hash, "request"), who="the laptop it names")
    if device.revoked:
        raise BundleError(
            f"This server no longer accepts the laptop that made {bundle.path.name} (it was "
            "revoked). Nothing was changed; enrol the laptop again before syncing it."
        )
    if bundle.header.get("protocol") not in ACCEPTED_PROTOCOLS:
        raise BundleError(
            f"The sync file {bundle.path.name} was made by a version of Station Rotation "
            "too old for this server. Update the app on the laptop and make a new sync file; "
            "its changes are kept there."
        )
    return device


def _changes(bundle: Bundle) -> tuple[list[Change], int]:
    """The outbox changes and the pull cursor the bundle carries (validated as on the wire)."""
    try:
        changes = [Change.model_validate(item["change"]) for item in bundle.items]
        cursor = int(bundle.header.get("cursor", 0))
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise BundleError(
            f"The sync file {bundle.path.name} holds changes this server cannot read. "
            "Nothing was changed; tell your district's help desk."
        ) from exc
    return changes, max(cursor, 0)


def import_bundle(engine: Engine, path: Path, reply_path: Path) -> ImportSummary:
    """Apply the laptop's bundle at ``path`` and write its reply to ``reply_path``.

    The push commits before the reply is written; if writing the reply fails, importing
    the same bundle again applies nothing twice and writes the reply.
    """
    if reply_path.resolve() == path.resolve():
        raise BundleError("Write the reply to another file than the laptop's sync file.")
    if not reply_path.parent.is_dir():
        raise BundleError(
            f"There is no folder {reply_path.parent} to write the reply in. Nothing was changed."
        )
    bundle = read_bundle(path)
    with Session(engine, expire_on_commit=False) as session:
        device = _device(session, bundle)
        changes, cursor = _changes(bundle)
        results: list[ChangeResult] = []
        refused = ""
        try:
            for start in range(0, len(changes), MAX_PUSH_BATCH):
                batch = changes[start : start + MAX_PUSH_BATCH]
                done, refused = exchange.push(session, device, batch, cursor)
                results += done
                if refused:
                    break
            session.commit()
        except IntegrityError as exc:  # the laptop synced over the network at this moment
            session.rollback()
            raise BundleError(
                "The laptop that made this sync file is syncing over the network right now. "
                "Nothing was changed; import the file again."
            ) from exc
        pulled = _pull(session, device.teacher_id, cursor)
        asked = bundle.header.get("repair")
        repair = sorted(set(asked) & set(SYNCED_TYPES)) if isinstance(asked, list) else []
        repaired = [c for e in repair for c in _pull(session, device.teacher_id, 0, entity=e)]
        digests = exchange.digests(session, device.teacher_id)
    sent = {c.change_id: c for c in changes}
    items: list[dict[str, Any]] = [_result_item(r, sent[r.change_id]) for r in results]
    items += [{"pulled": c.model_dump(mode="json")} for c in pulled]
    items += [{"repair": c.model_dump(mode="json")} for c in repaired]
    header = {
        "enrolment_id": device.id,
        "laptop_id": device.device_id,
        "request_id": bundle.header.get("bundle_id", ""),
        "protocol": PROTOCOL_VERSION,
        "server_time": utc_now().isoformat(),
        "start_cursor": cursor,
        "end_cursor": pulled[-1].server_seq if pulled else cursor,
        "acked_through_seq": max((r.device_seq for r in results), default=0),
        "refused": refused,
        "digests": [d.model_dump(mode="json") for d in digests],
        "repaired": repair,
    }
    try:
        write_bundle(reply_path, "reply", header, items, seal_key(device.token_hash, "reply"))
    except BundleError as exc:
        raise BundleError(
            f"The laptop's changes were applied, but the reply could not be written: {exc} "
            "Importing the same sync file again applies nothing twice and writes the reply."
        ) from exc
    log.info("bundle import", extra={"device": device.id, "changes": len(changes)})
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return ImportSummary(device.id, statuses, len(pulled), refused)


def _result_item(result: ChangeResult, change: Change) -> dict[str, Any]:
    """A push result, with the change itself when the laptop must keep it (rejected, lost).

    The laptop may have dropped that outbox row by the time the reply arrives (a network
    sync in between), so the reply carries what its "needs attention" list and conflict
    records show.
    """
    item: dict[str, Any] = {"result": result.model_dump(mode="json")}
    if result.status == "rejected" or result.kept_payload is not None:
        item["change"] = change.model_dump(mode="json")
    return item


def _pull(
    session: Session, teacher_id: str, cursor: int, entity: str | None = None
) -> list[ServerChange]:
    """Every record in the teacher's scope after ``cursor`` (of one table: a digest re-pull),
    page by page as a pull reads them."""
    pulled: list[ServerChange] = []
    while True:
        request = PullRequest(
            protocol=PROTOCOL_VERSION, cursor=cursor, limit=MAX_PULL_PAGE, entity=entity
        )
        page, has_more = exchange.pull(session, teacher_id, request)
        pulled += page
        if not has_more or not page:
            return pulled
        cursor = page[-1].server_seq
