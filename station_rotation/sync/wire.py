"""The sync protocol's messages, shared by the laptop and the district server.

Plain pydantic models (no Qt, no database) so both sides validate the same shapes and
the server's OpenAPI document is the contract. See docs/sync.md for the protocol.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 2
"""The protocol this version speaks (2: a change names the fields it changed, ``Change.before``)."""

ACCEPTED_PROTOCOLS = frozenset({PROTOCOL_VERSION - 1, PROTOCOL_VERSION})
"""The server accepts the current and the previous protocol; older ones are refused."""

MAX_PUSH_BATCH = 2000
MAX_REQUEST_BYTES = 8 * 1024**2
"""The largest request body a district server takes by default (a 413 beyond it). A
laptop's push of 2,000 quick checks is about 1 MB; the laptop splits a batch of long
notes or reflections to fit, and halves it again if a server set lower answers 413."""
MAX_SEQ = 2**62  # fits a signed 64-bit column on every database
MAX_PULL_PAGE = 2000

Op = Literal["upsert", "delete"]
ResultStatus = Literal["applied", "duplicate", "rejected", "superseded"]
"""``superseded``: kept, but a concurrent edit from another device with a later stamp
stays the record's state (the device records a conflict showing both)."""

APPEND_ONLY_ENTITIES = frozenset({"quick_check", "reflection"})
"""Facts that are only ever added (a correction is a new fact): they never conflict."""


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(WireModel):
    """One change to one record, as the device's outbox holds it."""

    change_id: str = Field(min_length=1, max_length=36)
    device_seq: int = Field(ge=1, le=MAX_SEQ)
    entity: str = Field(min_length=1, max_length=60)
    record_id: str = Field(min_length=1, max_length=36)
    op: Op
    hlc: str = Field(min_length=1, max_length=80)
    payload: dict[str, Any]
    payload_type: str = Field(min_length=1, max_length=60)
    payload_version: int = Field(default=1, ge=1, le=1000)
    before: dict[Annotated[str, Field(min_length=1, max_length=60)], Any] | None = Field(
        default=None, max_length=200
    )
    """The fields this edit changed, with the values it changed them from: the server
    merges field by field, and a value the edit replaced without having seen it is a
    conflict. None: any field may have changed (a new record, a fact, protocol 1)."""


class PushRequest(WireModel):
    """A batch of outbox changes.

    ``seen_cursor`` is the device's pull cursor: a stored version with a higher server
    sequence was never seen by the device, so overwriting it is a concurrent edit.
    """

    protocol: int
    changes: list[Change] = Field(max_length=MAX_PUSH_BATCH)
    seen_cursor: int | None = Field(default=None, ge=0, le=MAX_SEQ)


class ChangeResult(WireModel):
    """What the server did with one change; ``reason`` is plain words when rejected."""

    change_id: str
    device_seq: int
    status: ResultStatus
    reason: str = ""
    kept_hlc: str = ""
    """For ``superseded``: the stamp of the version the server keeps..."""
    kept_payload: dict[str, Any] | None = None
    """...and that version, so the device can show both sides of the conflict."""


class PushResponse(WireModel):
    """Results per change; the device may drop its outbox up to ``acked_through_seq``.

    A change the server refuses at the protocol level (a gap in the device's sequence, a
    change id seen under another sequence) is not acknowledged: ``refused`` says why and
    the device keeps its outbox intact.
    """

    results: list[ChangeResult]
    acked_through_seq: int
    refused: str = ""
    server_time: datetime


class PullRequest(WireModel):
    """A page after ``cursor``; with ``entity`` only that table (a digest re-pull)."""

    protocol: int
    cursor: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=500, ge=1, le=MAX_PULL_PAGE)
    entity: str | None = Field(default=None, min_length=1, max_length=60)


class ServerChange(WireModel):
    """The current state of one record in the teacher's scope, at a server sequence."""

    server_seq: int
    entity: str
    record_id: str
    op: Op
    hlc: str
    payload: dict[str, Any]
    payload_version: int
    overwrote_hlc: str = ""
    """The stamp of a concurrent edit this version replaced (its device keeps a conflict)."""


class PullPage(WireModel):
    changes: list[ServerChange]
    next_cursor: int
    has_more: bool
    server_time: datetime


class DigestRequest(WireModel):
    protocol: int


class TableDigest(WireModel):
    """How many records of one table the teacher's scope holds, and a hash of them all.

    ``digest`` is the SHA-256 of each record's canonical JSON (``record_json``) in id
    order, so a laptop computes the same value from its own rows.
    """

    entity: str
    count: int
    digest: str


class DigestResponse(WireModel):
    tables: list[TableDigest]
    server_time: datetime


def record_json(payload: dict[str, Any], hlc: str) -> str:
    """One record as the digest hashes it: its fields and stamp, keys sorted, compact."""
    return json.dumps({**payload, "hlc": hlc}, sort_keys=True, separators=(",", ":"))


def table_digest(entity: str, rows: Iterable[tuple[str, str]]) -> TableDigest:
    """The digest of ``(record_id, record_json)`` pairs (any order)."""
    hasher = hashlib.sha256()
    count = 0
    for record_id, body in sorted(rows):
        hasher.update(record_id.encode())
        hasher.update(b"\0")
        hasher.update(body.encode())
        hasher.update(b"\n")
        count += 1
    return TableDigest(entity=entity, count=count, digest=hasher.hexdigest())


class EnrolRequest(WireModel):
    protocol: int
    code: str = Field(min_length=1, max_length=64)
    device_id: str = Field(min_length=1, max_length=36)
    device_name: str = Field(default="", max_length=200)


class EnrolResponse(WireModel):
    token: str
    teacher_id: str
    device_id: str
    server_time: datetime


class ErrorBody(WireModel):
    """Every refusal carries a message a teacher can read."""

    detail: str
